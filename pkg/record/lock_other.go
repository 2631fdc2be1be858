//go:build !unix

package record

// lockFile does nothing where flock(2) does not exist: another process
// appending to the same recording during a failed write may be cut.
func lockFile(file) (unlock func()) { return func() {} }
