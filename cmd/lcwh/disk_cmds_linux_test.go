package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/rogpeppe/go-internal/testscript"
)

// Script commands and a condition for a full disk, for real (Linux, and
// the right to mount: root in CI):
//
//	[tmpfs]
//	    holds when a tmpfs can be mounted here.
//	tmpfs DIR SIZE
//	    mounts a tmpfs of SIZE (e.g. 64k) on DIR (created) until the script ends.
//	fillup FILE
//	    writes FILE until the disk is full.
func init() {
	scriptConds["tmpfs"] = canMountTmpfs
	scriptCmds["tmpfs"] = cmdTmpfs
	scriptCmds["fillup"] = cmdFillup
}

var canMountTmpfs = sync.OnceValue(func() bool {
	dir, err := os.MkdirTemp("", "lcwh-tmpfs")
	if err != nil {
		return false
	}
	defer os.Remove(dir)
	if syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=16k") != nil {
		return false
	}
	return syscall.Unmount(dir, 0) == nil
})

func cmdTmpfs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: tmpfs DIR SIZE")
	}
	dir := ts.MkAbs(args[0])
	ts.Check(os.MkdirAll(dir, 0o755))
	ts.Check(syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+args[1]))
	// background commands are stopped before deferred funcs run
	ts.Defer(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
}

func cmdFillup(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: fillup FILE")
	}
	f, err := os.Create(ts.MkAbs(args[0]))
	ts.Check(err)
	defer f.Close()
	chunk := []byte(strings.Repeat("x", 512))
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				ts.Fatalf("%s: %v", filepath.Base(args[0]), err)
			}
			break
		}
	}
	for n := 256; n > 0; n /= 2 { // the last bytes of the last page
		f.Write(chunk[:n])
	}
}
