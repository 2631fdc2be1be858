package shape

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lcwh/lcwh/pkg/payload"
)

// loadFiles loads a made-up version from defs (the $defs object) and one
// action schema per name.
func loadFiles(t *testing.T, defs string, actions map[string]string) (*Schema, error) {
	t.Helper()
	files := map[string]string{"defs": `{"$schema": "` + draft2020 + `", "$defs": ` + defs + `}`}
	var list []*Action
	for name, body := range actions {
		files[name] = `{"$schema": "` + draft2020 + `", ` + strings.TrimPrefix(body, "{")
		list = append(list, &Action{Name: name})
	}
	return load("9.9", list, func(name string) ([]byte, error) {
		f, ok := files[name]
		if !ok {
			return nil, fmt.Errorf("no file %s", name)
		}
		return []byte(f), nil
	})
}

func mustLoad(t *testing.T, defs string, actions map[string]string) *Schema {
	t.Helper()
	s, err := loadFiles(t, defs, actions)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const envelope = `"Envelope": {"type": "object", "required": ["action", "payload"],
	"properties": {"action": {"type": "string", "description": "the action"}, "payload": {"description": "any"}, "extra": {"type": "integer"}}}`

func TestUnmodelledFormsFail(t *testing.T) {
	for _, tc := range []struct{ defs, want string }{
		{`{"A": {"type": "string", "minLength": 1}}`, `9.9/defs.json#/$defs/A: keyword "minLength" is not modelled`},
		{`{"A": {"type": "object", "properties": {"b": {"oneOf": [{"type": "string"}]}}}}`, `#/$defs/A/properties/b: keyword "oneOf" is not modelled`},
		{`{"A": {"$ref": "#/$defs/Missing"}}`, `no such definition`},
		{`{"A": {"$ref": "other.json#/$defs/B"}}`, `only references to defs.json`},
		{`{"A": {"$ref": "#/$defs/B"}, "B": {"$ref": "#/$defs/A"}}`, `leads back to itself`},
		{`{"A": {"$ref": "#/$defs/A", "required": ["x"]}}`, `refines itself`},
		{`{"A": {"type": "object", "if": {"properties": {"t": {"type": "string"}}}, "then": {}}}`, `an if only models {const: V} or {enum: [...]}`},
		{`{"A": {"type": "object", "then": {}}}`, `then or else without if`},
		{`{"A": {"type": "string", "format": "email"}}`, `format email is not modelled`},
		{`{"A": {"type": "string", "properties": {"x": {}}}}`, `object keywords do not apply to the type given`},
		{`{"A": {"type": "object", "required": "x"}}`, `required must be an array of distinct strings`},
		{`{"A": {"items": false}}`, `the false schema is only modelled as additionalProperties: false`},
		{`{"A": {"const": "a", "enum": ["b"]}}`, `const and enum allow no value together`},
	} {
		_, err := loadFiles(t, tc.defs, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v, want one containing %q", tc.defs, err, tc.want)
		}
	}
}

func TestRefinementNarrowsItsDefinition(t *testing.T) {
	s := mustLoad(t, `{`+envelope+`,
		"Chat": {"type": "object", "description": "a chat", "required": ["id"], "properties": {
			"id": {"type": "string"}, "thread": {"$ref": "#/$defs/Thread"}, "tags": {"type": "array", "items": {"type": "string"}}}},
		"Thread": {"type": "object", "properties": {"id": {"type": "string"}}},
		"Alias": {"$ref": "#/$defs/Chat", "description": "the same as a chat"}}`,
		map[string]string{"a": `{"$ref": "defs.json#/$defs/Envelope", "description": "action a", "properties": {
			"action": {"const": "a"},
			"payload": {"description": "the payload of a", "type": "object", "required": ["chat"], "x-lcwh-expected": ["note"], "properties": {
				"chat": {"$ref": "defs.json#/$defs/Chat", "required": ["thread"], "properties": {"tags": {"maxItems": 3}}},
				"alias": {"$ref": "defs.json#/$defs/Alias", "description": "an alias", "deprecated": true}}}}}`})
	body := s.Action("a").Body
	if body.Kind != Object || body.Name != "Envelope" || body.Description != "action a" {
		t.Fatalf("body: kind %s, name %q, description %q", body.Kind, body.Name, body.Description)
	}
	if got := fieldNames(body); got != "action payload extra" {
		t.Errorf("body fields %q: want the definition's order", got)
	}
	action := body.Field("action")
	if action.Inherited || !action.Required || action.Shape.Kind != String || !reflect.DeepEqual(action.Shape.Enum, []any{"a"}) || action.Shape.Description != "the action" {
		t.Errorf("action field: %+v, shape %+v", action, action.Shape)
	}
	if f := body.Field("extra"); !f.Inherited || f.Required {
		t.Errorf("extra: %+v, want inherited and optional", f)
	}
	payload := body.Field("payload").Shape
	if payload.Description != "the payload of a" {
		t.Errorf("payload described as %q: the keywords beside $ref describe it", payload.Description)
	}
	if f := payload.Field("note"); f == nil || !f.Expected || f.Required || f.Shape.Kind != Any {
		t.Errorf("note: %+v, want an expected field of any value", f)
	}
	chat := payload.Field("chat").Shape
	if chat.Kind != Object || chat.Name != "Chat" || chat.Description != "a chat" {
		t.Fatalf("chat: kind %s, name %q, description %q", chat.Kind, chat.Name, chat.Description)
	}
	if f := chat.Field("thread"); !f.Required || f.Inherited || f.Shape.Kind != Ref || f.Shape.Name != "Thread" {
		t.Errorf("thread: %+v, shape %+v", f, f.Shape)
	}
	if f := chat.Field("tags"); f.Inherited || f.Shape.MaxItems != 3 || s.Resolve(f.Shape.Items).Kind != String {
		t.Errorf("tags: %+v, shape %+v", f, f.Shape)
	}
	if got := fieldNames(s.Own(chat)); got != "thread tags" {
		t.Errorf("Own(chat) has fields %q, want thread tags", got)
	}
	if def := s.Defs["Chat"]; def.Field("tags").Shape.MaxItems != -1 || def.Field("thread").Required {
		t.Error("refining Chat changed the definition")
	}
	alias := payload.Field("alias").Shape
	if alias.Kind != Ref || alias.Name != "Alias" || alias.Description != "an alias" || !alias.Deprecated {
		t.Errorf("alias: %+v", alias)
	}
	if r := s.Resolve(alias); r != s.Defs["Chat"] {
		t.Errorf("Resolve(alias) = %+v, want the Chat definition", r)
	}
}

func TestTypeListBecomesUnion(t *testing.T) {
	s := mustLoad(t, `{"A": {"description": "a or b", "type": ["string", "integer", "boolean"], "maxLength": 4, "maximum": 9},
		"B": {"type": ["string", "boolean"], "enum": ["x", "y"]},
		"C": {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/B"}]}}`, nil)
	a := s.Defs["A"]
	if a.Kind != Union || a.Description != "a or b" || len(a.AnyOf) != 3 {
		t.Fatalf("A: %+v", a)
	}
	str, num, b := a.AnyOf[0], a.AnyOf[1], a.AnyOf[2]
	if str.Kind != String || str.MaxLength != 4 || num.Kind != Integer || num.Maximum != "9" || num.MaxLength != -1 || b.Kind != Boolean {
		t.Errorf("alternatives: %+v %+v %+v", str, num, b)
	}
	if bs := s.Defs["B"]; bs.Kind != String || !reflect.DeepEqual(bs.Enum, []any{"x", "y"}) {
		t.Errorf("B: an enum of strings only allows strings, got %+v", bs)
	}
	if c := s.Defs["C"]; c.Kind != Union || len(c.AnyOf) != 2 || c.AnyOf[1].Kind != Ref {
		t.Errorf("C: %+v", c)
	}
}

func TestIfThenBecomesCases(t *testing.T) {
	s := mustLoad(t, `{
		"Event": {"type": "object", "required": ["type"], "properties": {
				"type": {"type": "string", "enum": ["message", "file", "other"]},
				"deleted": {"type": "boolean"}},
			"allOf": [
				{"if": {"properties": {"type": {"const": "message"}, "deleted": {"const": false}}, "required": ["type"]}, "then": {"$ref": "#/$defs/Message"}},
				{"if": {"properties": {"type": {"const": "file"}, "deleted": {"const": false}}, "required": ["type"]}, "then": {"$ref": "#/$defs/File"}}]},
		"Message": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
		"File": {"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}},
		"Wrapped": {"type": "object", "if": {"required": ["inner"]}, "then": {"properties": {"inner": {"$ref": "#/$defs/File"}}}, "else": {"$ref": "#/$defs/File"}},
		"Open": {"type": "object", "properties": {"kind": {"type": "string"}},
			"if": {"properties": {"kind": {"enum": ["a", "b"]}}, "required": ["kind"]}, "then": {"required": ["x"]}}}`, nil)
	check := func(def string, want []string) {
		t.Helper()
		var got []string
		for _, c := range s.Defs[def].Cases {
			var apply []string
			for _, a := range c.Apply {
				apply = append(apply, a.Kind.String()+":"+a.Name+fieldNames(a))
			}
			got = append(got, fmt.Sprintf("%s -> %v", matches(c.When), apply))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s cases:\n got %q\nwant %q", def, got, want)
		}
	}
	check("Event", []string{
		"type=[message] deleted=[false]|absent -> [ref:Message]",
		"type=[file] deleted=[false]|absent -> [ref:File]",
		"deleted=[true] -> []",
		"type=[other] deleted=[false]|absent -> []",
	})
	check("Wrapped", []string{"inner=any but [] -> [any:inner]", "inner=absent -> [ref:File]"})
	check("Open", []string{"kind=[a b] -> [any:x]", "kind=absent|any but [a b] -> []"})
}

func matches(ms []Match) string {
	var parts []string
	for _, m := range ms {
		var alts []string
		if m.Values != nil {
			alts = append(alts, fmt.Sprint(m.Values))
		}
		if m.Absent {
			alts = append(alts, "absent")
		}
		if m.Except != nil {
			alts = append(alts, fmt.Sprint("any but ", m.Except))
		}
		parts = append(parts, m.Field+"="+strings.Join(alts, "|"))
	}
	return strings.Join(parts, " ")
}

func fieldNames(s *Shape) string {
	var names []string
	for _, f := range s.Fields {
		names = append(names, f.Name)
	}
	return strings.Join(names, " ")
}

func TestAnnotationsAndLimits(t *testing.T) {
	s := mustLoad(t, `{"A": {"type": "object", "title": "T", "$comment": "ignored",
		"properties": {
			"old": {"type": "string", "deprecated": true, "examples": ["x"], "default": "y"},
			"n": {"type": "number", "minimum": 0.5, "maximum": 1e3},
			"s": {"type": "string", "pattern": "^a+$", "maxLength": 10, "format": "date-time"},
			"m": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "boolean"}, "maxItems": 2}},
			"closed": {"type": "object", "additionalProperties": false}}}}`, nil)
	a := s.Defs["A"]
	old := a.Field("old").Shape
	if a.Title != "T" || !old.Deprecated || string(old.Examples[0]) != `"x"` || string(old.Default) != `"y"` {
		t.Errorf("annotations: %+v %+v", a, old)
	}
	if n := a.Field("n").Shape; n.Minimum != "0.5" || n.Maximum != "1e3" {
		t.Errorf("n: %+v", n)
	}
	if str := a.Field("s").Shape; str.Pattern != "^a+$" || str.MaxLength != 10 || str.Format != "date-time" {
		t.Errorf("s: %+v", str)
	}
	if m := a.Field("m").Shape; m.Extra == nil || m.Extra.Kind != Array || m.Extra.MaxItems != 2 || m.Extra.Items.Kind != Boolean {
		t.Errorf("m: %+v", m)
	}
	if c := a.Field("closed").Shape; !c.Closed || c.Extra != nil {
		t.Errorf("closed: %+v", c)
	}
	var back map[string]any
	if err := json.Unmarshal(s.JSONSchema(a, func(n string) string { return n }), &back); err != nil {
		t.Fatal(err)
	}
	if back["title"] != "T" || back["properties"].(map[string]any)["closed"].(map[string]any)["additionalProperties"] != false {
		t.Errorf("JSONSchema lost annotations or additionalProperties: %v", back)
	}
}

func TestMeet(t *testing.T) {
	s := mustLoad(t, `{"A": {"type": "object", "properties": {"x": {"type": "string", "enum": ["a", "b", "c"]}, "y": {"type": "integer"}}},
		"B": {"type": "object", "required": ["x"], "properties": {"x": {"enum": ["b", "c", "d"]}}},
		"N": {"type": "number"}, "S": {"type": "string"}}`, nil)
	m, err := s.Meet(&Shape{Kind: Ref, Name: "A", MaxItems: -1, MaxLength: -1}, s.Defs["B"])
	if err != nil {
		t.Fatal(err)
	}
	x := m.Field("x")
	if m.Name != "A" || !x.Required || x.Inherited || !reflect.DeepEqual(x.Shape.Enum, []any{"b", "c"}) || !m.Field("y").Inherited {
		t.Errorf("meet: %+v, x %+v %+v", m, x, x.Shape)
	}
	if _, err := s.Meet(s.Defs["N"], s.Defs["S"]); err == nil || !strings.Contains(err.Error(), "both number and string") {
		t.Errorf("meeting a number and a string: %v", err)
	}
}

// TestLoadFS reads the files `lcwh schema --all` writes as Load reads the
// embedded ones.
func TestLoadFS(t *testing.T) {
	v := payload.DefaultVersion
	c, _ := payload.CatalogFor(v)
	files := fstest.MapFS{}
	for _, name := range append([]string{"catalog", "defs"}, c.Names()...) {
		b, err := payload.SchemaFile(v, name)
		if err != nil {
			t.Fatal(err)
		}
		files[name+".json"] = &fstest.MapFile{Data: b}
	}
	fromFS, err := LoadFS(files)
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := Load(v)
	if err != nil {
		t.Fatal(err)
	}
	ref := func(name string) string { return name }
	if fromFS.Version != v || !reflect.DeepEqual(fromFS.DefNames, embedded.DefNames) || len(fromFS.Actions) != len(embedded.Actions) {
		t.Fatalf("LoadFS: version %s, %d definitions, %d actions", fromFS.Version, len(fromFS.DefNames), len(fromFS.Actions))
	}
	for i, a := range fromFS.Actions {
		if got, want := fromFS.JSONSchema(a.Body, ref), embedded.JSONSchema(embedded.Actions[i].Body, ref); string(got) != string(want) {
			t.Errorf("%s differs:\n%s\n%s", a.Name, got, want)
		}
	}
	if _, err := LoadFS(fstest.MapFS{}); err == nil {
		t.Error("LoadFS of an empty folder did not fail")
	}
}
