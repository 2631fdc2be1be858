package record

import (
	"bytes"
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
// skipped: a *jsonl.TooLongError, or ErrCut for a line cut short.
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
	e, err := DecodeLine(b)
	if err != nil {
		return nil, &LineError{r.sc.Line(), err}
	}
	return e, nil
}

// ErrCut is a line whose JSON ends before it is whole: what a write cut
// short (a crash, a full disk) leaves behind. It holds no delivery that
// was answered, so readers note it and go on.
var ErrCut = errors.New("line cut off (a write cut short, e.g. by a crash or a full disk)")

// DecodeLine decodes one recording line; a line cut short gives ErrCut.
func DecodeLine(line []byte) (*Entry, error) {
	var e Entry
	if err := json.Unmarshal(line, &e); err != nil {
		return nil, Cut(err)
	}
	return &e, nil
}

// Cut turns the error of decoding a line that ends early into ErrCut.
func Cut(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Error() == "unexpected end of JSON input" {
		return ErrCut
	}
	return err
}

// Line is the number of the line last read.
func (r *Reader) Line() int { return r.sc.Line() }

// IsEntry tells whether a JSON document (a line of JSON Lines, or a whole
// file) is a recording entry, an object with a body and a verdict, rather
// than a webhook body. It is how every reader tells them apart.
func IsEntry(doc []byte) bool {
	if !bytes.Contains(doc, []byte(`"verdict"`)) {
		return false // the common case, decided without parsing
	}
	var probe struct {
		Body       *json.RawMessage `json:"body"`
		BodyBase64 *json.RawMessage `json:"body_base64"`
		Verdict    *json.RawMessage `json:"verdict"`
	}
	return json.Unmarshal(doc, &probe) == nil && (probe.Body != nil || probe.BodyBase64 != nil) && probe.Verdict != nil
}
