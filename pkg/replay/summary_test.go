package replay

import (
	"bytes"
	"io/fs"
	"testing"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/payload"
)

// fastSummary must agree with payload.Decode + Summarize whenever it answers.
func checkSummary(t *testing.T, body []byte) bool {
	t.Helper()
	action, sum, ok := fastSummary(body)
	if !ok {
		return false
	}
	d, err := payload.Decode(body)
	if err != nil {
		t.Fatalf("%q: fast path accepted what payload.Decode rejects: %v", body, err)
	}
	if want := payload.Summarize(d); sum != want || action != d.Envelope.Action {
		t.Fatalf("%q: got %q %+v, want %q %+v", body, action, sum, d.Envelope.Action, want)
	}
	return true
}

func fixtureBodies(t testing.TB) [][]byte {
	var bodies [][]byte
	err := fs.WalkDir(fixtures.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && bytes.HasSuffix([]byte(p), []byte(".json")) {
			b, err := fs.ReadFile(fixtures.FS(), p)
			bodies = append(bodies, b)
			return err
		}
		return err
	})
	if err != nil || len(bodies) < 100 {
		t.Fatalf("fixtures: %d bodies, %v", len(bodies), err)
	}
	return bodies
}

var summarySeeds = []string{
	`{"action":"a","payload":{"id":5}}`,
	`{"action":"a","payload":{"id":"x","chat_id":""}}`,
	`{"action":"a","payload":{"id":null}}`,
	`{"action":1,"payload":[]}`,
	`{"action":"a","action":"b","payload":{"chat":{"id":"c","thread":{"id":"t"},"users":[1,{"type":"agent"},{"type":"customer","email":"e"}]}}}`,
	`{"action":"\u0061","payload":{"event":{"id":"\ud83d\ude00"}}}`,
	`{"a\u0063tion":"x"}`,
	`{"action":"a","payload":{"chat":{"id":"c","thread":{"id":"t"}},"chat":null}}`,
	`{"action":"a","payload":{"chat":{"thread":{"id":"t"},"users":[{"type":"customer","name":"n"}]},"chat":{"id":"x"}}}`,
	`{"action":"a","payload":{"chat":{"thread":{"id":"t"}},"chat":{"thread":5}}}`,
	`{"payload":{"event":{"author_id":"a"}},"action":"x","payload":{"user":{"id":"u"}}}`,
	`{"action":"a","payload":{"x":{"chat_id":"no"},"y":[{"chat":{"id":"no"}}],"chat":[{"id":"no"}]}}`,
	`{"action":"a","payload":{"chat":{"th\u0072ead":{"id":"t"}}}}`,
	`{"action":"a","payload":{"chat_id" : "c" , "user_id":"u"}}`,
	`[1,2]`, `"s"`, `01`, `{"a":1,}`, "\xef\xbb\xbf{}", `{"a":"\x01"}`, `{"a":1e}`, `{"a":-}`, `{"a":tru}`,
}

func TestFastSummaryAgreesWithPayload(t *testing.T) {
	answered := 0
	for _, b := range fixtureBodies(t) {
		if checkSummary(t, b) {
			answered++
		}
		// every prefix, to cross the truncation paths
		for n := 0; n < len(b); n += 97 {
			checkSummary(t, b[:n])
		}
	}
	if answered == 0 {
		t.Fatal("the fast path never answered for a fixture")
	}
	for _, s := range summarySeeds {
		checkSummary(t, []byte(s))
	}
}

func FuzzFastSummary(f *testing.F) {
	for _, s := range summarySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkSummary(t, b) })
}
