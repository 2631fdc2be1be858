package record

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/lcwh/lcwh/pkg/jsonl"
)

// MaxLine bounds one recorded line (a 1 MiB body escaped can roughly double).
// Longer lines are skipped when read, without being held in memory.
const MaxLine = 64 << 20

// Reader streams entries from a recording in constant memory.
type Reader struct {
	sc *jsonl.Scanner
}

// NewReader reads a JSON Lines recording.
func NewReader(r io.Reader) *Reader {
	return &Reader{sc: jsonl.NewScanner(r, MaxLine, nil)}
}

// LineError is a recording line that is not a valid entry, or that was
// skipped: a *jsonl.TooLongError, or jsonl.ErrCut for a cut-off last line.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// Next returns the next entry, io.EOF at the end, or a *LineError for a
// bad or skipped line (the caller may report it and call Next again).
// Blank lines are skipped.
func (r *Reader) Next() (*Entry, error) {
	b, err := r.sc.Next()
	var tl *jsonl.TooLongError
	switch {
	case errors.As(err, &tl):
		return nil, &LineError{tl.Line, err}
	case err != nil:
		return nil, err
	}
	var e Entry
	if err := json.Unmarshal(b, &e); err != nil {
		if r.sc.Cut() {
			err = jsonl.ErrCut
		}
		return nil, &LineError{r.sc.Line(), err}
	}
	return &e, nil
}

// Line is the number of the line last read.
func (r *Reader) Line() int { return r.sc.Line() }

// IsEntry tells whether a JSON object looks like a recording line rather
// than a bare webhook body (used to read mixed inputs).
func IsEntry(obj map[string]any) bool {
	_, hasBody := obj["body"]
	_, hasB64 := obj["body_base64"]
	_, hasVerdict := obj["verdict"]
	return (hasBody || hasB64) && hasVerdict
}
