package record

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"

	"github.com/lcwh/lcwh/pkg/payload"
)

// BodyColumn is the column (in characters, from 1) in a recording line of
// the body's character at line bl, column bc (as payload locates them), so
// an error in a recorded body points into the recording itself. A position
// the line does not show (a body in base64, an unlocated error) is the
// column where the body's value starts.
func BodyColumn(line []byte, bl, bc int) int {
	col := func(i int) int { return utf8.RuneCount(line[:i]) + 1 }
	if at := valueAt(line, "body_base64"); at >= 0 && bytes.HasPrefix(line[at:], []byte(`"`)) && !bytes.HasPrefix(line[at:], []byte(`""`)) {
		return col(at)
	}
	at := valueAt(line, "body")
	switch {
	case at < 0:
		return 0
	case line[at] != '"' || bl < 1 || bc < 1:
		return col(at)
	}
	l, c := 1, 1
	i := at + 1
	for i < len(line) && line[i] != '"' && (l != bl || c != bc) {
		if line[i] != '\\' || i+1 >= len(line) { // (the line decoded: its escapes are whole)
			_, n := utf8.DecodeRune(line[i:])
			i, c = i+n, c+1
			continue
		}
		r, n := payload.Escape(line, i)
		i += n
		if r == '\n' {
			l, c = l+1, 1
		} else {
			c++
		}
	}
	return col(min(i, len(line)))
}

// ErrorColumn is the column (in characters, from 1) in line of an error of
// decoding it with encoding/json, or 0 when it does not say.
func ErrorColumn(line []byte, err error) int {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset - 1 // the offset is after the byte at fault
	case errors.As(err, &te):
		off = te.Offset - 1
	}
	if off < 0 || off > int64(len(line)) {
		return 0
	}
	return utf8.RuneCount(line[:off]) + 1
}

// valueAt is the offset of the value of key in the top-level object of a
// recording line (the last one, as decoding keeps), or -1.
func valueAt(line []byte, key string) int {
	i := payload.SpaceEnd(line, 0)
	if i >= len(line) || line[i] != '{' {
		return -1
	}
	at := -1
	for m := payload.ObjectMembers(line, i); m.Next(); {
		if m.Name() == key {
			at = m.Value
		}
	}
	return at
}
