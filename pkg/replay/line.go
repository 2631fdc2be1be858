package replay

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	"github.com/lcwh/lcwh/pkg/record"
)

// decodeLine reads what replay needs from one recording line (blank-trimmed,
// not empty): the recorded action and the body bytes. It gives exactly what
// json.Unmarshal into a record.Entry gives (the same errors too), but the
// body, nearly all of the line, is unescaped by a tight loop instead of
// encoding/json's byte-by-byte scanner, in the same pass that finds its
// end: the fields around it (a few hundred
// bytes) still go through json.Unmarshal, with the body cut out. Anything
// unusual (escaped keys, surrogate escapes, invalid UTF-8, a second
// body-like key) takes the plain json.Unmarshal path.
func decodeLine(line []byte) (action string, body []byte, err error) {
	if start, end, b, ok := bodySpan(line); ok {
		rest := make([]byte, 0, len(line)-(end-start)+2)
		rest = append(rest, line[:start]...)
		rest = append(rest, `""`...)
		rest = append(rest, line[end:]...)
		var e record.Entry
		if json.Unmarshal(rest, &e) == nil && e.Body == "" {
			if e.BodyBase64 != nil {
				return e.Action, e.BodyBase64, nil
			}
			return e.Action, b, nil
		}
	}
	var e record.Entry
	if err := json.Unmarshal(line, &e); err != nil {
		return "", nil, err
	}
	return e.Action, e.RawBody(), nil
}

// bodySpan finds the string value of the top-level key "body": [start, end)
// covers its quotes, body is its value, unescaped on the way (as unescape
// would). ok is false when the line is not shaped as expected or the value
// is not for unescape (the caller then decodes it the slow, exact way).
func bodySpan(b []byte) (start, end int, body []byte, ok bool) {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return 0, 0, nil, false
	}
	i++
	found := false
	for {
		i = skipWS(b, i)
		if i >= len(b) {
			return 0, 0, nil, false
		}
		if b[i] == '}' && !found {
			return 0, 0, nil, false
		}
		if b[i] != '"' {
			return 0, 0, nil, false
		}
		ks := i
		i, ok = skipString(b, i)
		if !ok {
			return 0, 0, nil, false
		}
		key := b[ks+1 : i-1]
		if !plainKey(key) {
			return 0, 0, nil, false
		}
		isBody := string(key) == "body"
		if !isBody && len(key) == 4 && foldEq(key, "body") {
			return 0, 0, nil, false // "Body": encoding/json would match it too
		}
		i = skipWS(b, i)
		if i >= len(b) || b[i] != ':' {
			return 0, 0, nil, false
		}
		i = skipWS(b, i+1)
		vs := i
		if isBody {
			if found || vs >= len(b) || b[vs] != '"' {
				return 0, 0, nil, false
			}
			if body, i, ok = unquote(b, vs); !ok {
				return 0, 0, nil, false
			}
			start, end, found = vs, i, true
		} else if i, ok = skipValue(b, i, 0); !ok {
			return 0, 0, nil, false
		}
		i = skipWS(b, i)
		if i >= len(b) {
			return 0, 0, nil, false
		}
		switch b[i] {
		case ',':
			i++
		case '}':
			if skipWS(b, i+1) != len(b) {
				return 0, 0, nil, false
			}
			return start, end, body, found
		default:
			return 0, 0, nil, false
		}
	}
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the closing quote of the string at i.
func skipString(b []byte, i int) (int, bool) {
	for i++; i < len(b); {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			return 0, false
		}
		i += q
		n := 0 // backslashes right before the quote
		for n < i && b[i-1-n] == '\\' {
			n++
		}
		i++
		if n%2 == 0 {
			return i, true
		}
	}
	return 0, false
}

// skipValue skips one value without validating it (json.Unmarshal of the
// rest of the line does); it only needs to find where the value ends.
func skipValue(b []byte, i, depth int) (int, bool) {
	if i >= len(b) || depth > 64 {
		return 0, false
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		open := 1
		for i++; i < len(b); i++ {
			switch b[i] {
			case '"':
				j, ok := skipString(b, i)
				if !ok {
					return 0, false
				}
				i = j - 1
			case '{', '[':
				open++
			case '}', ']':
				open--
				if open == 0 {
					return i + 1, true
				}
			}
		}
		return 0, false
	default:
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
			j++
		}
		return j, j > i
	}
}

func plainKey(k []byte) bool {
	for _, c := range k {
		if c == '\\' || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func foldEq(k []byte, s string) bool {
	for i := range k {
		c := k[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// unescape decodes the inside of a JSON string as encoding/json does, for
// the common case: ok is false on control characters, bad escapes,
// surrogate \u escapes and invalid UTF-8 (the caller falls back).
func unescape(s []byte) ([]byte, bool) {
	out, _, ok := unescapeUntil(s, false)
	return out, ok
}

// unquote decodes the string at b[at] (its opening quote) as unescape does,
// finding its end on the way: end is the index after the closing quote.
func unquote(b []byte, at int) (out []byte, end int, ok bool) {
	out, n, ok := unescapeUntil(b[at+1:], true)
	return out, at + 1 + n + 1, ok
}

// unescapeUntil decodes s, up to an unescaped quote when quoted (n is then
// its index; ok is false when there is none).
func unescapeUntil(s []byte, quoted bool) (out []byte, n int, ok bool) {
	out = make([]byte, 0, len(s))
	ascii := true
	i := 0
	for i < len(s) {
		j := i
		for j < len(s) && s[j] != '\\' && s[j] != '"' && s[j] >= 0x20 {
			if s[j] >= utf8.RuneSelf {
				ascii = false
			}
			j++
		}
		out = append(out, s[i:j]...)
		if j == len(s) {
			i = j
			break
		}
		if s[j] == '"' {
			if quoted {
				if !ascii && !utf8.Valid(out) {
					return nil, 0, false
				}
				return out, j, true
			}
			out = append(out, '"')
			i = j + 1
			continue
		}
		if s[j] < 0x20 || j+1 >= len(s) {
			return nil, 0, false
		}
		c := s[j+1]
		switch c {
		case '"', '\\', '/':
			out = append(out, c)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			if j+6 > len(s) {
				return nil, 0, false
			}
			var r rune
			for _, h := range s[j+2 : j+6] {
				switch {
				case '0' <= h && h <= '9':
					h -= '0'
				case 'a' <= h && h <= 'f':
					h -= 'a' - 10
				case 'A' <= h && h <= 'F':
					h -= 'A' - 10
				default:
					return nil, 0, false
				}
				r = r<<4 | rune(h)
			}
			if r >= 0xD800 && r < 0xE000 {
				return nil, 0, false
			}
			out = utf8.AppendRune(out, r)
			i = j + 6
			continue
		default:
			return nil, 0, false
		}
		i = j + 2
	}
	if quoted {
		return nil, 0, false // no closing quote
	}
	if !ascii && !utf8.Valid(out) {
		return nil, 0, false
	}
	return out, i, true
}
