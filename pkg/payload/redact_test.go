package payload

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// TestRedactEveryOccurrence: JSON lets secret_key occur twice, and parsers
// keep the last one: the one the secret check compares. Each top-level one
// is hidden, whatever its name's escapes, its place and its value's type;
// a member of that name deeper down is the payload's own data, kept.
func TestRedactEveryOccurrence(t *testing.T) {
	for in, want := range map[string]string{
		`{"secret_key":"decoy","action":"x","secret_key":"real"}`:               `{"secret_key":"<redacted>","action":"x","secret_key":"<redacted>"}`,
		`{"action":"x","payload":{"a":[1,{"b":"}"}]},"secret\u005fkey":"real"}`: `{"action":"x","payload":{"a":[1,{"b":"}"}]},"secret\u005fkey":"<redacted>"}`,
		`{"\u0073ecret_key" : "a\"b", "secret_key":"c"}`:                        `{"\u0073ecret_key" : "<redacted>", "secret_key":"<redacted>"}`,
		`{"secret_key":"one","payload":{"secret_key":"inner"}}`:                 `{"secret_key":"<redacted>","payload":{"secret_key":"inner"}}`,
		`{"x":"secret_key","secret_key":"s"}`:                                   `{"x":"secret_key","secret_key":"<redacted>"}`,
		`{"secret_key": 5, "secret_key": "s"}`:                                  `{"secret_key": "<redacted>", "secret_key": "<redacted>"}`,
		`{"secret_key":123456789}`:                                              `{"secret_key":"<redacted>"}`,
		`{"secret_key":-1.5e3,"action":"x"}`:                                    `{"secret_key":"<redacted>","action":"x"}`,
		`{"action":"x","secret_key" : {"a":"s3cr3t","b":[1,"}"]} }`:             `{"action":"x","secret_key" : "<redacted>" }`,
		`{"secret_key":["s3cr3t"],"secret_key":true,"secret_key":null}`:         `{"secret_key":"<redacted>","secret_key":"<redacted>","secret_key":"<redacted>"}`,
	} {
		if got := string(Redact([]byte(in))); got != want {
			t.Errorf("Redact(%s)\n = %s\nwant %s", in, got, want)
		}
		doc, err := Decode([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if got := RedactBody([]byte(in), true); bytes.Contains(got, []byte(`"`+doc.Envelope.SecretKey+`"`)) {
			t.Errorf("the secret the check reads (%q) is left in %s", doc.Envelope.SecretKey, got)
		}
	}
}

// TestRedactBodyMalformed: a body cut short or broken is redacted as far
// as it reads, then by pattern.
func TestRedactBodyMalformed(t *testing.T) {
	for in, want := range map[string]string{
		`{"secret_key":"a","x":1,"secret\u005fkey":"real","y":[`: `{"secret_key":"<redacted>","x":1,"secret\u005fkey":"<redacted>","y":[`,
		`{"x": }, "secret_key": "b", "secret\u005Fkey": "c"`:     `{"x": }, "secret_key": "<redacted>", "secret\u005Fkey": "<redacted>"`,
		`{"secret_key":"a\"bc`:                                   `{"secret_key":"<redacted>"`,
		`{"secret_key":{"a":"s3cr3t","b":`:                       `{"secret_key":"<redacted>"`,
		`{"x": }, "secret_key": 123456789, "y": 1`:               `{"x": }, "secret_key": "<redacted>", "y": 1`,
		`{"x": }, "p": {"secret_key": {"a": ["s3cr3t"]}}`:        `{"x": }, "p": {"secret_key": "<redacted>"}`,
		`{"x": }, "secret_key": ,`:                               `{"x": }, "secret_key": ,`,
		`{"webhook_id":"w","other":1`:                            `{"webhook_id":"w","other":1`,
	} {
		if got := string(RedactBody([]byte(in), false)); got != want {
			t.Errorf("RedactBody(%q)\n = %q\nwant %q", in, got, want)
		}
	}
}

func TestSecretSpansDoesNotAllocateWithoutSecret(t *testing.T) {
	raw := []byte(`{"webhook_id":"w","action":"x","payload":{"text":"` + strings.Repeat("a", 1000) + `"}}`)
	if n := testing.AllocsPerRun(10, func() { Redact(raw) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

func TestRedactHeaders(t *testing.T) {
	h := http.Header{"Authorization": {"Bearer t"}, "cookie": {"a=b"}, "Proxy-Authorization": {"Basic x"}, "Content-Type": {"application/json"}}
	got := RedactHeaders(h)
	for _, k := range []string{"Authorization", "cookie", "Proxy-Authorization"} {
		if v := got[k]; len(v) != 1 || v[0] != Redacted {
			t.Errorf("%s: %q", k, v)
		}
	}
	if got.Get("Content-Type") != "application/json" || h.Get("Authorization") != "Bearer t" {
		t.Errorf("other headers changed, or the input: %v %v", got, h)
	}
	plain := http.Header{"Content-Type": {"x"}}
	if n := testing.AllocsPerRun(10, func() { RedactHeaders(plain) }); n != 0 {
		t.Errorf("%v allocations without credentials", n)
	}
}
