package payload

import (
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
)

// Fields flattens an action's schema into field paths such as
// "payload.chat.users[].visit" with a short description of each
// ("string, required", "integer, expected", "one of a|b", "object,
// deprecated"). Variants selected by if/then (event types, user types) are
// merged into one path.
func Fields(version, action string) (map[string]string, error) {
	return newFieldWalker(version).fields(action)
}

func newFieldWalker(version string) *fieldWalker {
	return &fieldWalker{version: version, files: map[string]map[string]any{}}
}

// fields flattens one action; the walker keeps the files it parsed
// (defs.json above all) for the next action.
func (w *fieldWalker) fields(action string) (map[string]string, error) {
	w.types, w.marks = map[string]string{}, map[string][]string{}
	root, err := w.file(action + ".json")
	if err != nil {
		return nil, err
	}
	w.schema(root, action+".json", "", nil)
	fields := slices.Concat(slices.Collect(maps.Keys(w.types)), slices.Collect(maps.Keys(w.marks)))
	out := map[string]string{}
	for _, f := range fields {
		if f != "" {
			parts := append([]string{w.types[f]}, w.marks[f]...)
			out[f] = strings.Join(slices.DeleteFunc(parts, func(p string) bool { return p == "" }), ", ")
		}
	}
	return out, nil
}

type fieldWalker struct {
	version string
	types   map[string]string   // field -> its type, enum, const or format (the longest description seen)
	marks   map[string][]string // field -> "deprecated", then "required" or "expected"
	files   map[string]map[string]any
}

// mark adds m to the marks of field f once; "required" beats "expected".
func (w *fieldWalker) mark(f, m string) {
	ms := w.marks[f]
	switch {
	case slices.Contains(ms, m) || m == "expected" && slices.Contains(ms, "required"):
		return
	case m == "required":
		ms = slices.DeleteFunc(ms, func(s string) bool { return s == "expected" })
	}
	w.marks[f] = append(ms, m)
	slices.SortFunc(w.marks[f], func(a, b string) int { return strings.Compare(a, b) }) // deprecated, expected, required
}

func (w *fieldWalker) file(name string) (map[string]any, error) {
	if f, ok := w.files[name]; ok {
		return f, nil
	}
	b, err := SchemaFile(w.version, strings.TrimSuffix(name, ".json"))
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	w.files[name] = m
	return m, nil
}

// resolve follows a $ref such as "defs.json#/$defs/Chat" or "#/$defs/Chat".
func (w *fieldWalker) resolve(ref, inFile string) (map[string]any, string) {
	file, frag, _ := strings.Cut(ref, "#")
	if file == "" {
		file = inFile
	}
	node, err := w.file(path.Base(file))
	if err != nil {
		return nil, ""
	}
	var cur any = node
	for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
		if tok == "" {
			continue
		}
		m, _ := cur.(map[string]any)
		cur = m[tok]
	}
	m, _ := cur.(map[string]any)
	return m, path.Base(file)
}

// schema describes s at the field path at, and marks the fields its
// required and x-lcwh-expected name.
func (w *fieldWalker) schema(s map[string]any, file, at string, seen []string) {
	if s == nil || len(seen) > 40 {
		return
	}
	if ref, ok := s["$ref"].(string); ok {
		key := file + ref
		if !slices.Contains(seen, key) {
			target, f := w.resolve(ref, file)
			w.schema(target, f, at, append(seen, key))
		}
	}
	if d := describeSchema(s); len(d) > len(w.types[at]) {
		w.types[at] = d
	} else if _, ok := w.types[at]; !ok {
		w.types[at] = ""
	}
	if s["deprecated"] == true {
		w.mark(at, "deprecated")
	}
	child := func(name string) string {
		if at == "" {
			return name
		}
		return at + "." + name
	}
	for _, kw := range []string{"x-lcwh-expected", "required"} {
		if r, ok := s[kw].([]any); ok {
			for _, n := range r {
				if name, ok := n.(string); ok {
					w.mark(child(name), strings.TrimPrefix(kw, "x-lcwh-"))
				}
			}
		}
	}
	if props, ok := s["properties"].(map[string]any); ok {
		for name, sub := range props {
			m, _ := sub.(map[string]any)
			w.schema(m, file, child(name), seen)
		}
	}
	if items, ok := s["items"].(map[string]any); ok {
		w.schema(items, file, at+"[]", seen)
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		if list, ok := s[k].([]any); ok {
			for _, sub := range list {
				m, _ := sub.(map[string]any)
				w.schema(m, file, at, seen)
			}
		}
	}
	for _, k := range []string{"then", "else"} {
		if m, ok := s[k].(map[string]any); ok {
			w.schema(m, file, at, seen)
		}
	}
}

