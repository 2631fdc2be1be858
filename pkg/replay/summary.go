package replay

import (
	"bytes"
	"cmp"

	"github.com/lcwh/lcwh/pkg/payload"
)

// fastSummary gives what payload.Summarize(payload.Decode(body)) gives, and
// the envelope's action, without building the document: one strict pass
// over the JSON (anything payload.Parse might reject, and anything unusual,
// makes ok false and the caller parses the body the usual way) that notes
// where the values the summary reads start. Keys repeat last-wins, as in
// the parsed maps. TestFastSummaryAgreesWithPayload and FuzzFastSummary
// hold it to Decode + Summarize.
//
// It is kept beside the shared parser because replay misses its target
// without it (replay / hey >= 0.80, bench/README.md). Measured 2026-12-01,
// 2 cores at load 4 to 8, alternating binaries: `lcwh replay` of 20,000
// recorded deliveries to barehttp reached 0.65 of hey's rate with it and
// 0.54 with Decode + Summarize instead (medians of 6 rounds), which took
// 1.34 times the CPU (2.65 / 1.98 s); per body, BenchmarkFastSummary takes
// 0.27 of BenchmarkDecodeSummarize (27 / 102 µs, 25 / 594 allocations).
func fastSummary(body []byte) (action string, sum payload.Summary, ok bool) {
	var w walker
	w.b = body
	for i := range w.at {
		w.at[i] = -1
	}
	i, ok := w.value(payload.SpaceEnd(body, 0), 0, capTop)
	if !ok || payload.SpaceEnd(body, i) != len(body) {
		return "", sum, false
	}
	if body[payload.SpaceEnd(body, 0)] != '{' {
		return "", sum, true // not an object: no envelope, empty summary
	}
	at := &w.at
	if action, ok = str(body, at[slotAction]); !ok {
		return "", sum, false
	}
	sum.Action = action
	if p := at[slotPayload]; p < 0 || body[p] != '{' {
		return action, sum, true
	}
	var s [11]string
	for i, slot := range [...]int{slotChatID, slotChatChatID, slotThreadID, slotThreadThreadID, slotEventID,
		slotEventEventID, slotEventAuthor, slotUserID, slotUserUserID, slotAgentID, slotRequesterID} {
		if s[i], ok = str(body, at[slot]); !ok {
			return "", sum, false
		}
	}
	sum.ChatID = cmp.Or(s[0], s[1])
	sum.ThreadID = cmp.Or(s[2], s[3])
	sum.EventID = cmp.Or(s[4], s[5])
	sum.Author = cmp.Or(s[6], s[7], s[8], s[9], s[10])
	if id := at[slotID]; sum.ChatID == "" && id >= 0 && body[id] != 'n' {
		if body[id] != '"' {
			return "", sum, false // a non-string id: let fmt.Sprint word it
		}
		if sum.Subject, ok = str(body, id); !ok {
			return "", sum, false
		}
	}
	if u := at[slotUsers]; sum.Author == "" && u >= 0 && body[u] == '[' {
		if sum.Author, ok = customer(body, u); !ok {
			return "", sum, false
		}
	}
	return action, sum, true
}

// The values the summary reads, by where they sit: a slot holds the offset
// of the value (-1 when absent). Slots of an object and of the objects
// inside it are contiguous, so that a repeated key can clear what the
// earlier value left (last wins).
const (
	slotAction = iota
	slotPayload
	slotChatID // payload.chat_id
	slotThreadID
	slotEventID
	slotUserID
	slotAgentID
	slotRequesterID
	slotID
	slotChat
	slotEvent
	slotUser
	slotChatChatID // payload.chat.id
	slotChatThread
	slotUsers
	slotThreadThreadID // payload.chat.thread.id
	slotEventEventID   // payload.event.id
	slotEventAuthor
	slotUserUserID // payload.user.id
	nSlots
)

// The objects whose keys are noted.
const (
	capNone = iota - 1
	capTop
	capPayload
	capChat
	capThread
	capEvent
	capUser
)

type capture struct {
	keys     []string
	sub      []int // the capture of each key's value, or capNone
	base     int   // slot of keys[0]
	from, to int   // slots of this object and those inside it
}

