package shape

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/payload"
)

// TestEveryVersionLoads walks every action of every version: Load fails on
// any keyword or form the package does not model, so this fails when the
// schemas use one.
func TestEveryVersionLoads(t *testing.T) {
	for _, v := range payload.Versions() {
		s, err := Load(v)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := payload.CatalogFor(v)
		if len(s.Actions) != len(c.Actions) {
			t.Fatalf("%s: %d actions, catalogue has %d", v, len(s.Actions), len(c.Actions))
		}
		for _, a := range s.Actions {
			if a.Body == nil || a.Body.Kind != Object || a.Body.Field("action") == nil || a.Body.Field("payload") == nil {
				t.Errorf("%s %s: body is not an object with action and payload", v, a.Name)
			}
			if enum := a.Body.Field("action").Shape.Enum; len(enum) != 1 || enum[0] != a.Name {
				t.Errorf("%s %s: action field allows %v", v, a.Name, enum)
			}
		}
		if len(s.DefNames) != len(s.Defs) {
			t.Errorf("%s: %d names for %d definitions", v, len(s.DefNames), len(s.Defs))
		}
	}
}

// TestRoundTripKeepsMeaning is the proof that Load loses nothing: every
// action's shape, written back as JSON Schema (JSONSchema), must accept and
// reject exactly what the original schema does, over every fixture and
// thousands of one-defect variants of them (a field removed, a value of
// another type, an event turned into each other type of event). Both sides run on the
// reference engine, santhosh-tekuri/jsonschema.
func TestRoundTripKeepsMeaning(t *testing.T) {
	if testing.Short() {
		t.Skip("round trip over every fixture variant")
	}
	for _, v := range payload.Versions() {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			s, err := Load(v)
			if err != nil {
				t.Fatal(err)
			}
			orig := originalCompiler(t, v)
			deciding := decidingValues(s)
			checked := 0
			for _, a := range s.Actions {
				raw, err := fixtures.Get(v, a.Name)
				if err != nil {
					continue // the version's fixtures are checked elsewhere
				}
				want, err := orig.Compile(payload.SchemaBaseURL + v + "/" + a.Name + ".json")
				if err != nil {
					t.Fatal(err)
				}
				got := compileShape(t, s, a)
				for i, m := range mutants(thin(decode(t, raw)), deciding) {
					if raceEnabled && i%8 != 0 {
						continue // the race detector makes each check ten times slower
					}
					w, g := want.Validate(m.value) == nil, got.Validate(m.value) == nil
					if w != g {
						t.Errorf("%s, %s: original schema says valid=%v, round trip says valid=%v", a.Name, m.what, w, g)
					}
					checked++
				}
			}
			t.Logf("%d bodies agree", checked)
		})
	}
}

// originalCompiler reads a version's schema files as shipped.
func originalCompiler(t *testing.T, version string) *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	cat, _ := payload.CatalogFor(version)
	for _, name := range append([]string{"defs"}, cat.Names()...) {
		b, _ := payload.SchemaFile(version, name)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(payload.SchemaBaseURL+version+"/"+name+".json", doc); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// compileShape compiles an action's shape written back as JSON Schema,
// with every definition under $defs.
func compileShape(t *testing.T, s *Schema, a *Action) *jsonschema.Schema {
	ref := func(name string) string { return "#/$defs/" + name }
	var root map[string]any
	if err := json.Unmarshal(s.JSONSchema(a.Body, ref), &root); err != nil {
		t.Fatal(err)
	}
	defs := map[string]any{}
	for _, name := range s.DefNames {
		var d any
		if err := json.Unmarshal(s.JSONSchema(s.Defs[name], ref), &d); err != nil {
			t.Fatal(err)
		}
		defs[name] = d
	}
	root["$defs"] = defs
	b, _ := json.Marshal(root)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	url := "https://roundtrip.test/" + s.Version + "/" + a.Name + ".json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatalf("%s %s: the round-trip schema does not compile: %v\n%s", s.Version, a.Name, err, b)
	}
	return sch
}

