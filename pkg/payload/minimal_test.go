package payload_test

import (
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/pkg/payload"
)

// The bodies below are generated from the schemas, not written by hand:
// for every action of every version, the smallest body the schema allows
// (every optional and expected field absent) must be valid, warn about
// each expected field it lacks, and fail, at the object, when any of its
// fields is removed.

// generator builds minimal bodies from one version's schema files.
type generator struct {
	t       *testing.T
	version string
	files   map[string]map[string]any
	// Variants: members of an enum that a body could hold another value of.
	choices []choice
	presets map[string]map[string]any // pointer of an object -> members set first
}

type choice struct {
	ptr, member string
	values      []any
}

func (g *generator) file(name string) map[string]any {
	if f, ok := g.files[name]; ok {
		return f
	}
	b, err := payload.SchemaFile(g.version, strings.TrimSuffix(name, ".json"))
	if err != nil {
		g.t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		g.t.Fatal(err)
	}
	g.files[name] = m
	return m
}

// located is a schema and the file its $refs are relative to.
type located struct {
	s    map[string]any
	file string
}

// resolve returns the schema a $ref in file points to.
func (g *generator) resolve(ref, file string) located {
	f, frag, _ := strings.Cut(ref, "#")
	if f == "" {
		f = file
	}
	var cur any = g.file(path.Base(f))
	for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
		if tok != "" {
			cur = cur.(map[string]any)[tok]
		}
	}
	return located{cur.(map[string]any), path.Base(f)}
}

// expand returns s and the schemas it applies in place (its $ref, allOf
// members, the first anyOf branch); if/then/else are left to gen, which
// decides them on the value it built.
func (g *generator) expand(l located, out []located) []located {
	if l.s == nil {
		return out
	}
	out = append(out, l)
	if ref, ok := l.s["$ref"].(string); ok {
		out = g.expand(g.resolve(ref, l.file), out)
	}
	for _, sub := range list(l.s["allOf"]) {
		out = g.expand(located{sub, l.file}, out)
	}
	if any := list(l.s["anyOf"]); len(any) > 0 {
		out = g.expand(located{any[0], l.file}, out)
	}
	return out
}

