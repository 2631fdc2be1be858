package render

import (
	"io/fs"
	"path"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/payload"
)

// TestWhatEveryAction: every action of every version has words, and they
// are one bounded line.
func TestWhatEveryAction(t *testing.T) {
	fs.WalkDir(fixtures.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(p, ".json") {
			return err
		}
		raw, _ := fs.ReadFile(fixtures.FS(), p)
		doc, err := payload.Decode(raw)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		var n Namer
		got := n.What(doc)
		if got == "" || strings.ContainsAny(got, "\n\x1b") || utf8.RuneCountInString(got) > 240 {
			t.Errorf("%s: %q", path.Base(p), got)
		}
		return nil
	})
}

// TestWhatNamesLaterWebhooks: a stream reads with the names the webhooks
// before it gave.
func TestWhatNamesLaterWebhooks(t *testing.T) {
	var n Namer
	steps := []struct{ body, want string }{
		{`{"action":"incoming_event","payload":{"chat_id":"C1","event":{"type":"message","author_id":"3f9c2a4e-6b1d-4e8a-9c57-0d2e8b4f1a63","text":"before"}}}`,
			`customer 3f9c2a4e-6b1d-4e8a-9c57-0d2e8b4f1a63 wrote "before" in chat C1`},
		{`{"action":"incoming_chat","payload":{"chat":{"id":"C1","users":[{"id":"3f9c2a4e-6b1d-4e8a-9c57-0d2e8b4f1a63","type":"customer","name":"Jane Cooper"},{"id":"john@x.com","type":"agent","name":"John Smith"}],
		  "thread":{"id":"T","events":[{"type":"filled_form"},{"type":"message","author_id":"3f9c2a4e-6b1d-4e8a-9c57-0d2e8b4f1a63","text":"Hi, I need help"}]}}}}`,
			`customer Jane Cooper started chat C1: "Hi, I need help" (2 events)`},
		{`{"action":"incoming_event","payload":{"chat_id":"C1","event":{"type":"message","author_id":"john@x.com","text":"Sure"}}}`,
			`agent John Smith wrote "Sure" in chat C1`},
		{`{"action":"group_created","payload":{"id":2,"name":"Sales"},"requester":{"user_id":"john@x.com"}}`,
			`group 2 "Sales" created by agent John Smith`},
		{`{"action":"chat_transferred","payload":{"chat_id":"C1","requester_id":"john@x.com","reason":"manual","transferred_to":{"group_ids":[2],"agent_ids":["anna@x.com"]}}}`,
			`agent John Smith transferred chat C1 to group 2 "Sales" and agent anna@x.com (manual)`},
		{`{"action":"user_added_to_chat","payload":{"chat_id":"C1","user":{"id":"anna@x.com","type":"agent","name":"Anna Lee"},"reason":"manual","requester_id":"john@x.com"}}`,
			`agent Anna Lee joined chat C1 (manual) by agent John Smith`},
		{`{"action":"chat_deactivated","payload":{"chat_id":"C1","thread_id":"T","user_id":"anna@x.com"}}`,
			`agent Anna Lee closed chat C1`},
		{`{"action":"thread_tagged","payload":{"chat_id":"C1","tag":"vip"}}`, `chat C1 tagged "vip"`},
		{`{"action":"routing_status_set","payload":{"agent_id":"anna@x.com","status":"not_accepting_chats"}}`,
			`agent Anna Lee is now not accepting chats`},
		{`{"action":"chat_properties_updated","payload":{"chat_id":"C1","properties":{"rating":{"score":1,"comment":"ok"},"a":{"b":true,"c":2}}}}`,
			`chat C1: a.b = true, a.c = 2, rating.comment = "ok" (+1 more)`},
	}
	for _, s := range steps {
		if got := n.What(doc(t, s.body)); got != s.want {
			t.Errorf("\n got %s\nwant %s", got, s.want)
		}
	}
}

// TestWhatIsSafeAndBounded: text from a body cannot drive the terminal or
// flood the line.
func TestWhatIsSafeAndBounded(t *testing.T) {
	var n Namer
	d := doc(t, `{"action":"incoming_chat","payload":{"chat":{"id":"C\u001b[2J","users":[{"id":"u","type":"customer","name":"\u001b]0;pwned\u0007Eve\u009b"}],"thread":{"events":[{"type":"message","author_id":"u","text":"`+strings.Repeat("x", 5000)+`"}]}}}}`)
	got := n.What(d)
	if strings.ContainsAny(got, "\x1b\x07\u009b") || utf8.RuneCountInString(got) > 240 {
		t.Fatalf("%q", got)
	}
	if !strings.Contains(got, `customer \u001b]0;pwned\u0007Eve\u009b started chat C\u001b[2J: "xxx`) || !strings.Contains(got, `…`) {
		t.Fatalf("%q", got)
	}
	if got := n.What(doc(t, `{"action":"incoming_event","payload":{"event":{"type":"message","author_id":"u","text":"hi"}}}`)); !strings.HasPrefix(got, `customer \u001b]0;pwned`) {
		t.Fatalf("learned name not used or not clean: %q", got)
	}
}

func TestNamerForgetsTheOldest(t *testing.T) {
	var n Namer
	for i := range maxNames + 10 {
		n.set(string(rune('a'+i%26))+strings.Repeat("x", i/26), "x")
	}
	if len(n.names) != maxNames || len(n.order) != maxNames {
		t.Fatalf("%d names, %d in order", len(n.names), len(n.order))
	}
}