func decode(t *testing.T, raw []byte) any {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// decidingValues collects, per name of a field that picks a case (an
// event's type), every value a case names for it, so that a mutant can
// turn an event into another type of event.
func decidingValues(s *Schema) map[string][]any {
	out := map[string][]any{}
	seen := map[*Shape]bool{}
	var walk func(sh *Shape)
	walk = func(sh *Shape) {
		if sh == nil || seen[sh] {
			return
		}
		seen[sh] = true
		for _, c := range sh.Cases {
			for _, m := range c.When {
				for _, v := range append(slices.Clip(m.Values), m.Except...) {
					if !slices.ContainsFunc(out[m.Field], func(x any) bool { return sameValue(x, v) }) {
						out[m.Field] = append(out[m.Field], v)
					}
				}
			}
			for _, x := range c.Apply {
				walk(x)
			}
		}
		for _, f := range sh.Fields {
			walk(f.Shape)
		}
		for _, x := range append([]*Shape{sh.Items, sh.Extra}, sh.AnyOf...) {
			walk(x)
		}
	}
	for _, sh := range s.Defs {
		walk(sh)
	}
	for _, a := range s.Actions {
		walk(a.Body)
	}
	return out
}

// thin keeps one element of each type in each array (the first event of
// each type, ...): the mutants of the others would repeat the same checks
// on a longer body.
func thin(v any) any {
	switch x := v.(type) {
	case map[string]any:
		c := make(map[string]any, len(x))
		for k, e := range x {
			c[k] = thin(e)
		}
		return c
	case []any:
		var out []any
		kinds := map[string]bool{}
		for _, e := range x {
			kind := fmt.Sprintf("%T", e)
			if o, ok := e.(map[string]any); ok {
				kind = fmt.Sprint(o["type"])
			}
			if !kinds[kind] {
				kinds[kind] = true
				out = append(out, thin(e))
			}
		}
		return out
	}
	return v
}

type mutant struct {
	what  string
	value any
}

// mutants returns the document and its one-defect variants: each value
// removed, replaced by one of another type, and, for a field that picks a
// case, by each other value a case names. Array elements of the same type
// (an event's, a user's) are mutated in one of them only.
func mutants(doc any, deciding map[string][]any) []mutant {
	out := []mutant{{"the fixture", doc}}
	seen := map[string]bool{}
	add := func(key, what string, value any) {
		if !seen[key] {
			seen[key] = true
			out = append(out, mutant{what, value})
		}
	}
	var visit func(v any, path []string, kind string)
	visit = func(v any, path []string, kind string) {
		at := "/" + strings.Join(path, "/")
		if len(path) > 0 {
			last := path[len(path)-1]
			var wrong any = "zz-not-a-value"
			if _, ok := v.(string); ok {
				wrong = json.Number("7")
			}
			replacements := []any{wrong}
			for _, e := range deciding[last] {
				if !sameValue(e, v) {
					replacements = append(replacements, e)
				}
			}
			for _, r := range replacements {
				add(fmt.Sprintf("%s set %v", kind, r), fmt.Sprintf("%s set to %v", at, r), replace(doc, path, r, false))
			}
			add(kind+" removed", at+" removed", replace(doc, path, nil, true))
		}
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				visit(c, append(slices.Clip(path), k), kind+"/"+k)
			}
		case []any:
			for i, c := range x {
				elem := kind + "/[]"
				if o, ok := c.(map[string]any); ok {
					elem += fmt.Sprint(o["type"])
				}
				visit(c, append(slices.Clip(path), fmt.Sprint(i)), elem)
			}
		}
	}
	visit(doc, nil, "")
	return out
}

// replace returns a copy of doc with the value at path replaced (or, with
// del, removed: an array element is dropped).
func replace(doc any, path []string, value any, del bool) any {
	if len(path) == 0 {
		return value
	}
	switch x := doc.(type) {
	case map[string]any:
		c := make(map[string]any, len(x))
		for k, v := range x {
			c[k] = v
		}
		if len(path) == 1 && del {
			delete(c, path[0])
		} else {
			c[path[0]] = replace(x[path[0]], path[1:], value, del)
		}
		return c
	case []any:
		var i int
		fmt.Sscan(path[0], &i)
		c := slices.Clone(x)
		if len(path) == 1 && del {
			return slices.Delete(c, i, i+1)
		}
		c[i] = replace(x[i], path[1:], value, del)
		return c
	}
	return doc
}
