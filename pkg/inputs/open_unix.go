//go:build unix

package inputs

import (
	"io"
	"io/fs"
	"syscall"
)

// openFile opens a regular file for reading, and gives its size. It opens
// without blocking, so a path that became a named pipe after Expand is an
// error and not a hang, and without the os.File machinery (poller
// registration), which halves the system calls per small file.
func openFile(path string) (io.ReadCloser, int64, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, 0, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return nil, 0, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		syscall.Close(fd)
		if st.Mode&syscall.S_IFMT == syscall.S_IFDIR {
			return nil, 0, &fs.PathError{Op: "read", Path: path, Err: syscall.EISDIR}
		}
		return nil, 0, &NotRegularError{modeOf(uint32(st.Mode))}
	}
	return &fdFile{fd: fd, path: path, left: st.Size}, st.Size, nil
}

// fdFile reads a regular file up to the size it had when opened (a
// recording still being appended to is read as it was).
type fdFile struct {
	fd   int
	path string
	left int64
}

func (f *fdFile) Read(p []byte) (int, error) {
	if f.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > f.left {
		p = p[:f.left]
	}
	for {
		n, err := syscall.Read(f.fd, p)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, &fs.PathError{Op: "read", Path: f.path, Err: err}
		case n == 0:
			f.left = 0
			return 0, io.EOF // it shrank
		}
		f.left -= int64(n)
		return n, nil
	}
}

func (f *fdFile) Close() error { return syscall.Close(f.fd) }

func modeOf(m uint32) fs.FileMode {
	switch m & syscall.S_IFMT {
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		return fs.ModeDevice
	}
	return fs.ModeIrregular
}
