package payload

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// lcwh's one JSON tokenizer: where each token of JSON text ends, by byte
// offset, and what a string says. Every reader of JSON text goes through
// it: the parser (Parse: strict, with StringEnd and NumberEnd), the
// locator and the secret spans (Locate, LocateAll, SecretSpans: lenient,
// with SkipString, SkipValue and Members, as far as a body cut short
// reads), and, outside this package, the recording line reader (pkg/replay's
// decodeLine, pkg/record's BodyColumn: Members, Unquote) and replay's
// summary. What a token means is the caller's business.

// TokenError is a token that is not valid JSON: what is wrong, and the
// byte offset where.
type TokenError struct {
	Off int
	Msg string
}

func (e *TokenError) Error() string { return e.Msg }

// SpaceEnd is the index of the first byte of b from i on that is not JSON
// white space (len(b) when there is none).
func SpaceEnd(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// SkipString returns the index after the closing quote of the string whose
// opening quote is b[i], stepping over escapes without checking them. When
// the string is not closed, it returns len(b) and false.
func SkipString(b []byte, i int) (int, bool) {
	for i++; i < len(b); {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			break
		}
		i += q
		n := 0 // backslashes right before the quote
		for b[i-1-n] == '\\' {
			n++
		}
		i++
		if n%2 == 0 {
			return i, true
		}
	}
	return len(b), false
}

// SkipValue returns the index after the value at b[i] without checking it:
// after the closer of an object or array (len(b) when it is not closed),
// or, for anything else, at the first byte that cannot continue a scalar
// (white space, ',', ':', '}' or ']'). It never reads past b.
func SkipValue(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			i, _ = SkipString(b, i)
			if depth == 0 {
				return i
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i // the parent's end: the scalar ended
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case ',', ' ', '\t', '\n', '\r', ':':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	return i
}

// Members reads the members of a JSON object one at a time, leniently (as
// SkipValue: nothing checked, never past the end; text that is not JSON is
// read as far as it goes). It is how every reader that looks for a key
// finds it:
//
//	m := payload.ObjectMembers(b, i)
//	for m.Next() {
//		... m.Key, m.Value ...
//	}
//	end, closed := m.End()
type Members struct {
	Key   []byte // the member's key as written between its quotes (escapes not decoded)
	Value int    // the offset of its value

	b        []byte
	keyAt    int // the key's opening quote
	next     int // where the next key is looked for; -1 once done
	valueEnd int // where the value ends, when the caller read it; -1 when not
	end      int // the offset after the closing brace; -1 until reached
}

// ObjectMembers reads the object whose opening brace is b[i].
func ObjectMembers(b []byte, i int) Members {
	return Members{b: b, next: SpaceEnd(b, i+1), Value: -1, end: -1}
}

// Next moves to the next member. It is false at the object's closing brace
// (End says where) and where the members cannot go on: a key that is not
// a closed string followed by a colon, a value followed by neither a comma
// nor the closing brace, the end of b. (What it steps over is not checked:
// an empty value, a trailing comma.)
func (m *Members) Next() bool {
	b, i := m.b, m.next
	if i < 0 {
		return false
	}
	m.next = -1
	if m.Value >= 0 { // after the previous member: a comma or the end
		if i = m.valueEnd; i < 0 {
			i = SkipValue(b, m.Value)
		}
		if i = SpaceEnd(b, i); i >= len(b) || (b[i] != ',' && b[i] != '}') {
			return false
		}
		if b[i] == ',' {
			i = SpaceEnd(b, i+1)
		}
	}
	if i < len(b) && b[i] == '}' {
		m.end = i + 1
		return false
	}
	if i >= len(b) || b[i] != '"' {
		return false
	}
	end, closed := SkipString(b, i)
	if !closed {
		return false
	}
	m.keyAt, m.Key = i, b[i+1:end-1]
	if i = SpaceEnd(b, end); i >= len(b) || b[i] != ':' {
		return false
	}
	if m.Value = SpaceEnd(b, i+1); m.Value >= len(b) {
		return false
	}
	m.next, m.valueEnd = m.Value, -1
	return true
}

// ValueEndsAt tells Next that the caller read the current value and that
// it ends at end, so it is not scanned again.
func (m *Members) ValueEndsAt(end int) { m.valueEnd = end }

// Name is the current key decoded ("" when its escapes are not valid).
func (m *Members) Name() string {
	if bytes.IndexByte(m.Key, '\\') < 0 {
		return string(m.Key)
	}
	k, _, _ := Unquote(m.b, m.keyAt)
	return string(k)
}

// End is the offset after the object's closing brace, once Next stopped
// there; closed is false when it stopped at something else.
func (m *Members) End() (end int, closed bool) { return m.end, m.end >= 0 }

// StringEnd checks the string whose opening quote is b[i] as Parse requires
// (valid escapes, no raw control characters, valid UTF-8) and returns the
// index after its closing quote, and whether it holds escapes (if not, its
// value is the bytes between the quotes). The error is the first fault.
func StringEnd(b []byte, i int) (end int, escaped bool, err *TokenError) {
	start := i + 1
	ascii := true // UTF-8 is checked in one go, at the end or at a fault
	for i = start; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '"':
			if !ascii && !utf8.Valid(b[start:i]) {
				return 0, false, badUTF8(b, start)
			}
			return i + 1, escaped, nil
		case c == '\\':
			escaped = true
			n, e := escapeLen(b, i)
			if e != nil {
				return 0, false, firstFault(b, start, i, ascii, e)
			}
			i += n - 1
		case c < 0x20:
			return 0, false, firstFault(b, start, i, ascii, &TokenError{i, fmt.Sprintf("control character U+%04X in a string must be escaped (%s)", c, escapeHint(c))})
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	line, col := Position(b, start-1)
	return 0, false, firstFault(b, start, i, ascii, &TokenError{len(b), fmt.Sprintf("unexpected end of input: the string opened at %d:%d is not closed", line, col)})
}

// firstFault is e, unless the string before it (from start to at) holds
// invalid UTF-8, which comes first.
func firstFault(b []byte, start, at int, ascii bool, e *TokenError) *TokenError {
	if !ascii && !utf8.Valid(b[start:at]) {
		return badUTF8(b, start)
	}
	return e
}

// badUTF8 reports the first byte from start on that is not UTF-8.
func badUTF8(b []byte, start int) *TokenError {
	for i := start; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return &TokenError{i, fmt.Sprintf("invalid UTF-8 byte 0x%02x in a string", b[i])}
		}
		i += n
	}
	return &TokenError{len(b), "invalid UTF-8 in a string"} // not reached: the caller saw one
}

