//go:build unix

package record

import "syscall"

// lockFile holds an exclusive advisory lock on f until the returned func
// is called, so that a failed write can be cut back without cutting
// another process's line. Without the lock (it failed) the write goes on.
func lockFile(f file) (unlock func()) {
	fd := int(f.Fd())
	if syscall.Flock(fd, syscall.LOCK_EX) != nil {
		return func() {}
	}
	return func() { syscall.Flock(fd, syscall.LOCK_UN) }
}
