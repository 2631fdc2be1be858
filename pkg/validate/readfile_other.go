//go:build !unix

package validate

func readFile(path string, buf *[]byte) ([]byte, error) { return readFileOS(path, buf) }
