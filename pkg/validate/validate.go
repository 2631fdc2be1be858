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

// Result is the verdict on one input.
type Result struct {
	Path          string          `json:"path"`
	Action        string          `json:"action"`
	APIVersion    string          `json:"api_version,omitempty"`
	VersionReason string          `json:"api_version_reason,omitempty"` // why, when guessed
	Valid         bool            `json:"valid"`
	Errors        []payload.Error `json:"errors"`
}

// Options choose the schema for each input.
type Options struct {
	Version  string // an API version, or payload.Auto to guess it per input
	Fallback string // the version assumed when a guess is ambiguous
	Action   string // validate as this action instead of the document's
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
	results := make([]*Result, len(inputs))
	done := make([]chan struct{}, len(inputs))
	for i := range done {
		done[i] = make(chan struct{})
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	var fatal error
	var fatalOnce sync.Once
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				r, err := file(inputs[i], stdin, opts)
				if err != nil {
					fatalOnce.Do(func() { fatal = err })
				}
				results[i] = &r
				close(done[i])
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range inputs {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for i := range inputs {
		select {
		case <-done[i]:
			emit(*results[i])
			results[i] = nil // let the garbage collector have it
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
	}
	wg.Wait()
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
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return Result{Path: name, Errors: []payload.Error{{Keyword: KeywordRead, Message: "cannot read: " + unwrapPathError(err)}}}, nil
	}
	return Bytes(name, data, opts)
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
	errs, err := v.Validate(doc, opts.Action)
	if err != nil {
		return r, err
	}
	r.Errors = errs
	r.Valid = len(errs) == 0
	return r, nil
}

func unwrapPathError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
