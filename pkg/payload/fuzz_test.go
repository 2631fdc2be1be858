package payload

import (
	"strings"
	"testing"
)

// FuzzDecodeValidate: decoding, locating and validating arbitrary bytes
// never panics, and a syntax error is always located inside the input.
func FuzzDecodeValidate(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `[]`, `"x"`, `{"action":"incoming_chat"}`, `{"a":1,}`, "{\"a\":\"\xff\"}",
		`{"webhook_id":"w","secret_key":"s","action":"chat_deactivated","organization_id":"o","payload":{"chat_id":"C","thread_id":"T"}}`,
		`{"action":"incoming_event","payload":{"event":{"type":"message"}}}`,
		`{"action":"nope","payload":[]}`, strings.Repeat("[", 100),
	} {
		f.Add([]byte(seed))
	}
	v, err := NewValidator(DefaultVersion)
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"`))
	f.Add([]byte(`{"secret_key": "abc`))
	f.Add([]byte(`{"a":"\\`))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Locating and redacting tolerate malformed input too (bodies that
		// did not parse are still recorded, replayed and shown).
		Locate(data, []string{"secret_key"})
		Locate(data, []string{"payload", "0", "x"})
		LocateAll(data, []string{"", "/secret_key", "/payload/0/x"})
		RedactBody(data, false)
		doc, err := Decode(data)
		if err != nil {
			se := err.(*SyntaxError)
			if se.Offset < 0 || se.Offset > len(data) || se.Line < 1 || se.Column < 1 {
				t.Fatalf("bad location %+v for %q", se, data)
			}
			return
		}
		errs, err := v.Validate(doc, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range errs {
			if e.Line < 1 || e.Column < 1 || e.Message == "" {
				t.Fatalf("bad error %+v", e)
			}
		}
		// a redacted document still parses, its secret_key (any type) hidden
		red, err := Decode(Redact(data))
		if err != nil {
			t.Fatalf("redacted %q: %v", Redact(data), err)
		}
		if _, has := doc.Object()["secret_key"]; has && red.Object()["secret_key"] != Redacted {
			t.Fatalf("Redact(%q) = %q", data, Redact(data))
		}
		Summarize(doc)
	})
}
