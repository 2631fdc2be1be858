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
	found := false
	m := payload.ObjectMembers(b, i)
	for m.Next() {
		switch {
		case !plainKey(m.Key):
			return 0, 0, nil, false
		case string(m.Key) == "body":
			if found || b[m.Value] != '"' {
				return 0, 0, nil, false
			}
			if body, end, ok = payload.Unquote(b, m.Value); !ok {
				return 0, 0, nil, false
			}
			start, found = m.Value, true
			m.ValueEndsAt(end)
		case len(m.Key) == 4 && foldEq(m.Key, "body"):
			return 0, 0, nil, false // "Body": encoding/json would match it too
		}
	}
	last, closed := m.End()
	return start, end, body, found && closed && payload.SpaceEnd(b, last) == len(b)
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
