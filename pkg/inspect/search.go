package inspect

import (
	"unicode"
	"unicode/utf8"
)

// textMatcher finds a text case-insensitively in linear time (Knuth, Morris
// and Pratt over case-folded runes): a search runs over every kept body on
// each request, so its work must follow the bytes searched, whatever the
// text and the bodies hold, and it must not copy them.
type textMatcher struct {
	pat   []rune
	next  []int  // next[i]: the longest proper prefix of pat[:i+1] that is also its suffix
	ascii []byte // pat when it is all ASCII: then bodies are read byte by byte
}

func newTextMatcher(text string) *textMatcher {
	m := &textMatcher{}
	ascii := true
	for _, r := range text {
		m.pat = append(m.pat, fold(r))
		ascii = ascii && r < utf8.RuneSelf
	}
	if ascii {
		m.ascii = []byte(string(m.pat))
	}
	m.next = make([]int, len(m.pat))
	for i, k := 1, 0; i < len(m.pat); i++ {
		for k > 0 && m.pat[i] != m.pat[k] {
			k = m.next[k-1]
		}
		if m.pat[i] == m.pat[k] {
			k++
		}
		m.next[i] = k
	}
	return m
}

// fold maps the cases of a letter to one rune.
func fold(r rune) rune {
	if r < utf8.RuneSelf {
		return rune(lowerASCII[r])
	}
	return unicode.ToLower(unicode.ToUpper(r))
}

var lowerASCII = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
		if 'A' <= i && i <= 'Z' {
			t[i] += 'a' - 'A'
		}
	}
	return t
}()

// in tells whether b holds the text.
func (m *textMatcher) in(b []byte) bool {
	if len(m.pat) == 0 {
		return true
	}
	if p := m.ascii; p != nil {
		k := 0
		for _, c := range b {
			c = lowerASCII[c]
			for k > 0 && p[k] != c {
				k = m.next[k-1]
			}
			if p[k] == c {
				if k++; k == len(p) {
					return true
				}
			}
		}
		return false
	}
	k := 0
	for _, r := range string(b) { // no copy: the compiler ranges over b
		if k = m.step(k, r); k == len(m.pat) {
			return true
		}
	}
	return false
}

// inString is in for a short string (a summary line, an action, a path).
func (m *textMatcher) inString(s string) bool {
	if len(m.pat) == 0 {
		return true
	}
	k := 0
	for _, r := range s {
		if k = m.step(k, r); k == len(m.pat) {
			return true
		}
	}
	return false
}

// step advances the match state k by one rune of the text.
func (m *textMatcher) step(k int, r rune) int {
	r = fold(r)
	for k > 0 && m.pat[k] != r {
		k = m.next[k-1]
	}
	if m.pat[k] == r {
		k++
	}
	return k
}
