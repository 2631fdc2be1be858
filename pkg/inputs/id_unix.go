//go:build unix

package inputs

import (
	"io/fs"
	"syscall"
)

// fileID tells folders apart whatever the path that reached them.
type fileID struct{ dev, ino uint64 }

func idOf(_ string, info fs.FileInfo) (fileID, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return fileID{}, false
	}
	return fileID{uint64(st.Dev), uint64(st.Ino)}, true
}
