package payload

import (
	"strconv"
	"strings"
)

// Locate returns the byte offset where the value at the JSON Pointer path
// (already split into tokens) starts in data, which must be valid JSON.
// When the path does not exist, it returns the offset of the deepest
// existing ancestor, so a missing property points at the object lacking it.
// It is only called once something failed, so it rescans instead of
// keeping offsets for every value.
func Locate(data []byte, path []string) int {
	s := scanner{data: data}
	s.space()
	at := s.pos
	for _, tok := range path {
		s.pos = at
		var ok bool
		switch s.peek() {
		case '{':
			for m := ObjectMembers(data, at); !ok && m.Next(); {
				ok, s.pos = m.Name() == tok, m.Value // the first of duplicate keys
			}
		case '[':
			n, err := strconv.Atoi(tok)
			ok = err == nil && n >= 0 && s.findElement(n)
		}
		if !ok {
			return at
		}
		s.space()
		at = s.pos
	}
	return at
}

// RFC 6901 escaping of pointer tokens; a Replacer is safe for concurrent
// use and costly to build, so there is one of each.
var (
	pointerEscaper   = strings.NewReplacer("~", "~0", "/", "~1")
	pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")
)

// Pointer formats path tokens as an RFC 6901 JSON Pointer.
func Pointer(path []string) string {
	if len(path) == 0 {
		return ""
	}
	var b strings.Builder
	for _, t := range path {
		b.WriteByte('/')
		b.WriteString(pointerEscaper.Replace(t))
	}
	return b.String()
}

// SplitPointer splits an RFC 6901 JSON Pointer into its tokens.
func SplitPointer(p string) []string {
	if p == "" {
		return nil
	}
	toks := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, t := range toks {
		toks[i] = pointerUnescaper.Replace(t)
	}
	return toks
}

// scanner walks JSON without building values or checking it (the
// tokenizer's lenient half): on text that is not JSON it goes as far as
// it reads, and never past the end.
type scanner struct {
	data []byte
	pos  int
}

func (s *scanner) peek() byte {
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

func (s *scanner) space() { s.pos = SpaceEnd(s.data, s.pos) }

// findElement leaves pos at element n of the array at pos.
func (s *scanner) findElement(n int) bool {
	s.pos++ // [
	for i := 0; ; i++ {
		s.space()
		if s.peek() == ']' || s.pos >= len(s.data) {
			return false
		}
		if i == n {
			return true
		}
		s.skipValue()
		s.space()
		if s.peek() != ',' {
			return false
		}
		s.pos++
	}
}

func (s *scanner) skipValue() { s.pos = SkipValue(s.data, s.pos) }

// LocateAll does Locate for many pointers in one pass over data, so a body
// with thousands of errors is not rescanned once per error. It returns the
// offset of each pointer by its string form; subtrees that hold none of
// them are skipped.
func LocateAll(data []byte, pointers []string) map[string]int {
	found := make(map[string]int, len(pointers))
	onPath := map[string]bool{} // every pointer and its ancestors
	for _, p := range pointers {
		for {
			if onPath[p] {
				break
			}
			onPath[p] = true
			i := strings.LastIndexByte(p, '/')
			if i < 0 {
				break
			}
			p = p[:i]
		}
	}
	s := scanner{data: data}
	s.space()
	var walk func(ptr []byte)
	walk = func(ptr []byte) {
		if !onPath[string(ptr)] {
			s.skipValue()
			return
		}
		if _, dup := found[string(ptr)]; !dup { // the first of duplicate keys, as Locate
			found[string(ptr)] = s.pos
		}
		switch s.peek() {
		case '{':
			m := ObjectMembers(data, s.pos)
			for m.Next() {
				s.pos = m.Value
				walk(append(append(ptr, '/'), pointerEscaper.Replace(m.Name())...))
				m.ValueEndsAt(s.pos)
			}
			if end, closed := m.End(); closed {
				s.pos = end
				return
			}
		case '[':
			s.pos++
			for i := 0; ; i++ {
				s.space()
				if s.peek() == ']' || s.pos >= len(s.data) {
					break
				}
				walk(strconv.AppendInt(append(ptr, '/'), int64(i), 10))
				s.space()
				if s.peek() != ',' {
					break
				}
				s.pos++
			}
		default:
			s.skipValue()
			return
		}
		s.space()
		if c := s.peek(); c == '}' || c == ']' {
			s.pos++
		}
	}
	walk(nil)
	for _, p := range pointers {
		if _, ok := found[p]; !ok {
			found[p] = Locate(data, SplitPointer(p)) // missing: its deepest ancestor
		}
	}
	return found
}