func escapeHint(c byte) string {
	switch c {
	case '\n':
		return `write \n`
	case '\t':
		return `write \t`
	case '\r':
		return `write \r`
	}
	return fmt.Sprintf(`write \u%04x`, c)
}

// escapeLen checks the escape at b[i] (a backslash) and returns its length.
func escapeLen(b []byte, i int) (int, *TokenError) {
	if i+1 >= len(b) {
		return 0, &TokenError{i, "unexpected end of input in a string escape"}
	}
	switch c := b[i+1]; {
	case simpleEscapes[c] != 0:
		return 2, nil
	case c == 'u':
		if i+6 > len(b) {
			return 0, &TokenError{i, `unexpected end of input in a \u escape`}
		}
		if hex4(b[i+2:i+6]) < 0 {
			return 0, &TokenError{i, `invalid \u escape: expected four hex digits`}
		}
		return 6, nil
	default:
		return 0, &TokenError{i, fmt.Sprintf("invalid escape sequence \\%c in a string", c)}
	}
}

// simpleEscapes maps the letter of each two-byte escape to what it stands for.
var simpleEscapes = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// hex4 reads four hex digits, or gives -1.
func hex4(h []byte) rune {
	var r rune
	for _, c := range h[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// Escape decodes the escape at b[i] (a backslash, checked by StringEnd) as
// encoding/json does: the character it stands for and its length, a
// surrogate pair as one character, a lone surrogate as U+FFFD.
func Escape(b []byte, i int) (r rune, n int) {
	if c := simpleEscapes[b[i+1]]; c != 0 {
		return rune(c), 2
	}
	r = hex4(b[i+2:])
	if 0xD800 <= r && r < 0xDC00 && i+12 <= len(b) && b[i+6] == '\\' && b[i+7] == 'u' {
		if r2 := hex4(b[i+8:]); 0xDC00 <= r2 && r2 < 0xE000 {
			return (r-0xD800)<<10 + (r2 - 0xDC00) + 0x10000, 12
		}
	}
	if 0xD800 <= r && r < 0xE000 {
		r = utf8.RuneError
	}
	return r, 6
}

// Unquote decodes the string whose opening quote is b[i] exactly as
// encoding/json does and returns the index after its closing quote. ok is
// false when StringEnd would report a fault (the caller reports it, or
// decodes another way); the value is then nil.
func Unquote(b []byte, i int) (s []byte, end int, ok bool) {
	out := make([]byte, 0, unquotedCap(b, i))
	ascii := true
	for i++; i < len(b); {
		j := i
		for j < len(b) && b[j] != '\\' && b[j] != '"' && b[j] >= 0x20 {
			if b[j] >= utf8.RuneSelf {
				ascii = false
			}
			j++
		}
		out = append(out, b[i:j]...) // a run of plain bytes at once
		i = j
		switch {
		case i >= len(b) || b[i] < 0x20:
			return nil, 0, false
		case b[i] == '"':
			if !ascii && !utf8.Valid(out) {
				return nil, 0, false
			}
			return out, i + 1, true
		}
		if i+1 < len(b) && simpleEscapes[b[i+1]] != 0 { // most escapes: \" \n \\
			out = append(out, simpleEscapes[b[i+1]])
			i += 2
			continue
		}
		if _, e := escapeLen(b, i); e != nil {
			return nil, 0, false
		}
		r, n := Escape(b, i)
		out = utf8.AppendRune(out, r)
		i += n
	}
	return nil, 0, false
}

// unquotedCap guesses the length of the string at b[i] without reading it
// all: up to its first quote, unless that one is escaped (a body in a
// recording line: most of what follows).
func unquotedCap(b []byte, i int) int {
	q := bytes.IndexByte(b[i+1:], '"')
	if q < 0 || b[i+q] == '\\' {
		return len(b) - i
	}
	return q
}

// NumberEnd checks the number at b[i] (a '-' or a digit) as JSON defines
// numbers and returns the index after it.
func NumberEnd(b []byte, i int) (int, *TokenError) {
	start := i
	digits := func() bool {
		j := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		return i > j
	}
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
		if i < len(b) && '0' <= b[i] && b[i] <= '9' {
			return 0, &TokenError{start, "numbers must not have leading zeros"}
		}
	case !digits():
		return 0, &TokenError{start, "invalid number"}
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return 0, &TokenError{start, "invalid number: expected digits after '.'"}
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return 0, &TokenError{start, "invalid number: expected digits in the exponent"}
		}
	}
	return i, nil
}
