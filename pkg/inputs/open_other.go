//go:build !unix

package inputs

import (
	"errors"
	"io"
	"io/fs"
	"os"
)

// openFile opens a regular file for reading, and gives its size.
func openFile(path string) (io.ReadCloser, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		if info.IsDir() {
			return nil, 0, &fs.PathError{Op: "read", Path: path, Err: errIsDir}
		}
		return nil, 0, &NotRegularError{info.Mode()}
	}
	return f, info.Size(), nil
}

var errIsDir = errors.New("is a directory")
