package shape

import (
	"bytes"
	"encoding/json"
	"slices"
)

// JSONSchema writes a shape back as a JSON Schema 2020-12 (compact JSON,
// fields in order) that accepts exactly the values the shape does.
// ref(name) gives the URI a Ref points to ("#/components/schemas/Chat"). A
// refinement becomes allOf [{$ref}, what it adds]; a type list, anyOf;
// Cases, a oneOf with one entry per case (what the deciding fields hold,
// then the shapes that apply), which OpenAPI tools read as a union.
func (s *Schema) JSONSchema(sh *Shape, ref func(name string) string) []byte {
	b, err := json.Marshal(s.emit(sh, ref))
	if err != nil {
		panic(err) // only strings, numbers, bools and raw JSON from a schema
	}
	return b
}

// omap is a JSON object that keeps its keys in insertion order.
type omap []kv

type kv struct {
	k string
	v any
}

func (m *omap) set(k string, v any) { *m = append(*m, kv{k, v}) }

func (m omap) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range m {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(e.k)
		v, err := json.Marshal(e.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (s *Schema) emit(sh *Shape, ref func(string) string) omap {
	var m omap
	if sh.Title != "" {
		m.set("title", sh.Title)
	}
	if sh.Description != "" {
		m.set("description", sh.Description)
	}
	if sh.Deprecated {
		m.set("deprecated", true)
	}
	switch {
	case sh.Kind == Ref:
		m.set("$ref", ref(sh.Name))
	case sh.Name != "":
		parts := []any{omap{{"$ref", ref(sh.Name)}}}
		if own := s.body(s.Own(sh), ref); len(own) > 0 {
			parts = append(parts, own)
		}
		m.set("allOf", parts)
	default:
		m = append(m, s.body(sh, ref)...)
	}
	if sh.Examples != nil {
		m.set("examples", sh.Examples)
	}
	if sh.Default != nil {
		m.set("default", sh.Default)
	}
	return m
}

// body writes a shape's constraints (not its annotations).
func (s *Schema) body(sh *Shape, ref func(string) string) omap {
	var m omap
	switch sh.Kind {
	case Any, Ref:
	case Union:
		m.set("anyOf", s.list(sh.AnyOf, ref))
		return m
	default:
		m.set("type", sh.Kind.String())
	}
	switch {
	case len(sh.Enum) == 1:
		m.set("const", sh.Enum[0])
	case sh.Enum != nil:
		m.set("enum", sh.Enum)
	}
	if sh.Format != "" {
		m.set("format", sh.Format)
	}
	if sh.MaxLength >= 0 {
		m.set("maxLength", sh.MaxLength)
	}
	if sh.Pattern != "" {
		m.set("pattern", sh.Pattern)
	}
	if sh.Minimum != "" {
		m.set("minimum", sh.Minimum)
	}
	if sh.Maximum != "" {
		m.set("maximum", sh.Maximum)
	}
	if len(sh.Fields) > 0 {
		var props omap
		var required, expected []string
		for _, f := range sh.Fields {
			props.set(f.Name, s.emit(f.Shape, ref))
			if f.Required {
				required = append(required, f.Name)
			}
			if f.Expected {
				expected = append(expected, f.Name)
			}
		}
		m.set("properties", props)
		if required != nil {
			m.set("required", required)
		}
		if expected != nil {
			m.set("x-lcwh-expected", expected)
		}
	}
	switch {
	case sh.Closed:
		m.set("additionalProperties", false)
	case sh.Extra != nil:
		m.set("additionalProperties", s.emit(sh.Extra, ref))
	}
	if sh.Items != nil {
		m.set("items", s.emit(sh.Items, ref))
	}
	if sh.MaxItems >= 0 {
		m.set("maxItems", sh.MaxItems)
	}
	if len(sh.AnyOf) > 0 {
		m.set("anyOf", s.list(sh.AnyOf, ref))
	}
	if len(sh.Cases) > 0 {
		var cases []any
		for _, c := range sh.Cases {
			parts := s.list(c.Apply, ref)
			if when := whenSchema(c.When); len(when) > 0 {
				parts = append([]any{when}, parts...)
			}
			switch len(parts) {
			case 0:
				cases = append(cases, omap{})
			case 1:
				cases = append(cases, parts[0])
			default:
				cases = append(cases, omap{{"allOf", parts}})
			}
		}
		m.set("oneOf", cases)
	}
	return m
}

func (s *Schema) list(shapes []*Shape, ref func(string) string) []any {
	out := make([]any, len(shapes))
	for i, x := range shapes {
		out[i] = s.emit(x, ref)
	}
	return out
}

// whenSchema writes what a case's deciding fields hold.
func whenSchema(when []Match) omap {
	var props omap
	var required []string
	var absent []any
	for _, w := range when {
		if w.Values == nil && w.Except == nil {
			absent = append(absent, omap{{"required", []string{w.Field}}})
			continue
		}
		var value omap
		switch {
		case w.Except == nil && len(w.Values) == 1:
			value.set("const", w.Values[0])
		case w.Except == nil:
			value.set("enum", w.Values)
		case len(w.Values) == 0 && len(w.Except) == 0: // any value
		case len(w.Values) == 0:
			value.set("not", omap{{"enum", w.Except}})
		default:
			value.set("anyOf", []any{omap{{"enum", w.Values}}, omap{{"not", omap{{"enum", w.Except}}}}})
		}
		props.set(w.Field, value)
		if !w.Absent {
			required = append(required, w.Field)
		}
	}
	var m omap
	if len(props) > 0 {
		m.set("properties", props)
	}
	if required != nil {
		m.set("required", slices.Clip(required))
	}
	switch len(absent) {
	case 0:
	case 1:
		m.set("not", absent[0])
	default:
		m.set("not", omap{{"anyOf", absent}})
	}
	return m
}
