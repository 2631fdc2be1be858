package replay

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
)

// decodeLine reads what replay needs from one recording line: the recorded
// action and the body bytes. It gives exactly what json.Unmarshal into a
// record.Entry gives (the same errors too), but the body, nearly all of
// the line, is decoded by the tokenizer's Unquote (a run of plain bytes
// copied at once) instead of encoding/json's byte-by-byte scanner, which
// takes 3.4 times the CPU (BenchmarkUnmarshalLine / BenchmarkDecodeLine):
// this fast path is kept for that. The fields around the body (a few
// hundred bytes) still go through json.Unmarshal, with the body cut out. Anything unusual (escaped keys, invalid UTF-8, a second body-like
// key) takes the plain json.Unmarshal path.
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
// covers its quotes, body is its value, decoded on the way. ok is false
// when the line is not shaped as expected or the value not plainly
// decodable (the caller then decodes it the slow, exact way).
func bodySpan(b []byte) (start, end int, body []byte, ok bool) {
	i := payload.SpaceEnd(b, 0)
	if i >= len(b) || b[i] != '{' {
		return 0, 0, nil, false
	}
	i++
	found := false
	for {
		i = payload.SpaceEnd(b, i)
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
		i, ok = payload.SkipString(b, i)
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
		i = payload.SpaceEnd(b, i)
		if i >= len(b) || b[i] != ':' {
			return 0, 0, nil, false
		}
		i = payload.SpaceEnd(b, i+1)
		vs := i
		if isBody {
			if found || vs >= len(b) || b[vs] != '"' {
				return 0, 0, nil, false
			}
			if body, i, ok = payload.Unquote(b, vs); !ok {
				return 0, 0, nil, false
			}
			start, end, found = vs, i, true
		} else if i = payload.SkipValue(b, i); i == vs {
			return 0, 0, nil, false
		}
		i = payload.SpaceEnd(b, i)
		if i >= len(b) {
			return 0, 0, nil, false
		}
		switch b[i] {
		case ',':
			i++
		case '}':
			if payload.SpaceEnd(b, i+1) != len(b) {
				return 0, 0, nil, false
			}
			return start, end, body, found
		default:
			return 0, 0, nil, false
		}
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
