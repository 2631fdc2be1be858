// Package validate checks webhook files against the payload schemas, in
// parallel, and returns results in input order. It does no rendering.
package validate

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/lcwh/lcwh/pkg/payload"
)

// Stdin names standard input among the inputs.
const Stdin = "-"

// Result is the verdict on one input. Warnings never make it invalid.
type Result struct {
	Path          string          `json:"path"`
	Action        string          `json:"action"`
	APIVersion    string          `json:"api_version,omitempty"`
	VersionReason string          `json:"api_version_reason,omitempty"` // why, when guessed
	Valid         bool            `json:"valid"`
	Errors        []payload.Error `json:"errors"`
	Warnings      []payload.Error `json:"warnings"`
}

// Options choose the schema for each input and how strict it is.
type Options struct {
	Version  string // an API version, or payload.Auto to guess it per input
	Fallback string // the version assumed when a guess is ambiguous
	Action   string // validate as this action instead of the document's
	Strict   bool   // warnings and unknown properties are errors (payload.Options.Strict)
}

// Keywords of errors that are not schema keywords.
const (
	KeywordSyntax = "syntax" // the input is not JSON
	KeywordRead   = "read"   // the input could not be read
)

// Expand turns paths into the list of inputs: files as given, directories
// walked recursively for *.json in lexical order, "-" for stdin. A path that
// does not exist is an error; unreadable files are kept and reported later.
func Expand(paths []string) ([]string, error) { return ExpandExt(paths, ".json") }

// ExpandExt is Expand for the files whose extension is one of exts
// (compared case-insensitively, with the dot: ".jsonl").
func ExpandExt(paths []string, exts ...string) ([]string, error) {
	var out []string
	for _, p := range paths {
		if p == Stdin {
			out = append(out, p)
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, &NoSuchPathError{p}
			}
			out = append(out, p) // reported as unreadable
			continue
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				found = append(found, path) // unreadable directory: report it
				return nil
			}
			if !d.IsDir() && hasExt(path, exts) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

func hasExt(path string, exts []string) bool {
	for _, e := range exts {
		if strings.EqualFold(filepath.Ext(path), e) {
			return true
		}
	}
	return false
}

// NoSuchPathError reports an input path that does not exist.
type NoSuchPathError struct{ Path string }

func (e *NoSuchPathError) Error() string { return e.Path + ": no such file or directory" }

// Files validates every input with up to GOMAXPROCS workers and calls emit
// with each result in input order as soon as it and all before it are done.
func Files(ctx context.Context, inputs []string, stdin io.Reader, opts Options, emit func(Result)) error {
	workers := runtime.GOMAXPROCS(0)
	// At most window inputs are between dispatch and emission, so memory
	// does not grow with the number of inputs.
	window := 16 * workers
	type done struct {
		i   int
		r   Result
		err error
	}
	jobs := make(chan int)
	results := make(chan done, window)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				r, err := file(inputs[i], stdin, opts)
				results <- done{i, r, err}
			}
		}()
	}
	var fatal error
	pending := make(map[int]done, window)
	next, sent := 0, 0
	defer func() {
		close(jobs)
		go func() { // drain what is in flight so the workers can end
			for range results {
			}
		}()
		wg.Wait()
		close(results)
	}()
	for next < len(inputs) {
		var send chan int
		if sent < len(inputs) && sent-next < window {
			send = jobs
		}
		select {
		case send <- sent:
			sent++
		case d := <-results:
			pending[d.i] = d
			for {
				d, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				if d.err != nil && fatal == nil {
					fatal = d.err
				}
				emit(d.r)
				next++
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return fatal
}

func file(path string, stdin io.Reader, opts Options) (Result, error) {
	name := path
	var data []byte
	var err error
	if path == Stdin {
		name = "<stdin>"
		data, err = io.ReadAll(stdin)
	} else {
		buf := buffers.Get().(*[]byte)
		defer buffers.Put(buf)
		data, err = readFile(path, buf)
	}
	if err != nil {
		return Result{Path: name, Errors: []payload.Error{{Keyword: KeywordRead, Message: "cannot read: " + ReadErrorText(err)}}}, nil
	}
	return Bytes(name, data, opts)
}

// buffers recycles file buffers between files: Bytes keeps nothing of the
// bytes it is given (payload.Parse copies what it keeps), so a batch run
// allocates no memory per file for reading.
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// readFileOS reads a whole file into *buf (grown as needed): up to the size
// fstat gave for a regular file, up to end of file for anything else.
func readFileOS(path string, buf *[]byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := -1
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		size = int(info.Size())
	}
	return readAll(buf, size, f.Read)
}

// readAll fills *buf from read, up to size bytes (-1: up to end of file).
func readAll(buf *[]byte, size int, read func([]byte) (int, error)) ([]byte, error) {
	b := (*buf)[:0]
	if cap(b) < size {
		b = make([]byte, 0, size)
	}
	for len(b) != size {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := read(b[len(b):cap(b)])
		b = b[:len(b)+max(n, 0)]
		if err == io.EOF || (err == nil && n == 0) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	*buf = b
	return b, nil
}

// Bytes validates one document already in memory.
func Bytes(name string, data []byte, opts Options) (Result, error) {
	r := Result{Path: name}
	doc, err := payload.Decode(data)
	if err != nil {
		var se *payload.SyntaxError
		if !errors.As(err, &se) {
			return r, err
		}
		r.Errors = []payload.Error{{Line: se.Line, Column: se.Column, Keyword: KeywordSyntax, Message: se.Msg}}
		return r, nil
	}
	r.Action = doc.Envelope.Action
	if opts.Action != "" {
		r.Action = opts.Action
	}
	r.APIVersion = opts.Version
	if opts.Version == payload.Auto {
		g := payload.DetectVersion(doc, opts.Fallback)
		r.APIVersion, r.VersionReason = g.Version, g.Reason
	}
	v, err := payload.ValidatorFor(r.APIVersion)
	if err != nil {
		return r, err
	}
	rep, err := v.Check(doc, payload.Options{Action: opts.Action, Strict: opts.Strict})
	if err != nil {
		return r, err
	}
	r.Errors, r.Warnings = rep.Errors, rep.Warnings
	r.Valid = len(r.Errors) == 0
	return r, nil
}

// ReadErrorText says why a file could not be read, without repeating its path.
func ReadErrorText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
