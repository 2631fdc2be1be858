package payload_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/payload"
)

// A node of a decoded document: its path and value.
type node struct {
	path  []string
	value any
}

func walk(v any, path []string, visit func(node)) {
	visit(node{slices.Clone(path), v})
	switch v := v.(type) {
	case map[string]any:
		for k, c := range v {
			walk(c, append(path, k), visit)
		}
	case []any:
		for i, c := range v {
			walk(c, append(path, fmt.Sprint(i)), visit)
		}
	}
}

func clone(v any) any {
	b, _ := json.Marshal(v)
	var out any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	_ = dec.Decode(&out)
	return out
}

// set replaces (or, with del, removes) the value at path in root.
func set(root any, path []string, value any, del bool) any {
	if len(path) == 0 {
		return value
	}
	parent := root
	for _, tok := range path[:len(path)-1] {
		switch p := parent.(type) {
		case map[string]any:
			parent = p[tok]
		case []any:
			var i int
			fmt.Sscan(tok, &i)
			parent = p[i]
		}
	}
	last := path[len(path)-1]
	switch p := parent.(type) {
	case map[string]any:
		if del {
			delete(p, last)
		} else {
			p[last] = value
		}
	case []any:
		var i int
		fmt.Sscan(last, &i)
		p[i] = value
	}
	return root
}

func validate(t *testing.T, v *payload.Validator, value any) []payload.Error {
	t.Helper()
	return report(t, v, value, payload.Options{}).Errors
}

// report checks value, indented so that findings have places, and fails
// the test on a finding without a place.
func report(t *testing.T, v *payload.Validator, value any, opts payload.Options) payload.Report {
	t.Helper()
	raw, err := json.MarshalIndent(value, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := payload.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	r, err := v.Check(doc, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range append(r.Errors, r.Warnings...) {
		if e.Line < 1 || e.Column < 1 || e.Message == "" || e.Keyword == "" {
			t.Fatalf("badly located finding %+v", e)
		}
	}
	return r
}

// near reports whether every error is at ptr, below it, or at its parent
// (where a switch on the mutated value, such as an event's type, lives).
func near(errs []payload.Error, ptr []string) bool {
	p := payload.Pointer(ptr)
	parent := payload.Pointer(ptr[:len(ptr)-1])
	for _, e := range errs {
		if e.Pointer != parent && e.Pointer != p && !strings.HasPrefix(e.Pointer, p+"/") {
			return false
		}
	}
	return true
}

// TestMutations breaks every fixture of every version in every way a
// webhook can be broken, one change at a time, and checks that each
// rejection is reported at the place of the change. Each action must
// reject at least one missing field and one wrong type.
func TestMutations(t *testing.T) {
	for _, version := range payload.Versions() {
		c, _ := payload.CatalogFor(version)
		v, err := payload.NewValidator(version)
		if err != nil {
			t.Fatal(err)
		}
		for _, action := range c.Names() {
			t.Run(version+"/"+action, func(t *testing.T) {
				t.Parallel()
				raw, _ := fixtures.Get(version, action)
				doc, err := payload.Decode(raw)
				if err != nil {
					t.Fatal(err)
				}
				var nodes []node
				walk(doc.Value, nil, func(n node) { nodes = append(nodes, n) })
				var required, types, enums int
				for _, n := range nodes {
					if len(n.path) == 0 {
						continue
					}
					ptr := payload.Pointer(n.path)
					parent := payload.Pointer(n.path[:len(n.path)-1])
					key := n.path[len(n.path)-1]

					// A missing property is reported on the object lacking it, by name.
					if _, isIndex := strconvAtoi(key); !isIndex {
						errs := validate(t, v, set(clone(doc.Value), n.path, nil, true))
						if len(errs) > 0 {
							required++
							if !slices.ContainsFunc(errs, func(e payload.Error) bool {
								return e.Pointer == parent && e.Keyword == "required" && strings.Contains(e.Message, fmt.Sprintf("%q", key))
							}) && !near(errs, n.path) {
								t.Errorf("deleting %s: errors %v, want a required error at %q or errors near it", ptr, errs, parent)
							}
						}
					}
					// A value of the wrong type is reported at its pointer.
					errs := validate(t, v, set(clone(doc.Value), n.path, wrongType(n.value), false))
					if len(errs) > 0 {
						types++
						if !near(errs, n.path) {
							t.Errorf("retyping %s: errors %v are not at %s", ptr, errs, ptr)
						}
					}
					// An unknown value of a closed set is reported at its pointer.
					if _, isString := n.value.(string); isString {
						errs := validate(t, v, set(clone(doc.Value), n.path, "zz-not-a-known-value", false))
						if len(errs) > 0 {
							enums++
							if !near(errs, n.path) {
								t.Errorf("changing %s: errors %v are not at %s", ptr, errs, ptr)
							}
						}
					}
				}
				if required == 0 || types == 0 || enums == 0 {
					t.Errorf("mutations rejected: %d required, %d type, %d value; want each > 0", required, types, enums)
				}
			})
		}
	}
}

func strconvAtoi(s string) (int, bool) {
	var i int
	_, err := fmt.Sscan(s, &i)
	return i, err == nil && fmt.Sprint(i) == s
}

func wrongType(v any) any {
	switch v.(type) {
	case string:
		return json.Number("12345")
	case json.Number:
		return "12345"
	case bool:
		return "true"
	case map[string]any:
		return []any{"not", "an", "object"}
	case []any:
		return map[string]any{"not": "an array"}
	}
	return "null"
}
