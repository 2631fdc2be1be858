package edit

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/payload"
)

func TestEncodeKeepsFixtureBytes(t *testing.T) {
	for _, a := range []string{"incoming_chat", "incoming_event", "agent_created"} {
		raw, err := fixtures.Get("3.4", a)
		if err != nil {
			t.Fatal(err)
		}
		n, err := Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got := n.Encode(); !bytes.Equal(got, raw) {
			t.Errorf("%s: re-encoding changed the fixture", a)
		}
	}
}

func TestApply(t *testing.T) {
	n, _ := Parse([]byte(`{"a":{"b":[{"c":1},{"c":2}]},"d":"x"}`))
	v1, v2, v3 := "5", `{"k":true}`, "plain text"
	err := Apply(n, []Op{{Path: "a.b.1.c", Value: &v1}, {Path: "a.new", Value: &v2}, {Path: "e.f", Value: &v3}, {Path: "d"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"a\": {\n    \"b\": [\n      {\n        \"c\": 1\n      },\n      {\n        \"c\": 5\n      }\n    ],\n    \"new\": {\n      \"k\": true\n    }\n  },\n  \"e\": {\n    \"f\": \"plain text\"\n  }\n}\n"
	if got := string(n.Encode()); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if err := Apply(n, []Op{{Path: "a.b.x"}}); err == nil || !strings.Contains(err.Error(), "not an array index") {
		t.Errorf("bad index: %v", err)
	}
	if err := Apply(n, []Op{{Path: "zz.y"}}); err == nil {
		t.Error("unset of a missing path succeeded")
	}
}

func TestSetSecretKeepsOtherBytes(t *testing.T) {
	raw := []byte(`{"webhook_id":"w", "secret_key" : "<redacted>","x":"secret_key"}`)
	got, err := SetSecret(raw, `s"1`)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"webhook_id":"w", "secret_key" : "s\"1","x":"secret_key"}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
	got, _ = SetSecret([]byte(`{"a":1}`), "s")
	if !bytes.Contains(got, []byte(`"secret_key": "s"`)) {
		t.Errorf("missing secret not added: %s", got)
	}
}

// TestSetSecretRoundTrips: every secret_key a recording redacted gets the
// secret back on replay, and redacting the result gives the recording.
func TestSetSecretRoundTrips(t *testing.T) {
	orig := []byte(`{"secret_key":"decoy","action":"x","secret\u005fkey":"real","payload":{}}`)
	recorded := payload.Redact(orig)
	got, err := SetSecret(recorded, "s3")
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"secret_key":"s3","action":"x","secret\u005fkey":"s3","payload":{}}`; string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if doc, err := payload.Decode(got); err != nil || doc.Envelope.SecretKey != "s3" {
		t.Errorf("the secret read back is %q (%v)", doc.Envelope.SecretKey, err)
	}
	if again := payload.Redact(got); !bytes.Equal(again, recorded) {
		t.Errorf("redacted again: %s, recorded %s", again, recorded)
	}
}

func TestFreshIsConsistent(t *testing.T) {
	raw, _ := fixtures.Get("3.4", "incoming_chat")
	n, _ := Parse(raw)
	now := time.Date(2030, 1, 2, 3, 4, 5, 600000000, time.UTC)
	Fresh(n, now, rand.New(rand.NewPCG(1, 2)))
	out := n.Encode()
	for _, old := range []string{"PJ0MRSHTDG", "K600PKZON8"} {
		if bytes.Contains(out, []byte(old)) {
			t.Errorf("%s survived --fresh", old)
		}
	}
	chat := n.Get("payload").Get("chat")
	thread := chat.Get("thread")
	if id := thread.Get("events").Elems[0].Get("id").Str; !strings.HasPrefix(id, thread.Get("id").Str+"_") {
		t.Errorf("event id %s does not follow thread %s", id, thread.Get("id").Str)
	}
	if !bytes.Contains(out, []byte(`"2030-01-02T03:04:05.600000Z"`)) {
		t.Errorf("the latest timestamp is not now")
	}
}

func TestEachIDRoles(t *testing.T) {
	cases := []struct {
		body string
		want map[Role][]string
	}{
		{`{"action":"incoming_rich_message_postback","payload":{"user_id":"u1","chat_id":"C1","thread_id":"T1","event_id":"E1","postback":{"id":"p","toggled":true}}}`,
			map[Role][]string{ChatID: {"C1"}, ThreadID: {"T1"}, EventID: {"E1"}}},
		{`{"action":"incoming_event","payload":{"chat_id":"C1","thread_id":"T1","event":{"id":"E1","author_id":"3f9c2a4e-6b1d-4e8a-9c57-0d2e8b4f1a63"}}}`,
			map[Role][]string{ChatID: {"C1"}, ThreadID: {"T1"}, EventID: {"E1"}, CustomerID: {"3f9c2a4e-6b1d-4e8a-9c57-0d2e8b4f1a63"}}},
		{`{"action":"incoming_event","payload":{"chat_id":"C1","event":{"author_id":"agent@example.com"}}}`,
			map[Role][]string{ChatID: {"C1"}}},
		{`{"action":"chat_access_updated","payload":{"id":"C1","access":{"group_ids":[0]}}}`,
			map[Role][]string{ChatID: {"C1"}}},
		{`{"action":"customer_session_fields_updated","payload":{"id":"U1","active_chat":{"chat_id":"C1","thread_id":"T1"}}}`,
			map[Role][]string{CustomerID: {"U1"}, ChatID: {"C1"}, ThreadID: {"T1"}}},
		{`{"action":"incoming_chat","payload":{"chat":{"id":"C1","users":[{"id":"U1","type":"customer"},{"id":"a@b","type":"agent"}],
			"thread":{"id":"T1","previous_thread_id":"T0","events":[{"id":"E1","postback":{"id":"p","event_id":"E0"}}]}}}}`,
			map[Role][]string{ChatID: {"C1"}, CustomerID: {"U1"}, ThreadID: {"T1"}, OtherThreadID: {"T0"}, EventID: {"E1", "E0"}}},
	}
	for _, c := range cases {
		n, err := Parse([]byte(c.body))
		if err != nil {
			t.Fatal(err)
		}
		got := map[Role][]string{}
		EachID(n, func(r Role, id *Node) { got[r] = append(got[r], id.Str) })
		for r, ids := range c.want {
			if strings.Join(got[r], ",") != strings.Join(ids, ",") {
				t.Errorf("%.40s: role %d: got %v, want %v", c.body, r, got[r], ids)
			}
		}
		if len(got) != len(c.want) {
			t.Errorf("%.40s: roles %v, want %v", c.body, got, c.want)
		}
	}
}

func TestJoinPathSplitsBack(t *testing.T) {
	toks := []string{"payload", "properties", "a.b", `c\d`, "0"}
	got, err := SplitPath(JoinPath(toks))
	if err != nil || strings.Join(got, "|") != strings.Join(toks, "|") {
		t.Errorf("JoinPath %q split back to %q (%v)", JoinPath(toks), got, err)
	}
}

func TestCloneIsDeep(t *testing.T) {
	n, _ := Parse([]byte(`{"a":{"b":[1,"x"]}}`))
	c := n.Clone()
	c.Get("a").Get("b").Elems[1].Str = "y"
	if err := c.SetPath("a.new", StringNode("z")); err != nil {
		t.Fatal(err)
	}
	if got := string(n.Encode()); got != "{\n  \"a\": {\n    \"b\": [\n      1,\n      \"x\"\n    ]\n  }\n}\n" {
		t.Errorf("the original changed: %s", got)
	}
	if err := c.DeletePath("a.b"); err != nil || c.Get("a").Get("b") != nil {
		t.Errorf("DeletePath: %v", err)
	}
}
