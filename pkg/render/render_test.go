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
			"customer Jane: \"Hi, I need help\"\nsystem: Chat assigned to John\nagent John: \"Sure <b>\""},
		{`{"action":"incoming_event","payload":{"event":{"type":"message","author_id":"3f9c2a4e-6b1d-4e8a-9c57-0d2e8b4f1a63","text":"x"}}}`,
			`customer 3f9c2a4e-6b1d-4e8a-9c57-0d2e8b4f1a63: "x"`},
		{`{"action":"event_updated","payload":{"event":{"type":"file","author_id":"a@x.com","name":"f.png","content_type":"image/png"}}}`,
			"(edited) agent a@x.com sent a file: f.png (image/png)"},
		{`{"action":"thread_properties_updated","payload":{"properties":{"rating":{"score":1,"comment":"ok"}}}}`,
			"rating.comment = \"ok\"\nrating.score = 1"},
		{`{"action":"event_properties_deleted","payload":{"properties":{"ns":["a","b"]}}}`, "ns.a deleted\nns.b deleted"},
		{`{"action":"thread_untagged","payload":{"tag":"vip"}}`, `- tag "vip"`},
		{`{"action":"chat_transferred","payload":{"reason":"manual","transferred_to":{"group_ids":[1,2]}}}`, "transferred to groups 1,2 (reason: manual)"},
		{`{"action":"agent_created","payload":{"id":"a@x.com"}}`, ""},
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

func TestPeopleNameLaterAuthors(t *testing.T) {
	people := &Namer{}
	chat := doc(t, `{"action":"incoming_chat","payload":{"chat":{"id":"C","users":[{"id":"u1","type":"customer","name":"Jane"}],"thread":{"id":"T","events":[]}}}}`)
	event := doc(t, `{"action":"incoming_event","payload":{"event":{"type":"message","author_id":"u1","text":"Hi, I need help"}}}`)
	if got := GistWith(event, people); got[0] != `u1: "Hi, I need help"` {
		t.Errorf("before learning: %q", got)
	}
	var b bytes.Buffer
	Render(&b, Webhook{Doc: chat}, Options{Format: FormatSummary, Names: people})
	if got := GistWith(event, people); got[0] != `customer Jane: "Hi, I need help"` {
		t.Errorf("after incoming_chat: %q", got)
	}
}
