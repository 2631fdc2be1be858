package replay

import (
	"unicode/utf8"

	"github.com/lcwh/lcwh/pkg/payload"
)

// fastSummary gives what payload.Summarize(payload.Decode(body)) gives, and
// the envelope's action, without building the document: a strict check of
// the JSON (anything payload.Parse might reject, and anything unusual,
// makes ok false and the caller parses the body the usual way), then a walk
// of only the few objects the summary reads. Keys repeat last-wins, as in
// the parsed maps.
func fastSummary(body []byte) (action string, sum payload.Summary, ok bool) {
	if !validJSON(body) {
		return "", sum, false
	}
	top := skipWS(body, 0)
	if body[top] != '{' {
		return "", sum, true // not an object: no envelope, empty summary
	}
	f, ok := fields(body, top, "action", "payload")
	if !ok {
		return "", sum, false
	}
	action, ok = str(body, f[0])
	if !ok {
		return "", sum, false
	}
	sum.Action = action
	if f[1] < 0 || body[f[1]] != '{' {
		return action, sum, true
	}
	p, ok := fields(body, f[1], "chat_id", "thread_id", "event_id", "user_id", "agent_id", "requester_id", "id", "chat", "event", "user")
	if !ok {
		return "", sum, false
	}
	chat, ok1 := object(body, p[7], "id", "thread", "users")
	event, ok2 := object(body, p[8], "id", "author_id")
	user, ok3 := object(body, p[9], "id")
	thread, ok4 := object(body, chat[1], "id")
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return "", sum, false
	}
	var s [12]string
	for i, at := range []int{p[0], chat[0], p[1], thread[0], p[2], event[0], event[1], p[3], user[0], p[4], p[5]} {
		if s[i], ok = str(body, at); !ok {
			return "", sum, false
		}
	}
	sum.ChatID = first(s[0], s[1])
	sum.ThreadID = first(s[2], s[3])
	sum.EventID = first(s[4], s[5])
	sum.Author = first(s[6], s[7], s[8], s[9], s[10])
	if sum.ChatID == "" && p[6] >= 0 && body[p[6]] != 'n' {
		if body[p[6]] != '"' {
			return "", sum, false // a non-string id: let fmt.Sprint word it
		}
		if sum.Subject, ok = str(body, p[6]); !ok {
			return "", sum, false
		}
	}
	if sum.Author == "" && chat[2] >= 0 && body[chat[2]] == '[' {
		if sum.Author, ok = customer(body, chat[2]); !ok {
			return "", sum, false
		}
	}
	return action, sum, true
}

func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// customer is the name, email or id of the first user of type customer.
func customer(b []byte, at int) (string, bool) {
	i := skipWS(b, at+1)
	for b[i] != ']' {
		if b[i] == '{' {
			u, ok := fields(b, i, "type", "name", "email", "id")
			if !ok {
				return "", false
			}
			var s [4]string
			for k := range s {
				if s[k], ok = str(b, u[k]); !ok {
					return "", false
				}
			}
			if s[0] == "customer" {
				return first(s[1], s[2], s[3]), true
			}
		}
		i, _ = skipValue(b, i, 0)
		if i = skipWS(b, i); b[i] == ',' {
			i = skipWS(b, i+1)
		}
	}
	return "", true
}

// object reads keys of the object at at (-1 or not an object: all absent).
func object(b []byte, at int, keys ...string) ([]int, bool) {
	if at < 0 || b[at] != '{' {
		f := make([]int, len(keys))
		for i := range f {
			f[i] = -1
		}
		return f, true
	}
	return fields(b, at, keys...)
}

// fields finds the values of keys in the (valid) object at at: the offset of
// each, -1 when absent. ok is false on an escaped key.
func fields(b []byte, at int, keys ...string) ([]int, bool) {
	f := make([]int, len(keys))
	for i := range f {
		f[i] = -1
	}
	i := skipWS(b, at+1)
	for b[i] != '}' {
		ks := i
		i, _ = skipString(b, i)
		key := b[ks+1 : i-1]
		for _, c := range key {
			if c == '\\' {
				return nil, false
			}
		}
		i = skipWS(b, skipWS(b, i)+1)
		for k, want := range keys {
			if string(key) == want {
				f[k] = i
			}
		}
		i, _ = skipValue(b, i, 0)
		if i = skipWS(b, i); b[i] == ',' {
			i = skipWS(b, i+1)
		}
	}
	return f, true
}

// str reads the string at at; absent or not a string reads as "".
func str(b []byte, at int) (string, bool) {
	if at < 0 || b[at] != '"' {
		return "", true
	}
	end, _ := skipString(b, at)
	s, ok := unescape(b[at+1 : end-1])
	return string(s), ok
}

// validJSON accepts a subset of what payload.Parse accepts: one value,
// strict grammar, valid UTF-8, no byte order mark, bounded nesting.
func validJSON(b []byte) bool {
	i := skipWS(b, 0)
	i, ok := validValue(b, i, 0)
	return ok && skipWS(b, i) == len(b)
}

func validValue(b []byte, i, depth int) (int, bool) {
	if i >= len(b) || depth > 512 {
		return 0, false
	}
	switch c := b[i]; {
	case c == '{' || c == '[':
		closer, isObj := byte(']'), c == '{'
		if isObj {
			closer = '}'
		}
		i = skipWS(b, i+1)
		if i < len(b) && b[i] == closer {
			return i + 1, true
		}
		for {
			var ok bool
			if isObj {
				if i >= len(b) || b[i] != '"' {
					return 0, false
				}
				if i, ok = validString(b, i); !ok {
					return 0, false
				}
				if i = skipWS(b, i); i >= len(b) || b[i] != ':' {
					return 0, false
				}
				i = skipWS(b, i+1)
			}
			if i, ok = validValue(b, i, depth+1); !ok {
				return 0, false
			}
			if i = skipWS(b, i); i >= len(b) {
				return 0, false
			}
			if b[i] == closer {
				return i + 1, true
			}
			if b[i] != ',' {
				return 0, false
			}
			i = skipWS(b, i+1)
		}
	case c == '"':
		return validString(b, i)
	case c == '-' || ('0' <= c && c <= '9'):
		return validNumber(b, i)
	default:
		for _, w := range []string{"true", "false", "null"} {
			if len(b)-i >= len(w) && string(b[i:i+len(w)]) == w {
				return i + len(w), true
			}
		}
		return 0, false
	}
}

func validString(b []byte, i int) (int, bool) {
	start := i + 1
	ascii := true
	for i++; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			if !ascii && !utf8.Valid(b[start:i]) {
				return 0, false
			}
			return i + 1, true
		case c == '\\':
			if i+1 >= len(b) {
				return 0, false
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if i+6 > len(b) {
					return 0, false
				}
				for _, h := range b[i+2 : i+6] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return 0, false
					}
				}
				i += 5
			default:
				return 0, false
			}
		case c < 0x20:
			return 0, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return 0, false
}

func validNumber(b []byte, i int) (int, bool) {
	digits := func(i int) (int, bool) {
		j := i
		for j < len(b) && '0' <= b[j] && b[j] <= '9' {
			j++
		}
		return j, j > i
	}
	if b[i] == '-' {
		i++
	}
	var ok bool
	if i < len(b) && b[i] == '0' {
		i++
		if i < len(b) && '0' <= b[i] && b[i] <= '9' {
			return 0, false
		}
	} else if i, ok = digits(i); !ok {
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		if i, ok = digits(i + 1); !ok {
			return 0, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i, ok = digits(i); !ok {
			return 0, false
		}
	}
	return i, true
}
