// Package inputs is how validate, print, replay and listen's inspector
// read what they are given: paths expanded into files (folders recursively
// in lexical order, symbolic links followed, "-" for stdin), then each
// file read as one JSON document, JSON Lines of bodies, or an `lcwh
// listen` recording, told apart by content and streamed in bounded memory.
package inputs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
)

// Stdin names standard input among the paths.
const Stdin = "-"

// Exts are the extensions of the files read from folders.
var Exts = []string{".json", ".jsonl", ".ndjson"}

// Source is one input: a file, or standard input.
type Source struct {
	Path string // as given or found in a folder; Stdin for standard input
	// Err is what was found wrong while expanding (a folder that cannot be
	// read, something in a folder that is not a regular file): reading the
	// source reports it instead of reading.
	Err error
}

// Expand turns paths into sources: files as given, folders walked
// recursively for Exts in lexical order, symbolic links followed (to
// folders too, each folder read once), "-" for stdin. A path that does not
// exist, a path that is not a regular file, a folder or "-", and a folder
// with nothing to read are errors (the user's mistake); in folders, what
// is not a regular file is kept as a source whose Err says so.
func Expand(paths []string) ([]Source, error) {
	var out []Source
	for _, p := range paths {
		if p == Stdin {
			out = append(out, Source{Path: p})
			continue
		}
		info, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, &PathError{p, errNoSuchPath}
		case err != nil:
			out = append(out, Source{Path: p, Err: err}) // reported when read
		case info.IsDir():
			found := walk(p, info, map[fileID]string{}, nil)
			if !readable(found) {
				return nil, &PathError{p, errNothingToRead}
			}
			sort.Slice(found, func(i, j int) bool { return found[i].Path < found[j].Path })
			out = append(out, found...)
		case !info.Mode().IsRegular():
			return nil, &PathError{p, fmt.Errorf("%s; give - to read standard input", notRegular(info.Mode()))}
		default:
			out = append(out, Source{Path: p})
		}
	}
	return out, nil
}

// walk appends the sources of folder dir (info is its stat).
func walk(dir string, info fs.FileInfo, seen map[fileID]string, out []Source) []Source {
	id, ok := idOf(dir, info)
	if ok {
		if first, dup := seen[id]; dup {
			return append(out, Source{Path: dir, Err: &LoopError{first}})
		}
		seen[id] = dir
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		out = append(out, Source{Path: dir, Err: err})
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		mode := e.Type()
		var info fs.FileInfo
		if mode&fs.ModeSymlink != 0 || mode.IsDir() {
			if info, err = os.Stat(p); err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					err = &fs.PathError{Op: "stat", Path: p, Err: errDanglingLink}
				}
				if hasExt(p) {
					out = append(out, Source{Path: p, Err: err})
				}
				continue
			}
			mode = info.Mode().Type()
		}
		switch {
		case mode.IsDir():
			out = walk(p, info, seen, out)
		case !hasExt(p):
		case !mode.IsRegular():
			out = append(out, Source{Path: p, Err: &NotRegularError{mode}})
		default:
			out = append(out, Source{Path: p})
		}
	}
	return out
}

// readable tells whether any of srcs is a file to read.
func readable(srcs []Source) bool {
	for _, s := range srcs {
		if s.Err == nil || !Tolerated(s.Err) {
			return true
		}
	}
	return false
}

func hasExt(path string) bool {
	ext := filepath.Ext(path)
	for _, e := range Exts {
		if strings.EqualFold(ext, e) {
			return true
		}
	}
	return false
}

var (
	errNoSuchPath    = errors.New("no such file or directory")
	errDanglingLink  = errors.New("a symbolic link to nothing")
	errNothingToRead = fmt.Errorf("no %s files in this folder", strings.Join(globs(), ", "))
)

func globs() []string {
	var g []string
	for _, e := range Exts {
		g = append(g, "*"+e)
	}
	return g
}

// PathError is a path the user gave that cannot be read: it does not
// exist, it is not a regular file (a pipe, a device), or it is a folder
// with nothing to read. Commands treat it as a usage error.
type PathError struct {
	Path string
	Err  error
}

func (e *PathError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *PathError) Unwrap() error { return e.Err }

// NotRegularError is a named pipe, a socket or a device: reading it could
// block for ever, so it is not read.
type NotRegularError struct{ Mode fs.FileMode }

func (e *NotRegularError) Error() string { return notRegular(e.Mode) }

func notRegular(mode fs.FileMode) string {
	what := "special file"
	switch {
	case mode&fs.ModeNamedPipe != 0:
		what = "named pipe"
	case mode&fs.ModeSocket != 0:
		what = "socket"
	case mode&fs.ModeDevice != 0:
		what = "device"
	}
	return "not a regular file (a " + what + ")"
}

// LoopError is a folder reached a second time (through a symbolic link).
type LoopError struct{ First string }

func (e *LoopError) Error() string {
	return "already read as " + e.First + " (a symbolic link loops back to it or repeats it)"
}

// Tolerated tells whether err is a note rather than a failure: something
// skipped that holds no webhook (a pipe in a folder, a folder read twice)
// or a recording line cut short (record.ErrCut), which its writer never
// finished.
func Tolerated(err error) bool {
	var nr *NotRegularError
	var le *LoopError
	return errors.As(err, &nr) || errors.As(err, &le) || errors.Is(err, record.ErrCut)
}

// Message says why a part of the inputs was not read, for a message that
// names it already (Doc.Where or Doc.At): "cannot read: permission
// denied", "syntax error: ...", not the path or the position again.
func Message(err error) string {
	var pe *fs.PathError
	var se *payload.SyntaxError
	switch {
	case errors.As(err, &pe):
		return "cannot read: " + pe.Err.Error()
	case errors.As(err, &se):
		return "syntax error: " + se.Msg
	}
	return err.Error()
}
