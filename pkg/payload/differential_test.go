package payload

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/fixtures"
)

// The compiled validators (package schemavm) must say exactly what the
// reference engine (santhosh-tekuri/jsonschema) says: same pointers, lines,
// keywords and messages, in the same order.

type fixtureDoc struct {
	version, action string
	raw             []byte
}

func allFixtures(t testing.TB) []fixtureDoc {
	t.Helper()
	var out []fixtureDoc
	err := fs.WalkDir(fixtures.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := fs.ReadFile(fixtures.FS(), p)
		if err != nil {
			return err
		}
		dir, file, _ := strings.Cut(p, "/")
		out = append(out, fixtureDoc{strings.TrimPrefix(dir, "v"), strings.TrimSuffix(file, ".json"), b})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 100 {
		t.Fatalf("only %d fixtures found", len(out))
	}
	return out
}

// canonical orders errors by place, then pointer: the only order the two
// engines may differ in is that of different pointers at one offset (a
// duplicated key), where the reference follows Go's map order.
func canonical(errs []Error) []Error {
	out := append([]Error(nil), errs...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].offset != out[j].offset {
			return out[i].offset < out[j].offset
		}
		return out[i].Pointer < out[j].Pointer
	})
	return out
}

// agree validates raw with both engines and fails the test on any difference.
func agree(t testing.TB, version string, raw []byte, force string) {
	t.Helper()
	doc, err := Decode(raw)
	if err != nil {
		return
	}
	ref := referenceFor(t, version)
	got, err := ref.compiled.Validate(doc, force)
	if err != nil {
		t.Fatalf("compiled engine: %v", err)
	}
	want, err := ref.Validate(doc, force)
	if err != nil {
		t.Fatalf("reference engine: %v", err)
	}
	if !reflect.DeepEqual(canonical(got), canonical(want)) {
		t.Fatalf("API %s, force %q, engines disagree on\n%s\ncompiled:  %s\nreference: %s", version, force, raw, dump(got), dump(want))
	}
	// Check finds validity in its one walk with the warnings: the same errors.
	rep, err := ref.compiled.Check(doc, Options{Action: force})
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if !reflect.DeepEqual(canonical(rep.Errors), canonical(got)) {
		t.Fatalf("API %s, force %q, Check and Validate disagree on\n%s\nCheck:    %s\nValidate: %s", version, force, raw, dump(rep.Errors), dump(got))
	}
}

func dump(errs []Error) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "\n  %d:%d %s [%s] %s", e.Line, e.Column, e.Pointer, e.Keyword, e.Message)
	}
	if b.Len() == 0 {
		return "(valid)"
	}
	return b.String()
}

// TestCompiledAgreesOnFixtures: every fixture under every version, as its
// own action and forced to every action of its version.
func TestCompiledAgreesOnFixtures(t *testing.T) {
	for _, f := range allFixtures(t) {
		for _, version := range Versions() {
			agree(t, version, f.raw, "")
		}
		c, _ := CatalogFor(f.version)
		for _, a := range c.Names() {
			agree(t, f.version, f.raw, a)
		}
		agree(t, f.version, f.raw, "no_such_action")
	}
}

// TestCompiledAgreesOnMutations: every fixture with each key deleted, each
// value's type changed, each string replaced by an unknown value; and, on
// every fourth value (the reference engine is slow), the edge cases of the
// other keywords: bad dates, long strings, fractional, negative or huge
// numbers, overfilled arrays.
func TestCompiledAgreesOnMutations(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range allFixtures(t) {
		if seen[string(f.raw)] {
			continue // identical in several versions
		}
		seen[string(f.raw)] = true
		t.Run(f.version+"/"+f.action, func(t *testing.T) {
			t.Parallel()
			root, err := Parse(f.raw)
			if err != nil {
				t.Fatal(err)
			}
			for i, m := range mutations(root) {
				if testing.Short() && i%8 != 0 {
					continue // -short: one mutation in 8
				}
				b, err := json.Marshal(m)
				if err != nil {
					t.Fatal(err)
				}
				agree(t, f.version, b, "")
			}
		})
	}
}

// mutations returns copies of root, each with one change.
func mutations(root any) []any {
	var out []any
	var walk func(v any, set func(any) any)
	nodes := 0
	walk = func(v any, set func(repl any) any) {
		repls := replacements(v)
		if nodes%4 != 0 {
			repls = repls[:min(len(repls), 2)]
		}
		nodes++
		for _, r := range repls {
			out = append(out, set(r))
		}
		switch x := v.(type) {
		case map[string]any:
			for k, child := range x {
				k := k
				out = append(out, set(without(x, k)))
				walk(child, func(repl any) any { return set(with(x, k, repl)) })
			}
		case []any:
			for i, child := range x {
				i := i
				walk(child, func(repl any) any {
					c := append([]any(nil), x...)
					c[i] = repl
					return set(c)
				})
			}
		}
	}
	walk(root, func(repl any) any { return repl })
	return out
}

func replacements(v any) []any {
	switch x := v.(type) {
	case string:
		out := []any{json.Number("7"), "zz-unknown-value", "", strings.Repeat("é", 181), "2021-02-29T10:00:00.5+01:00", "2024-02-29T23:59:60Z", "12:345"}
		if len(x) > 0 {
			out = append(out, x[:len(x)-1])
		}
		return out
	case json.Number:
		return []any{"7", json.Number("1.5"), json.Number("-1"), json.Number("1000"), json.Number("2.0"), json.Number("1e2"), nil}
	case bool:
		return []any{"true", nil, !x}
	case nil:
		return []any{false}
	case map[string]any:
		return []any{[]any{}, map[string]any{}, "x"}
	case []any:
		grown := append([]any(nil), x...)
		for len(grown) > 0 && len(grown) < 14 {
			grown = append(grown, x[0])
		}
		return []any{map[string]any{}, []any{"x", json.Number("1")}, json.Number("3"), []any{}, grown}
	}
	return nil
}

func without(m map[string]any, k string) map[string]any {
	c := make(map[string]any, len(m))
	for kk, v := range m {
		if kk != k {
			c[kk] = v
		}
	}
	return c
}

func with(m map[string]any, k string, v any) map[string]any {
	c := make(map[string]any, len(m))
	for kk, vv := range m {
		c[kk] = vv
	}
	c[k] = v
	return c
}

// FuzzCompiledAgrees: both engines agree on arbitrary documents under every
// version. The seed corpus (every fixture and a few odd documents) runs in
// every `go test`; `go test -fuzz FuzzCompiledAgrees ./pkg/payload` explores.
func FuzzCompiledAgrees(f *testing.F) {
	for _, fx := range allFixtures(f) {
		f.Add(fx.raw)
	}
	for _, seed := range []string{
		`{}`, `[]`, `null`, `{"action":"incoming_chat","payload":{"chat":{"users":[{"type":"agent"}]}}}`,
		`{"action":"incoming_event","payload":{"event":{"type":"rich_message","elements":[{},{},{},{},{},{},{},{},{},{},{}]}}}`,
		`{"action":"routing_status_set","payload":{"agent_id":1,"status":"away"},"additional_data":{"chat_properties":{"a":{"b":[]}}}}`,
		`{"webhook_id":1,"secret_key":null,"action":"agent_created","organization_id":[],"payload":{"id":"x","max_chats_count":-1.5,"work_scheduler":{"monday":{"start":"9:00"}}}}`,
		`{"action":"incoming_chat","action":"chat_deactivated","payload":{}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, version := range Versions() {
			agree(t, version, data, "")
		}
	})
}