func list(v any) []map[string]any {
	var out []map[string]any
	for _, x := range asSlice(v) {
		out = append(out, x.(map[string]any))
	}
	return out
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

func names(v any) []string {
	var out []string
	for _, x := range asSlice(v) {
		out = append(out, x.(string))
	}
	return out
}

// minimal is a generated body with, per object, the expected fields it lacks.
type minimal struct {
	value    any
	expected map[string][]string // pointer of an object -> its expected fields
}

// gen builds the smallest value the schemas ls allow, at pointer ptr. An
// array gets one item, or one per value of the enum of a required member
// of its items (one event per event type, one user per user type), so
// that the smallest body still holds every variant of its structures.
func (g *generator) gen(ls []located, ptr string, m *minimal) any {
	return g.genWith(ls, ptr, m, nil)
}

func (g *generator) genWith(ls []located, ptr string, m *minimal, preset map[string]any) any {
	var set []located
	for _, l := range ls {
		set = g.expand(l, set)
	}
	typ := ""
	for _, l := range set {
		if c, ok := l.s["const"]; ok {
			return c
		}
		if e := asSlice(l.s["enum"]); len(e) > 0 {
			return e[0]
		}
		switch t := l.s["type"].(type) {
		case string:
			typ = t
		case []any:
			typ = t[0].(string)
		}
	}
	switch typ {
	case "object":
		return g.object(set, ptr, m, preset)
	case "array":
		var items []located
		for _, l := range set {
			if it, ok := l.s["items"].(map[string]any); ok {
				items = append(items, located{it, l.file})
			}
		}
		if len(items) == 0 {
			return []any{}
		}
		key, values := g.discriminator(items)
		if key == "" {
			return []any{g.gen(items, ptr+"/0", m)}
		}
		out := []any{}
		for i, v := range values {
			out = append(out, g.genWith(items, fmt.Sprintf("%s/%d", ptr, i), m, map[string]any{key: v}))
		}
		return out
	case "integer", "number":
		return json.Number("0")
	case "boolean":
		return false
	}
	for _, l := range set {
		if l.s["format"] == "date-time" {
			return "2025-09-16T09:40:58.114302Z"
		}
		if p, ok := l.s["pattern"].(string); ok {
			if p != "^[0-9]{2}:[0-9]{2}$" {
				g.t.Fatalf("%s: no minimal value for pattern %s", ptr, p)
			}
			return "09:00"
		}
	}
	return "x" // a string, or a value of no given type
}

// object builds the required members of an object, then those of the
// then/else branches its if conditions select, until nothing changes.
func (g *generator) object(set []located, ptr string, m *minimal, preset map[string]any) map[string]any {
	obj := map[string]any{}
	for k, v := range preset {
		obj[k] = v
	}
	for k, v := range g.presets[ptr] {
		obj[k] = v
	}
	var expected []string
	for done := map[string]bool{}; ; {
		grew := false
		for _, l := range set {
			for _, name := range names(l.s["required"]) {
				if _, ok := obj[name]; !ok {
					props := g.propSchemas(set, name)
					obj[name] = g.gen(props, ptr+"/"+name, m)
					if values := g.enum(props); len(values) > 1 && preset == nil {
						g.choices = append(g.choices, choice{ptr, name, values[1:]})
					}
					grew = true
				}
			}
			for _, name := range names(l.s["x-lcwh-expected"]) {
				if !slices.Contains(expected, name) {
					expected = append(expected, name)
				}
			}
		}
		var branches []located
		for _, l := range set {
			key := fmt.Sprintf("%p", l.s)
			if _, ok := l.s["if"]; !ok || done[key] {
				continue
			}
			if holds(l.s["if"].(map[string]any), obj) {
				if then, ok := l.s["then"].(map[string]any); ok {
					branches = g.expand(located{then, l.file}, branches)
				}
			} else if els, ok := l.s["else"].(map[string]any); ok {
				branches = g.expand(located{els, l.file}, branches)
			}
			done[key] = true
		}
		set = append(set, branches...)
		if !grew && len(branches) == 0 {
			break
		}
	}
	var missing []string
	for _, e := range expected {
		if _, ok := obj[e]; !ok {
			missing = append(missing, e)
		}
	}
	if len(missing) > 0 {
		m.expected[ptr] = missing
	}
	return obj
}

// discriminator returns a required member of the items whose schema is an
// enum, and its values; "" when there is none.
func (g *generator) discriminator(items []located) (string, []any) {
	var set []located
	for _, l := range items {
		set = g.expand(l, set)
	}
	for _, l := range set {
		for _, name := range names(l.s["required"]) {
			if e := g.enum(g.propSchemas(set, name)); len(e) > 0 {
				return name, e
			}
		}
	}
	return "", nil
}

// enum returns the values the schemas ls allow, when one is an enum.
func (g *generator) enum(ls []located) []any {
	var set []located
	for _, l := range ls {
		set = g.expand(l, set)
	}
	for _, l := range set {
		if e := asSlice(l.s["enum"]); len(e) > 0 {
			return e
		}
	}
	return nil
}

// propSchemas returns the schemas of the member name of an object whose
// schemas are set (additionalProperties where no properties names it).
func (g *generator) propSchemas(set []located, name string) []located {
	var out []located
	for _, l := range set {
		props, _ := l.s["properties"].(map[string]any)
		if p, ok := props[name].(map[string]any); ok {
			out = append(out, located{p, l.file})
		} else if a, ok := l.s["additionalProperties"].(map[string]any); ok {
			out = append(out, located{a, l.file})
		}
	}
	return out
}

// holds evaluates the if conditions the schemas use: required names and
// const members.
func holds(cond map[string]any, obj map[string]any) bool {
	for k := range cond {
		if k != "properties" && k != "required" {
			panic("if keyword " + k + " not understood by the generator")
		}
	}
	for _, name := range names(cond["required"]) {
		if _, ok := obj[name]; !ok {
			return false
		}
	}
	props, _ := cond["properties"].(map[string]any)
	for name, p := range props {
		c, ok := p.(map[string]any)["const"]
		if !ok {
			panic("if property without const")
		}
		if v, present := obj[name]; present && fmt.Sprint(v) != fmt.Sprint(c) {
			return false
		}
	}
	return true
}

// minimalBodies returns the smallest body of an action, then one variant
// for each other value of each enum member in it (an event of each type,
// a user of each type, a transfer for each reason).
func minimalBodies(t *testing.T, version, action string) []minimal {
	g := &generator{t: t, version: version, files: map[string]map[string]any{}}
	body := func() minimal {
		m := minimal{expected: map[string][]string{}}
		m.value = g.gen([]located{{g.file(action + ".json"), action + ".json"}}, "", &m)
		return m
	}
	out := []minimal{body()}
	choices := g.choices
	for _, c := range choices {
		for _, v := range c.values {
			g.presets = map[string]map[string]any{c.ptr: {c.member: v}}
			out = append(out, body())
		}
	}
	return out
}

func TestMinimalBodies(t *testing.T) {
	for _, version := range payload.Versions() {
		c, _ := payload.CatalogFor(version)
		v, err := payload.NewValidator(version)
		if err != nil {
			t.Fatal(err)
		}
		for _, action := range c.Names() {
			t.Run(version+"/"+action, func(t *testing.T) {
				for _, m := range minimalBodies(t, version, action) {
					checkMinimal(t, v, m)
				}
			})
		}
	}
}

// checkMinimal: m is valid, warns about each expected field it lacks, and
// fails at the right object when any of its fields is removed.
func checkMinimal(t *testing.T, v *payload.Validator, m minimal) {
	t.Helper()

	// Valid, with one warning per expected field it lacks.
	r := report(t, v, m.value, payload.Options{})
	if len(r.Errors) > 0 {
		t.Fatalf("minimal body %s\nerrors %s", mustJSON(m.value), findings(r.Errors))
	}
	var want []string
	for ptr, fields := range m.expected {
		for _, f := range fields {
			want = append(want, payload.Error{Pointer: ptr, Message: fmt.Sprintf("missing expected property %q", f)}.String())
		}
	}
	slices.Sort(want)
	if got := sortedStrings(r.Warnings); !slices.Equal(got, want) {
		t.Errorf("minimal body %s\nwarnings %s\nwant\n  %s", mustJSON(m.value), findings(r.Warnings), strings.Join(want, "\n  "))
	}

	// Every field of it is required: removing one is an error at its object.
	walk(m.value, nil, func(n node) {
		if len(n.path) == 0 {
			return
		}
		if _, isIndex := strconvAtoi(n.path[len(n.path)-1]); isIndex {
			return
		}
		parent := payload.Pointer(n.path[:len(n.path)-1])
		msg := fmt.Sprintf("missing required property %q", n.path[len(n.path)-1])
		errs := validate(t, v, set(clone(m.value), n.path, nil, true))
		if !slices.ContainsFunc(errs, func(e payload.Error) bool { return e.Pointer == parent && e.Message == msg }) {
			t.Errorf("without %s: errors %s\nwant %q at %q", payload.Pointer(n.path), findings(errs), msg, parent)
		}
	})
}

func mustJSON(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}
