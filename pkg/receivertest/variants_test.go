package receivertest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/pkg/edit"
	"github.com/lcwh/lcwh/pkg/payload/shape"
)

// The walker makes each kind of variant from a shape, whatever the fixtures hold.
func TestWalkerVariants(t *testing.T) {
	str := &shape.Shape{Kind: shape.String, MaxItems: -1, MaxLength: -1}
	limited := &shape.Shape{Kind: shape.String, MaxItems: -1, MaxLength: 12}
	enum := &shape.Shape{Kind: shape.String, MaxItems: -1, MaxLength: -1, Enum: []any{"manual", "other"}}
	union := &shape.Shape{Kind: shape.Union, MaxItems: -1, MaxLength: -1, AnyOf: []*shape.Shape{str, {Kind: shape.Boolean, MaxItems: -1, MaxLength: -1}}}
	list := &shape.Shape{Kind: shape.Array, MaxItems: 3, MaxLength: -1, Items: str}
	file := &shape.Shape{Kind: shape.Object, MaxItems: -1, MaxLength: -1, Fields: []*shape.Field{{Name: "url", Shape: str, Required: true}}}
	body := &shape.Shape{Kind: shape.Object, MaxItems: -1, MaxLength: -1, Fields: []*shape.Field{
		{Name: "type", Shape: &shape.Shape{Kind: shape.String, MaxItems: -1, MaxLength: -1, Enum: []any{"message", "file"}}, Required: true},
		{Name: "reason", Shape: enum, Required: true},
		{Name: "note", Shape: str},
		{Name: "nickname", Shape: str, Required: true, Expected: true},
		{Name: "restricted", Shape: union},
		{Name: "tags", Shape: list},
		{Name: "title", Shape: limited},
		{Name: "missing", Shape: str},
	}, Cases: []*shape.Case{
		{When: []shape.Match{{Field: "type", Values: []any{"message"}}}},
		{When: []shape.Match{{Field: "type", Values: []any{"file"}}}, Apply: []*shape.Shape{file}},
	}}
	root, err := edit.Parse([]byte(`{"payload": {"type": "message", "reason": "manual", "note": "hello", "nickname": "Jo", "restricted": "no", "tags": ["a"], "title": "Desk"}}`))
	if err != nil {
		t.Fatal(err)
	}
	top := &shape.Shape{Kind: shape.Object, MaxItems: -1, MaxLength: -1, Fields: []*shape.Field{{Name: "payload", Shape: body, Required: true}}}
	w := &walker{sch: &shape.Schema{Defs: map[string]*shape.Shape{}}, s: &suite{g: newIDs(1)}}
	w.walk(root, top, nil, false)
	w.wholeBody()
	var got []string
	for _, v := range w.variants {
		got = append(got, describe(v))
	}
	for _, want := range []string{
		`payload.reason = "other"`,
		`payload.note absent`,
		`payload.nickname absent`, // expected, not guaranteed: optional here
		`payload.restricted as a boolean`,
		`payload.tags: 3 elements`,
		`payload.title: 12 characters long`,
		`payload.missing present`,
		`payload with type "file"`,
	} {
		if !slices.Contains(got, want) {
			t.Errorf("no variant %q in\n%s", want, strings.Join(got, "\n"))
		}
	}
	for _, g := range got {
		if strings.Contains(g, `payload.type =`) || strings.Contains(g, "reason absent") {
			t.Errorf("variant %q: a discriminator's values or a required field's absence", g)
		}
	}
	unknown, text := w.variants[len(w.variants)-2], w.variants[len(w.variants)-1]
	if describe(unknown) != "unknown field payload.lcwh_test_unknown; unknown field lcwh_test_unknown" {
		t.Errorf("unknown fields: %s", describe(unknown))
	}
	if describe(text) != "non-ASCII text in payload.note; non-ASCII text in payload.nickname; non-ASCII text in payload.restricted; non-ASCII text in payload.tags.0; non-ASCII text in payload.title" {
		t.Errorf("non-ASCII: %s", describe(text))
	}
	alt := variant(t, w, `payload with type "file"`)
	var p struct{ Payload map[string]any }
	b := alt[0].Value.Encode()
	_ = json.Unmarshal([]byte(`{"payload":`+string(b)+`}`), &p)
	if p.Payload["type"] != "file" || p.Payload["url"] == nil {
		t.Errorf("the file form lacks its type or its required url: %s", b)
	}
}

func variant(t *testing.T, w *walker, what string) []change {
	for _, v := range w.variants {
		if describe(v) == what {
			return v
		}
	}
	t.Fatalf("no variant %s", what)
	return nil
}

// Every kind of variant is in the suite, within the default budget.
func TestSuiteHasEveryKindOfVariant(t *testing.T) {
	for _, version := range []string{"3.6"} {
		s := planned(t, Options{APIVersion: version, Seed: 2, Secret: "s", Actions: []string{"incoming_chat", "incoming_event", "chat_transferred"}})
		if s.leftOut > 0 {
			t.Errorf("%s: the default budget leaves out %d variants", version, s.leftOut)
		}
		var all strings.Builder
		for _, c := range s.cases {
			if c.Part == Variants {
				all.WriteString(c.What + "\n")
			}
		}
		for _, want := range []string{" absent\n", " present\n", `" = "`, ` with type "`, "unknown field ", "non-ASCII text in ", "16384 bytes long", ": 500 events"} {
			if !strings.Contains(all.String(), strings.Trim(want, `"`)) {
				t.Errorf("%s: no variant like %q", version, want)
			}
		}
	}
}

func TestBudgetSamplesVariants(t *testing.T) {
	actions := []string{"incoming_event", "chat_transferred", "agent_updated"}
	full := planned(t, Options{Seed: 4, Budget: 100000, Actions: actions})
	fixed := 0
	for _, c := range full.cases {
		if c.Part != Variants {
			fixed++
		}
	}
	budget := fixed + 30
	a := planned(t, Options{Seed: 4, Budget: budget, Actions: actions})
	b := planned(t, Options{Seed: 4, Budget: budget, Actions: actions})
	n := 0
	for i, c := range a.cases {
		if c.Part == Variants {
			n++
		}
		if !slices.Equal(c.Body, b.cases[i].Body) {
			t.Fatalf("case %d differs between two plans with one seed and budget", i)
		}
	}
	if n+fixed+shrinkReserve(budget) > budget || a.leftOut == 0 || n+a.leftOut != countVariants(full) {
		t.Errorf("%d variants planned, %d left out, of %d, within a budget of %d", n, a.leftOut, countVariants(full), budget)
	}
}

// countVariants counts the variants and the incoming_chat that announces their chat.
func countVariants(s *suite) int {
	n := 0
	for _, c := range s.cases {
		if c.Part == Variants {
			n++
		}
	}
	return n
}