// describeSchema says what type, values or format s allows.
func describeSchema(s map[string]any) string {
	var parts []string
	switch t := s["type"].(type) {
	case string:
		parts = append(parts, t)
	case []any:
		var ts []string
		for _, x := range t {
			ts = append(ts, fmt.Sprint(x))
		}
		parts = append(parts, strings.Join(ts, "|"))
	}
	if e, ok := s["enum"].([]any); ok {
		var vs []string
		for _, x := range e {
			vs = append(vs, fmt.Sprint(x))
		}
		parts = append(parts, "one of "+strings.Join(vs, "|"))
	}
	if c, ok := s["const"]; ok {
		parts = append(parts, fmt.Sprintf("= %v", c))
	}
	if f, ok := s["format"].(string); ok {
		parts = append(parts, f)
	}
	return strings.Join(parts, ", ")
}

// VersionDiff is what changed between two API versions.
type VersionDiff struct {
	From    string         `json:"from"`
	To      string         `json:"to"`
	Added   []string       `json:"added_actions"`
	Removed []string       `json:"removed_actions"`
	Changed []ActionChange `json:"changed_actions"`
}

// ActionChange lists the field changes of an action present in both versions.
type ActionChange struct {
	Action  string        `json:"action"`
	Added   []FieldChange `json:"added_fields,omitempty"`
	Removed []FieldChange `json:"removed_fields,omitempty"`
	Changed []FieldChange `json:"changed_fields,omitempty"`
}

// FieldChange is one field's description before and after.
type FieldChange struct {
	Field string `json:"field"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
}

// Diff compares the catalogues and schemas of two API versions.
func Diff(from, to string) (*VersionDiff, error) {
	a, err := CatalogFor(from)
	if err != nil {
		return nil, err
	}
	b, err := CatalogFor(to)
	if err != nil {
		return nil, err
	}
	wa, wb := newFieldWalker(from), newFieldWalker(to)
	d := &VersionDiff{From: from, To: to, Added: []string{}, Removed: []string{}, Changed: []ActionChange{}}
	for _, n := range b.Names() {
		if _, ok := a.Lookup(n); !ok {
			d.Added = append(d.Added, n)
		}
	}
	for _, n := range a.Names() {
		if _, ok := b.Lookup(n); !ok {
			d.Removed = append(d.Removed, n)
			continue
		}
		fa, err := wa.fields(n)
		if err != nil {
			return nil, err
		}
		fb, err := wb.fields(n)
		if err != nil {
			return nil, err
		}
		c := ActionChange{Action: n}
		for _, f := range slices.Sorted(maps.Keys(fb)) {
			if old, ok := fa[f]; !ok {
				if has(fb, parentField(f)) && !has(fa, parentField(f)) {
					continue // implied by its new parent
				}
				c.Added = append(c.Added, FieldChange{Field: f, To: fb[f]})
			} else if old != fb[f] {
				c.Changed = append(c.Changed, FieldChange{Field: f, From: old, To: fb[f]})
			}
		}
		for _, f := range slices.Sorted(maps.Keys(fa)) {
			if _, ok := fb[f]; !ok {
				if has(fa, parentField(f)) && !has(fb, parentField(f)) {
					continue // implied by its removed parent
				}
				c.Removed = append(c.Removed, FieldChange{Field: f, From: fa[f]})
			}
		}
		if len(c.Added)+len(c.Removed)+len(c.Changed) > 0 {
			d.Changed = append(d.Changed, c)
		}
	}
	return d, nil
}

func has(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

// parentField returns the enclosing field: "a.b[].c" → "a.b[]", "a.b[]" → "a.b".
func parentField(f string) string {
	if strings.HasSuffix(f, "[]") {
		return strings.TrimSuffix(f, "[]")
	}
	if i := strings.LastIndex(f, "."); i >= 0 {
		return f[:i]
	}
	return ""
}
