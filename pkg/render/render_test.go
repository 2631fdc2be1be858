package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload"
)

func doc(t *testing.T, s string) *payload.Document {
	t.Helper()
	d, err := payload.Decode([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestGist(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"action":"incoming_chat","payload":{"chat":{"id":"C","users":[{"id":"u1","type":"customer","name":"Jane"},{"id":"a@x.com","type":"agent","name":"John"}],
		  "thread":{"id":"T","events":[{"id":"1","type":"message","author_id":"u1","text":"Hi, I need help"},
		  {"id":"2","type":"system_message","system_message_type":"routing.assigned","text":"Chat assigned to John"},
		  {"id":"3","type":"message","author_id":"a@x.com","text":"Sure <b>"}]}}}}`,
			"customer Jane wrote \"Hi, I need help\"\nsystem message \"Chat assigned to John\"\nagent John wrote \"Sure <b>\""},
		{`{"action":"incoming_event","payload":{"event":{"type":"message","author_id":"3f9c2a4e-6b1d-4e8a-9c57-0d2e8b4f1a63","text":"x"}}}`,
			`customer 3f9c2a4e-6b1d-4e8a-9c57-0d2e8b4f1a63 wrote "x" in a chat`},
		{`{"action":"event_updated","payload":{"chat_id":"C","event":{"type":"file","author_id":"a@x.com","name":"f.png","content_type":"image/png"}}}`,
			`agent a@x.com edited: sent a file "f.png" (image/png) in chat C`},
		{`{"action":"thread_properties_updated","payload":{"chat_id":"C","thread_id":"T","properties":{"rating":{"score":1,"comment":"ok"}}}}`,
			`thread T of chat C: rating.comment = "ok", rating.score = 1`},
		{`{"action":"event_properties_deleted","payload":{"properties":{"ns":["a","b"]}}}`, "an event of a chat: ns.a deleted, ns.b deleted"},
		{`{"action":"thread_untagged","payload":{"chat_id":"C","tag":"vip"}}`, `chat C untagged "vip"`},
		{`{"action":"chat_transferred","payload":{"chat_id":"C","reason":"manual","transferred_to":{"group_ids":[1,2]}}}`, "chat C transferred to group 1, group 2 (manual)"},
		{`{"action":"agent_created","payload":{"id":"a@x.com"}}`, "agent a@x.com created"},
		{`{"action":"incoming_event","payload":[]}`, ""},
	}
	for _, tt := range tests {
		if got := strings.Join(Gist(doc(t, tt.body)), "\n"); got != tt.want {
			t.Errorf("Gist(%.60s…)\n got %q\nwant %q", tt.body, got, tt.want)
		}
	}
}

func TestHeader(t *testing.T) {
	d := doc(t, `{"action":"incoming_event","secret_key":"s","payload":{"chat_id":"C","thread_id":"T","event":{"id":"E","created_at":"2025-09-16T09:46:12Z","type":"message","author_id":"a@x.com","text":"x"}}}`)
	p := iostreams.NewPalette(false)
	if got, want := Header(Webhook{Doc: d, Checked: true}, p), "incoming_event 2025-09-16T09:46:12Z chat=C thread=T event=E author=a@x.com ✓ valid"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	errs := []payload.Error{{Pointer: "/webhook_id", Message: "missing"}, {Message: "b"}}
	if got := Header(Webhook{Doc: d, Checked: true, Errors: errs, Time: "now", Extra: "→ 200"}, p); !strings.Contains(got, " now ") || !strings.HasSuffix(got, "✗ invalid (2 errors) → 200") {
		t.Errorf("got %q", got)
	}
	if got := Header(Webhook{}, p); got != "(unparsable body)" {
		t.Errorf("got %q", got)
	}
}

func TestRenderFormatsRedact(t *testing.T) {
	d := doc(t, `{"action":"thread_tagged","secret_key":"hush","payload":{"tag":"x"}}`)
	for _, f := range Formats {
		var b bytes.Buffer
		if err := Render(&b, Webhook{Doc: d}, Options{Format: f}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), "hush") {
			t.Errorf("%s shows the secret: %s", f, b.String())
		}
		if strings.Contains(b.String(), "\x1b[") {
			t.Errorf("%s coloured without Color", f)
		}
	}
	var b bytes.Buffer
	Render(&b, Webhook{Doc: d}, Options{Format: FormatCompact, ShowSecrets: true})
	if b.String() != `{"action":"thread_tagged","secret_key":"hush","payload":{"tag":"x"}}`+"\n" {
		t.Errorf("compact: %q", b.String())
	}
	b.Reset()
	Render(&b, Webhook{Doc: d}, Options{Format: FormatPretty, Color: true})
	if !strings.Contains(b.String(), "\x1b[") {
		t.Error("pretty with Color has no colour")
	}
}

func TestGistNamesLaterAuthors(t *testing.T) {
	names := &Namer{}
	chat := doc(t, `{"action":"incoming_chat","payload":{"chat":{"id":"C","users":[{"id":"u1","type":"customer","name":"Jane"}],"thread":{"id":"T","events":[]}}}}`)
	event := doc(t, `{"action":"incoming_event","payload":{"chat_id":"C","event":{"type":"message","author_id":"u1","text":"Hi, I need help"}}}`)
	if got := GistWith(event, names); got[0] != `user u1 wrote "Hi, I need help" in chat C` {
		t.Errorf("before learning: %q", got)
	}
	var b bytes.Buffer
	Render(&b, Webhook{Doc: chat}, Options{Format: FormatSummary, Names: names})
	if got := GistWith(event, names); got[0] != `customer Jane wrote "Hi, I need help" in chat C` {
		t.Errorf("after incoming_chat: %q", got)
	}
}

func TestLine(t *testing.T) {
	p := iostreams.NewPalette(false)
	d := doc(t, `{"action":"routing_status_set","payload":{"agent_id":"a@x.com","status":"busy"}}`)
	errs := []payload.Error{{Pointer: "/payload/status", Message: "bad"}, {Message: "b"}}
	tests := []struct {
		wh   Webhook
		want string
	}{
		{Webhook{Doc: d, Checked: true, Time: "12:00:00.000", Extra: "→ 200 in 1ms"}, `12:00:00.000 routing_status_set ✓ valid → 200 in 1ms  agent a@x.com is now busy`},
		{Webhook{Doc: d, Checked: true, Errors: errs}, `routing_status_set ✗ invalid: /payload/status: bad (+1 more)  agent a@x.com is now busy`},
		{Webhook{Time: "t", Extra: "→ 400 malformed"}, `t (unparsable body) → 400 malformed`},
		{Webhook{Doc: doc(t, `{"action":"new_thing","payload":{"chat_id":"C"}}`)}, `new_thing  chat=C`},
	}
	for _, tt := range tests {
		if got := Line(tt.wh, nil, p); got != tt.want {
			t.Errorf("\n got %q\nwant %q", got, tt.want)
		}
	}
}

// TestRenderBoundedAndSafe is #12 items 3 and 7 for print and listen: a
// hostile body renders in bounded bytes, and nothing from it reaches the
// terminal as a control character.
func TestRenderBoundedAndSafe(t *testing.T) {
	var events []string
	for range 10000 {
		events = append(events, `{"type":"message","author_id":"u","text":"\u001b[2J\u009b\u202e`+strings.Repeat("x", 500)+"\u2066\"}")
	}
	deep := strings.Repeat("[", 9000) + strings.Repeat("]", 9000)
	hostile := doc(t, `{"action":"incoming_chat","secret_key":"s","payload":{"chat":{"id":"C\u001b[31m","users":[{"id":"u","type":"customer","name":"\u009b2J"}],"deep":[`+deep+`,`+deep+`],"thread":{"id":"T","events":[`+strings.Join(events, ",")+`]}}}}`)
	var errs []payload.Error
	for range 5000 {
		errs = append(errs, payload.Error{Pointer: "/x\u001b", Message: strings.Repeat("\u0085", 2000)})
	}
	hostileAction := doc(t, `{"action":"incoming_chat\u001b]0;pwned\u0007","payload":{}}`)
	for _, f := range Formats {
		var b bytes.Buffer
		Render(&b, Webhook{Doc: hostileAction, Checked: true}, Options{Format: f, Terminal: true})
		if bytes.ContainsAny(b.Bytes(), "\x1b\x07") {
			t.Errorf("%s: the action's escapes reach the terminal: %q", f, b.Bytes())
		}
		b.Reset()
		if err := Render(&b, Webhook{Doc: hostile, Errors: errs, Checked: true}, Options{Format: f, Terminal: true, Names: &Namer{}}); err != nil {
			t.Fatal(err)
		}
		out := b.Bytes()
		if i := bytes.IndexAny(out, "\x1b\x07\u009b\u0085\u202e\u2066"); i >= 0 {
			t.Errorf("%s: a control character at %d: %q", f, i, out[max(0, i-40):min(len(out), i+40)])
		}
		limit := DefaultLimits.Bytes + 64<<10
		if f == FormatJSON || f == FormatCompact || f == FormatRaw {
			limit = 4 * len(hostile.Raw) // the data itself, whole
		}
		if len(out) > limit {
			t.Errorf("%s: %d bytes for a %d-byte body", f, len(out), len(hostile.Raw))
		}
	}
	var b bytes.Buffer
	Render(&b, Webhook{Doc: hostile, Errors: errs, Checked: true}, Options{Format: FormatPretty})
	for _, want := range []string{"… and 9980 more events", "✗ and 4980 more errors", "… cut: 2 values nested deeper than 32 levels shown as […]; the last "} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("pretty does not say %q", want)
		}
	}
}
