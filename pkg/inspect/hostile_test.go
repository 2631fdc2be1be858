package inspect_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/pkg/inspect"
	"github.com/lcwh/lcwh/pkg/listen"
	"github.com/lcwh/lcwh/pkg/render"
)

// nested is a body of n arrays, each nested depth deep.
func nested(n, depth int) []byte {
	one := strings.Repeat("[", depth) + strings.Repeat("]", depth)
	return []byte(`{"action":"incoming_event","secret_key":"` + secret + `","payload":{"chat_id":"C1","event":[` +
		strings.TrimSuffix(strings.Repeat(one+",", n), ",") + `]}}`)
}

// TestDetailIsBoundedForAHostileBody: what the detail returns for one
// delivery is bounded in bytes and depth, whatever the body holds, and
// says what it left out.
func TestDetailIsBoundedForAHostileBody(t *testing.T) {
	r := newRig(t, inspect.Config{}, listen.Config{MaxBody: 4 << 20})
	lim := render.DefaultLimits

	// 50 KB of arrays nested 5,000 deep (it indented to 250 MB)
	body := nested(5, 5000)
	r.post("/", body)
	var d inspect.Detail
	out := r.get("/api/deliveries/1", 200, &d)
	if len(out) > 3*len(body)+(64<<10) {
		t.Errorf("the detail of a %d-byte body is %d bytes", len(body), len(out))
	}
	if !strings.Contains(d.Body.PrettyCut, "nested deeper than 32 levels") || !strings.Contains(d.Body.Pretty, "[…]") || d.Body.RawCut != "" {
		t.Errorf("the cut is not said: pretty_cut %q raw_cut %q", d.Body.PrettyCut, d.Body.RawCut)
	}
	if lines := strings.Count(d.Body.Pretty, "\n"); lines > 5*2*lim.Depth+20 { // each array: a line per level, down and up
		t.Errorf("the pretty body has %d lines", lines)
	}

	// 3 MB of text: both views stop at the byte limit and say so
	big := []byte(`{"action":"incoming_event","secret_key":"` + secret + `","payload":{"chat_id":"C1","event":{"type":"message","text":"` +
		strings.Repeat("é", 1<<20) + `"}},"more":[` + strings.Repeat(`"line",`, 100000) + `"end"]}`)
	r.post("/", big)
	d = inspect.Detail{}
	out = r.get("/api/deliveries/2", 200, &d)
	if len(d.Body.Raw) > lim.Bytes || len(d.Body.Pretty) > lim.Bytes || d.Body.Bytes != len(big) {
		t.Errorf("raw %d, pretty %d bytes of a %d-byte body, want at most %d", len(d.Body.Raw), len(d.Body.Pretty), d.Body.Bytes, lim.Bytes)
	}
	if !strings.Contains(d.Body.RawCut, "bytes of the body not shown") || !strings.Contains(d.Body.PrettyCut, "bytes of the body not shown") {
		t.Errorf("cuts: raw %q, pretty %q", d.Body.RawCut, d.Body.PrettyCut)
	}
	if !json.Valid(out) || !strings.HasPrefix(d.Body.Raw, `{"action"`) {
		t.Errorf("the raw view does not start as the body does: %.40q", d.Body.Raw)
	}
	// the list line: one line, however long the message
	var p inspect.Page
	r.get("/api/deliveries?limit=1", 200, &p)
	if n := len([]rune(p.Items[0].Line)); n > 310 || !strings.Contains(p.Items[0].Line, "…") {
		t.Errorf("the list line is %d characters: %.80q", n, p.Items[0].Line)
	}

	// 20,000 schema errors: the first are listed, located in the pretty
	// body in one pass, and the rest counted
	users := `{"action":"incoming_chat","secret_key":"` + secret + `","payload":{"chat":{"id":"C1","users":[` +
		strings.TrimSuffix(strings.Repeat("1,", 20000), ",") + `],"thread":{"id":"T1","events":[]}}}}`
	r.post("/", []byte(users))
	d = inspect.Detail{}
	r.get("/api/deliveries/3", 200, &d)
	if d.Errors < 20000 || len(d.ErrorList) != inspect.MaxErrorsListed || d.ErrorsNotListed != d.Errors-inspect.MaxErrorsListed {
		t.Fatalf("errors %d, listed %d, not listed %d", d.Errors, len(d.ErrorList), d.ErrorsNotListed)
	}
	lines := strings.Split(d.Body.Pretty, "\n")
	for _, e := range d.ErrorList {
		if !strings.HasPrefix(e.Pointer, "/payload/chat/users/") {
			continue
		}
		if e.PrettyLine < 1 || e.PrettyLine > len(lines) || !strings.Contains(lines[e.PrettyLine-1], "1") {
			t.Fatalf("%s located at pretty line %d", e.Pointer, e.PrettyLine)
		}
	}
}
