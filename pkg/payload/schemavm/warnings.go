package schemavm

import (
	"slices"
	"sync"
)

// Check reports whether v is valid (as Valid does) and what the schema's
// annotations flag in it, valid or not: properties listed in
// x-lcwh-expected that are absent (KindExpected), values whose schema is
// deprecated (KindDeprecated), and properties that no applicable schema
// declares (KindUnknown). It walks v once: each value is checked against
// all the schemas that apply to it together.
//
// A property is declared when a schema that applies to its object lists it
// in properties or has additionalProperties, as unevaluatedProperties
// sees it: the schema itself, what it $refs, its allOf, the anyOf branches
// v is valid against, and if with then (v valid against if) or else.
// Objects that no applicable schema describes property by property (free
// objects such as a custom event's content) have no unknown properties.
func (s *Schema) Check(v any) (valid bool, warnings []Failure) {
	w := warners.Get().(*warner)
	w.set = append(w.set[:0], s.root)
	w.invalid = false
	w.visit(0, v)
	valid, warnings = !w.invalid, w.out
	w.out = nil
	warners.Put(w)
	return valid, warnings
}

// warners keeps the stacks of a warner between calls: a document needs a
// few dozen entries, and growing them anew was most of its allocations.
var warners = sync.Pool{New: func() any {
	return &warner{path: make([]pathElem, 0, 16), set: make([]*node, 0, 64)}
}}

type warner struct {
	path    []pathElem
	set     []*node // a stack of node sets: the schemas that apply to a value
	out     []Failure
	invalid bool // a keyword failed somewhere
}

func (w *warner) warn(f Failure) {
	f.Location = (&state{path: w.path}).location()
	w.out = append(w.out, f)
}

// visit checks v against the schemas w.set[from:] (which it owns), then
// its members and items against theirs.
func (w *warner) visit(from int, v any) {
	roots := len(w.set)
	for i := from; i < roots; i++ {
		w.expand(roots, w.set[i], v)
	}
	// w.set[roots:] now holds the schemas applied in place, the roots
	// among them unless trivial; later pushes go above it.
	set := w.set[roots:]
	deprecated := false
	for _, n := range set {
		if !n.validHere(v) {
			w.invalid = true
		}
		if n.deprecated && !deprecated {
			w.warn(Failure{Kind: KindDeprecated, Got: v, Want: n.description})
			deprecated = true
		}
	}
	switch x := v.(type) {
	case map[string]any:
		w.object(x, set)
	case []any:
		for i, e := range x {
			start := len(w.set)
			for _, n := range set {
				if n.items != nil {
					w.set = append(w.set, n.items)
				}
			}
			if len(w.set) > start {
				w.path = append(w.path, pathElem{idx: i})
				w.visit(start, e)
				w.path = w.path[:len(w.path)-1]
			}
			w.set = w.set[:start]
		}
	}
	w.set = w.set[:from]
}

// expand adds n and the schemas it applies in place to v to the set that
// starts at base, once each.
func (w *warner) expand(base int, n *node, v any) {
	if n != nil && n.boolean != nil {
		w.invalid = w.invalid || !*n.boolean
		return
	}
	if n == nil || !n.annotates {
		return
	}
	for _, m := range w.set[base:] {
		if m == n {
			return
		}
	}
	w.set = append(w.set, n)
	w.expand(base, n.ref, v)
	for _, s := range n.allOf {
		w.expand(base, s, v)
	}
	matched := n.anyOf == nil
	for _, s := range n.anyOf {
		if s.valid(v) {
			w.expand(base, s, v)
			matched = true
		}
	}
	w.invalid = w.invalid || !matched
	if n.ifN != nil {
		if n.ifN.valid(v) {
			w.expand(base, n.ifN, v)
			w.expand(base, n.thenN, v)
		} else {
			w.expand(base, n.elseN, v)
		}
	}
}

func (w *warner) object(x map[string]any, set []*node) {
	declares, open := false, false
	for _, n := range set {
		for _, e := range n.expected {
			if _, ok := x[e]; !ok {
				w.warn(Failure{Kind: KindExpected, Missing: []string{e}})
			}
		}
		declares = declares || len(n.props) > 0
		open = open || n.addl != nil
	}
	for k, pv := range x {
		start := len(w.set)
		for _, n := range set {
			if p := n.prop(k); p != nil {
				w.set = append(w.set, p)
			} else if n.addl != nil {
				w.set = append(w.set, n.addl)
			}
		}
		w.path = append(w.path, pathElem{key: k, idx: -1})
		if len(w.set) > start {
			w.visit(start, pv)
		} else if declares && !open {
			w.warn(Failure{Kind: KindUnknown, Got: k, Want: absentNames(x, set)})
		}
		w.path = w.path[:len(w.path)-1]
		w.set = w.set[:start]
	}
}

func (n *node) prop(k string) *node {
	if n.propIndex != nil {
		return n.propIndex[k]
	}
	for _, p := range n.props {
		if p.name == k {
			return p.n
		}
	}
	return nil
}

// absentNames returns the names the schemas of set declare that x lacks,
// sorted: the names an unknown property of x may be a typo of.
func absentNames(x map[string]any, set []*node) []string {
	var out []string
	for _, n := range set {
		for _, p := range n.props {
			if _, present := x[p.name]; !present && !slices.Contains(out, p.name) {
				out = append(out, p.name)
			}
		}
	}
	slices.Sort(out)
	return out
}
