package shape

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/internal/jsonmut"
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
			orig, back := originalCompiler(t, v), roundTripCompiler(t, s)
			deciding := s.CaseValues()
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
				got, err := back.Compile(roundTripURL(v, a.Name))
				if err != nil {
					t.Fatalf("%s: the round-trip schema does not compile: %v", a.Name, err)
				}
				for i, m := range append([]jsonmut.Mutant{{What: "the fixture", Value: decode(t, raw)}}, jsonmut.Mutants(jsonmut.Thin(decode(t, raw)), deciding)...) {
					if raceEnabled && i%8 != 0 {
						continue // the race detector makes each check ten times slower
					}
					w, g := want.Validate(m.Value) == nil, got.Validate(m.Value) == nil
					if w != g {
						t.Errorf("%s, %s: original schema says valid=%v, round trip says valid=%v", a.Name, m.What, w, g)
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

// roundTripCompiler holds every shape of a version written back as JSON
// Schema: the definitions in one resource, each action in its own, so
// the definitions are compiled once.
func roundTripCompiler(t *testing.T, s *Schema) *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	add := func(name string, b []byte) {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(roundTripURL(s.Version, name), doc); err != nil {
			t.Fatal(err)
		}
	}
	defs := map[string]json.RawMessage{}
	for _, name := range s.DefNames {
		defs[name] = s.JSONSchema(s.Defs[name], func(n string) string { return "#/$defs/" + n })
	}
	b, _ := json.Marshal(map[string]any{"$defs": defs})
	add("defs", b)
	for _, a := range s.Actions {
		add(a.Name, s.JSONSchema(a.Body, func(n string) string { return "defs.json#/$defs/" + n }))
	}
	return c
}

func roundTripURL(version, name string) string {
	return "https://roundtrip.test/" + version + "/" + name + ".json"
}

func decode(t *testing.T, raw []byte) any {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return v
}
