// Package validate checks webhook files against the payload schemas, in
// parallel, and returns results in input order. It does no rendering.
package validate

import (
	"context"
	"errors"
	"io"
	"strconv"

	"github.com/lcwh/lcwh/pkg/inputs"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
)

// Result is the verdict on one webhook: a file, or a line of one.
// Warnings never make it invalid.
type Result struct {
	Path string `json:"path"`
	// Line is the line of Path the webhook is on, for JSON Lines and
	// recordings (0 for a whole file). Error positions are in Path too.
	Line          int             `json:"line,omitempty"`
	Action        string          `json:"action"`
	APIVersion    string          `json:"api_version,omitempty"`
	VersionReason string          `json:"api_version_reason,omitempty"` // why, when guessed
	Valid         bool            `json:"valid"`
	Errors        []payload.Error `json:"errors"`
	Warnings      []payload.Error `json:"warnings"`
}

// Where is "path", or "path:line" for a line of a file.
func (r Result) Where() string {
	if r.Line == 0 {
		return r.Path
	}
	return r.Path + ":" + strconv.Itoa(r.Line)
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

// Files validates every webhook of srcs (a file, each line of JSON Lines,
// the body of each line of a recording) in parallel, and calls emit with
// each result in input order. What was skipped without being a failure (a
// pipe in a folder, a recording line cut short) goes to note instead.
func Files(ctx context.Context, srcs []inputs.Source, stdin io.Reader, opts Options, emit func(Result), note func(where string, err error)) error {
	type checked struct {
		r    Result
		note error
		err  error
	}
	s := inputs.Read(srcs, inputs.Options{Stdin: stdin}, func(d *inputs.Doc) checked {
		if d.Err != nil && inputs.Tolerated(d.Err) {
			return checked{r: Result{Path: d.Name, Line: d.Line}, note: d.Err}
		}
		r, err := check(d, opts)
		if errors.Is(err, record.ErrCut) {
			return checked{r: r, note: err}
		}
		return checked{r: r, err: err}
	})
	defer s.Close()
	for c, ok := s.Next(); ok; c, ok = s.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		switch {
		case c.err != nil:
			return c.err
		case c.note != nil:
			note(c.r.Where(), c.note)
		default:
			emit(c.r)
		}
	}
	return ctx.Err()
}

// check validates one document of the inputs.
func check(d *inputs.Doc, opts Options) (Result, error) {
	name := d.Name
	if d.Err != nil {
		r := Result{Path: name, Line: d.Line}
		r.Errors = []payload.Error{{Line: d.Line, Keyword: KeywordRead, Message: inputs.Message(d.Err)}}
		return r, nil
	}
	switch d.Kind {
	case inputs.Line:
		r, err := Bytes(name, d.Raw, opts)
		r.Line = d.Line
		r.locate(func(e *payload.Error) { // the document is one line of the file
			e.Line += d.Line - 1
			if e.Line < d.Line {
				e.Line, e.Column = d.Line, 0
			}
		})
		return r, err
	case inputs.Entry:
		return entry(d, opts)
	}
	return Bytes(name, d.Raw, opts)
}

// entry validates the body of a recording line; errors are located in the
// line (the column of the offending character of the escaped body).
func entry(d *inputs.Doc, opts Options) (Result, error) {
	r := Result{Path: d.Name, Line: d.Line}
	e, err := record.DecodeLine(d.Raw)
	if err != nil {
		if errors.Is(err, record.ErrCut) {
			return r, err
		}
		r.Errors = []payload.Error{{Line: d.Line, Column: record.ErrorColumn(d.Raw, err), Keyword: KeywordSyntax, Message: "not a recording line: " + err.Error()}}
		return r, nil
	}
	r, err = Bytes(d.Name, e.RawBody(), opts)
	r.Line = d.Line
	r.locate(func(e *payload.Error) {
		e.Line, e.Column = d.Line, record.BodyColumn(d.Raw, e.Line, e.Column)
	})
	return r, err
}

// locate moves the position of every error and warning.
func (r *Result) locate(move func(*payload.Error)) {
	for i := range r.Errors {
		move(&r.Errors[i])
	}
	for i := range r.Warnings {
		move(&r.Warnings[i])
	}
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
