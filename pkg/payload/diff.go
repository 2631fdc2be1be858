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
// ("string, required", "integer", "one of a|b"). Variants selected by
// if/then (event types, user types) are merged into one path.
func Fields(version, action string) (map[string]string, error) {
	return newFieldWalker(version).fields(action)
}

func newFieldWalker(version string) *fieldWalker {
	return &fieldWalker{version: version, files: map[string]map[string]any{}}
}

// fields flattens one action; the walker keeps the files it parsed
// (defs.json above all) for the next action.
func (w *fieldWalker) fields(action string) (map[string]string, error) {
	w.out = map[string]string{}
	root, err := w.file(action + ".json")
	if err != nil {
		return nil, err
	}
	w.schema(root, action+".json", "", false, nil)
	delete(w.out, "")
	return w.out, nil
}

type fieldWalker struct {
	version string
	out     map[string]string
	files   map[string]map[string]any
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

func (w *fieldWalker) schema(s map[string]any, file, at string, required bool, seen []string) {
	if s == nil || len(seen) > 40 {
		return
	}
	if ref, ok := s["$ref"].(string); ok {
		key := file + ref
		if !slices.Contains(seen, key) {
			target, f := w.resolve(ref, file)
			w.schema(target, f, at, required, append(seen, key))
		}
	}
	if d := describeSchema(s, required); d != "" {
		if prev, ok := w.out[at]; !ok || len(d) > len(prev) {
			w.out[at] = d
		}
	} else if _, ok := w.out[at]; !ok {
		w.out[at] = describeSchema(map[string]any{}, required)
	}
	req := map[string]bool{}
	if r, ok := s["required"].([]any); ok {
		for _, n := range r {
			if name, ok := n.(string); ok {
				req[name] = true
			}
		}
	}
	if props, ok := s["properties"].(map[string]any); ok {
		for name, sub := range props {
			child := name
			if at != "" {
				child = at + "." + name
			}
			m, _ := sub.(map[string]any)
			w.schema(m, file, child, req[name], seen)
		}
	}
	if items, ok := s["items"].(map[string]any); ok {
		w.schema(items, file, at+"[]", false, seen)
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		if list, ok := s[k].([]any); ok {
			for _, sub := range list {
				m, _ := sub.(map[string]any)
				w.schema(m, file, at, required, seen)
			}
		}
	}
	for _, k := range []string{"then", "else"} {
		if m, ok := s[k].(map[string]any); ok {
			w.schema(m, file, at, required, seen)
		}
	}
}

func describeSchema(s map[string]any, required bool) string {
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
	if len(parts) == 0 && !required {
		return ""
	}
	if required {
		parts = append(parts, "required")
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
