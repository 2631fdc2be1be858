//go:build !unix

package inputs

import (
	"io/fs"
	"path/filepath"
)

// fileID tells folders apart whatever the path that reached them: here,
// the path with every link resolved.
type fileID string

func idOf(path string, _ fs.FileInfo) (fileID, bool) {
	real, err := filepath.EvalSymlinks(path)
	return fileID(real), err == nil
}
