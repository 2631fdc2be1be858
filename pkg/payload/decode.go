package payload

import (
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"
)

// MaxDepth bounds nesting so hostile input cannot exhaust the stack.
const MaxDepth = 10000

// SyntaxError is a JSON syntax error located in the source.
// Line and Column are 1-based; Column counts characters, not bytes.
type SyntaxError struct {
	Offset int // byte offset of the fault
	Line   int
	Column int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg)
}

// Parse decodes one JSON document into map[string]any, []any, string,
// json.Number, bool or nil. Unlike encoding/json it rejects invalid UTF-8
// and explains common mistakes (trailing commas, comments, unquoted keys).
func Parse(data []byte) (any, error) {
	// One copy of the document as a string: every key, string and number
	// without escapes is a substring of it, so parsing allocates no string.
	p := parser{data: data, s: string(data)}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		return nil, p.errAt(0, "document starts with a UTF-8 byte order mark (BOM); JSON must not (save the file as UTF-8 without BOM)")
	}
	p.skipSpace()
	if p.pos >= len(data) {
		return nil, p.errAt(p.pos, "empty document: expected a JSON object")
	}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(data) {
		if c := data[p.pos]; c == '/' || c == '#' {
			return nil, p.errAt(p.pos, "comments are not allowed in JSON")
		}
		return nil, p.errAt(p.pos, "unexpected data after the end of the JSON document (only one top-level value is allowed)")
	}
	return v, nil
}

type parser struct {
	data []byte
	s    string // data, as a string
	pos  int
}

func (p *parser) errAt(off int, format string, args ...any) *SyntaxError {
	line, col := Position(p.data, off)
	return &SyntaxError{Offset: off, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) skipSpace() { p.pos = SpaceEnd(p.data, p.pos) }

// fault reports a token's error.
func (p *parser) fault(e *TokenError) *SyntaxError { return p.errAt(e.Off, "%s", e.Msg) }

// unexpected explains the byte at p.pos when it cannot start what was expected.
func (p *parser) unexpected(what string) *SyntaxError {
	if p.pos >= len(p.data) {
		return p.errAt(p.pos, "unexpected end of input: expected %s (the document is truncated)", what)
	}
	c := p.data[p.pos]
	switch {
	case c == '/' && p.pos+1 < len(p.data) && (p.data[p.pos+1] == '/' || p.data[p.pos+1] == '*'), c == '#':
		return p.errAt(p.pos, "comments are not allowed in JSON")
	case c == '\'':
		return p.errAt(p.pos, "strings must use double quotes, not single quotes")
	case c >= utf8.RuneSelf:
		r, _ := utf8.DecodeRune(p.data[p.pos:])
		if r == utf8.RuneError {
			return p.errAt(p.pos, "invalid UTF-8 byte 0x%02x", c)
		}
		return p.errAt(p.pos, "unexpected character %q: expected %s", r, what)
	case c < 0x20:
		return p.errAt(p.pos, "unexpected control character U+%04X: expected %s", c, what)
	}
	return p.errAt(p.pos, "unexpected %q: expected %s", c, what)
}

func (p *parser) value(depth int) (any, error) {
	if depth > MaxDepth {
		return nil, p.errAt(p.pos, "nesting deeper than %d levels", MaxDepth)
	}
	p.skipSpace()
	if p.pos >= len(p.data) {
		return nil, p.unexpected("a value")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	}
	return nil, p.unexpected("a value")
}

func (p *parser) literal(word string) error {
	end := p.pos + len(word)
	if end <= len(p.data) && string(p.data[p.pos:end]) == word {
		p.pos = end
		return nil
	}
	return p.errAt(p.pos, "invalid literal: expected %s", word)
}

func (p *parser) object(depth int) (any, error) {
	open := p.pos
	p.pos++ // {
	obj := map[string]any{}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return obj, nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.truncated(open, "object")
		}
		switch c := p.data[p.pos]; {
		case c == '}':
			return nil, p.errAt(p.pos, "trailing comma before '}'")
		case c != '"':
			if isIdentStart(c) {
				return nil, p.errAt(p.pos, "object keys must be double-quoted strings")
			}
			return nil, p.unexpected("a double-quoted object key")
		}
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.truncated(open, "object")
		}
		if p.data[p.pos] != ':' {
			return nil, p.unexpected(fmt.Sprintf("':' after key %q", key))
		}
		p.pos++
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		obj[key] = v
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.truncated(open, "object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return obj, nil
		case ']':
			return nil, p.errAt(p.pos, "unexpected ']': the object opened at %s is not closed", p.where(open))
		default:
			return nil, p.unexpected("',' or '}' after an object member")
		}
	}
}

func (p *parser) array(depth int) (any, error) {
	open := p.pos
	p.pos++ // [
	arr := []any{}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return arr, nil
	}
	for {
		p.skipSpace()
		if p.pos < len(p.data) && p.data[p.pos] == ']' {
			return nil, p.errAt(p.pos, "trailing comma before ']'")
		}
		if p.pos >= len(p.data) {
			return nil, p.truncated(open, "array")
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.truncated(open, "array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return arr, nil
		case '}':
			return nil, p.errAt(p.pos, "unexpected '}': the array opened at %s is not closed", p.where(open))
		default:
			return nil, p.unexpected("',' or ']' after an array element")
		}
	}
}

func (p *parser) truncated(open int, kind string) *SyntaxError {
	return p.errAt(p.pos, "unexpected end of input: the %s opened at %s is not closed (the document is truncated)", kind, p.where(open))
}

func (p *parser) where(off int) string {
	line, col := Position(p.data, off)
	return fmt.Sprintf("%d:%d", line, col)
}

func (p *parser) str() (string, error) {
	start := p.pos
	end, escaped, err := StringEnd(p.data, start)
	if err != nil {
		return "", p.fault(err)
	}
	p.pos = end
	if !escaped { // the common case: a substring, no allocation
		return p.s[start+1 : end-1], nil
	}
	v, _, _ := Unquote(p.data, start)
	return string(v), nil
}

func (p *parser) number() (any, error) {
	start := p.pos
	end, err := NumberEnd(p.data, start)
	if err != nil {
		return nil, p.fault(err)
	}
	p.pos = end
	return json.Number(p.s[start:end]), nil
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// Position converts a byte offset into a 1-based line and a 1-based column
// counted in characters (runes), so editors land on the right spot.
func Position(data []byte, off int) (line, col int) {
	return advance(data, 0, off, 1, 1)
}

// Positions is Position for many offsets (in any order) in one pass over
// data, so a body with thousands of errors is not rescanned per error.
func Positions(data []byte, offsets []int) (lines, cols []int) {
	order := make([]int, len(offsets))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return offsets[a] - offsets[b] })
	lines, cols = make([]int, len(offsets)), make([]int, len(offsets))
	line, col, at := 1, 1, 0
	for _, i := range order {
		off := min(max(offsets[i], 0), len(data))
		line, col = advance(data, at, off, line, col)
		at = off
		lines[i], cols[i] = line, col
	}
	return lines, cols
}

// advance moves a position (line, col at byte from) forward to byte off.
func advance(data []byte, from, off, line, col int) (int, int) {
	if off > len(data) {
		off = len(data)
	}
	for i := from; i < off; {
		c := data[i]
		if c == '\n' {
			line++
			col = 1
			i++
			continue
		}
		if c < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRune(data[i:])
			i += size
		}
		col++
	}
	return line, col
}
