package record

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// MaxLine bounds one recorded line (a 1 MiB body escaped can roughly double).
const MaxLine = 64 << 20

// Reader streams entries from a recording in constant memory.
type Reader struct {
	sc   *bufio.Scanner
	line int
}

// NewReader reads a JSON Lines recording.
func NewReader(r io.Reader) *Reader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxLine)
	return &Reader{sc: sc}
}

// LineError is a recording line that is not a valid entry.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// Next returns the next entry, io.EOF at the end, or a *LineError for a
// bad line (the caller may report it and call Next again). Blank lines are skipped.
func (r *Reader) Next() (*Entry, error) {
	for r.sc.Scan() {
		r.line++
		b := bytes.TrimSpace(r.sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var e Entry
		if err := json.Unmarshal(b, &e); err != nil {
			return nil, &LineError{r.line, err}
		}
		return &e, nil
	}
	if err := r.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &LineError{r.line + 1, fmt.Errorf("line longer than %d bytes", MaxLine)}
		}
		return nil, err
	}
	return nil, io.EOF
}

// Line is the number of the line last read.
func (r *Reader) Line() int { return r.line }

// IsEntry tells whether a JSON object looks like a recording line rather
// than a bare webhook body (used to read mixed inputs).
func IsEntry(obj map[string]any) bool {
	_, hasBody := obj["body"]
	_, hasB64 := obj["body_base64"]
	_, hasVerdict := obj["verdict"]
	return (hasBody || hasB64) && hasVerdict
}