var captures = [...]capture{
	capTop: {keys: []string{"action", "payload"}, sub: []int{capNone, capPayload}, base: slotAction, from: slotAction, to: nSlots},
	capPayload: {keys: []string{"chat_id", "thread_id", "event_id", "user_id", "agent_id", "requester_id", "id", "chat", "event", "user"},
		sub: []int{capNone, capNone, capNone, capNone, capNone, capNone, capNone, capChat, capEvent, capUser}, base: slotChatID, from: slotChatID, to: nSlots},
	capChat:   {keys: []string{"id", "thread", "users"}, sub: []int{capNone, capThread, capNone}, base: slotChatChatID, from: slotChatChatID, to: slotEventEventID},
	capThread: {keys: []string{"id"}, sub: []int{capNone}, base: slotThreadThreadID, from: slotThreadThreadID, to: slotEventEventID},
	capEvent:  {keys: []string{"id", "author_id"}, sub: []int{capNone, capNone}, base: slotEventEventID, from: slotEventEventID, to: slotUserUserID},
	capUser:   {keys: []string{"id"}, sub: []int{capNone}, base: slotUserUserID, from: slotUserUserID, to: nSlots},
}

// walker checks JSON strictly (a subset of what payload.Parse accepts: one
// value, valid UTF-8, no byte order mark, bounded nesting) and fills at.
type walker struct {
	b  []byte
	at [nSlots]int
}

// value checks the value at i; cp is what to note if it is an object.
func (w *walker) value(i, depth, cp int) (int, bool) {
	b := w.b
	if i >= len(b) || depth > 512 {
		return 0, false
	}
	switch c := b[i]; {
	case c == '{' || c == '[':
		closer, isObj := byte(']'), c == '{'
		if isObj {
			closer = '}'
		} else {
			cp = capNone
		}
		i = payload.SpaceEnd(b, i+1)
		if i < len(b) && b[i] == closer {
			return i + 1, true
		}
		for {
			var ok bool
			sub := capNone
			if isObj {
				if i >= len(b) || b[i] != '"' {
					return 0, false
				}
				ks := i
				end, _, err := payload.StringEnd(b, i)
				if err != nil {
					return 0, false
				}
				i = end
				if i = payload.SpaceEnd(b, i); i >= len(b) || b[i] != ':' {
					return 0, false
				}
				i = payload.SpaceEnd(b, i+1)
				if cp != capNone {
					if sub, ok = w.note(b[ks+1:i], cp, i); !ok {
						return 0, false
					}
				}
			}
			if i, ok = w.value(i, depth+1, sub); !ok {
				return 0, false
			}
			if i = payload.SpaceEnd(b, i); i >= len(b) {
				return 0, false
			}
			if b[i] == closer {
				return i + 1, true
			}
			if b[i] != ',' {
				return 0, false
			}
			i = payload.SpaceEnd(b, i+1)
		}
	case c == '"':
		end, _, err := payload.StringEnd(b, i)
		return end, err == nil
	case c == '-' || ('0' <= c && c <= '9'):
		end, err := payload.NumberEnd(b, i)
		return end, err == nil
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit {
				return i + len(lit), true
			}
		}
		return 0, false
	}
}

// note records the value at v under the key that starts raw (the quoted
// key, then blanks and a colon) in an object of capture cp, and returns
// the capture of that value. ok is false on an escaped key.
func (w *walker) note(raw []byte, cp, v int) (sub int, ok bool) {
	end := bytes.IndexByte(raw, '"')
	key := raw[:end]
	if bytes.IndexByte(key, '\\') >= 0 {
		return capNone, false
	}
	c := &captures[cp]
	for k, want := range c.keys {
		if string(key) == want {
			if s := c.sub[k]; s != capNone {
				for j := captures[s].from; j < captures[s].to; j++ {
					w.at[j] = -1
				}
			}
			w.at[c.base+k] = v
			return c.sub[k], true
		}
	}
	return capNone, true
}

// customer is the name, email or id of the first user of type customer.
func customer(b []byte, at int) (string, bool) {
	i := payload.SpaceEnd(b, at+1)
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
				return cmp.Or(s[1], s[2], s[3]), true
			}
		}
		i = payload.SkipValue(b, i)
		if i = payload.SpaceEnd(b, i); b[i] == ',' {
			i = payload.SpaceEnd(b, i+1)
		}
	}
	return "", true
}

// fields finds the values of keys in the (valid) object at at: the offset of
// each (the last, as parsing keeps), -1 when absent. ok is false on an
// escaped key.
func fields(b []byte, at int, keys ...string) ([]int, bool) {
	f := make([]int, len(keys))
	for i := range f {
		f[i] = -1
	}
	for m := payload.ObjectMembers(b, at); m.Next(); {
		if bytes.IndexByte(m.Key, '\\') >= 0 {
			return nil, false
		}
		for k, want := range keys {
			if string(m.Key) == want {
				f[k] = m.Value
			}
		}
	}
	return f, true
}

// str reads the string at at; absent or not a string reads as "".
func str(b []byte, at int) (string, bool) {
	if at < 0 || b[at] != '"' {
		return "", true
	}
	s, _, ok := payload.Unquote(b, at)
	return string(s), ok
}
