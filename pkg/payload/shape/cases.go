package shape

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// conditional is one if/then/else as the schema writes it.
type conditional struct {
	when      []*condition // all hold
	then, els *Shape       // nil: nothing more
}

// condition is one field's part of an if: the field is present (when
// present), and, when present, holds one of values (nil: any).
type condition struct {
	field   string
	present bool
	values  []any
}

// maxPoints bounds the combinations of deciding values Cases enumerates.
const maxPoints = 4096

// finish turns every if/then/else into Cases and checks that every Ref
// names a definition and no definition is an alias of itself.
func (l *loader) finish(sch *Schema) error {
	seen := map[*Shape]bool{}
	for _, name := range sch.DefNames {
		if err := l.aliasCycle(name); err != nil {
			return err
		}
		if err := l.finishShape(sch.Defs[name], seen); err != nil {
			return fmt.Errorf("schema %s/%s#/$defs/%s: %w", l.version, defsFile, escape(name), err)
		}
	}
	for _, a := range sch.Actions {
		if err := l.finishShape(a.Body, seen); err != nil {
			return fmt.Errorf("schema %s/%s.json: %w", l.version, a.Name, err)
		}
	}
	return nil
}

func (l *loader) aliasCycle(name string) error {
	seen := map[string]bool{}
	for s := l.defs[name]; s != nil && s.Kind == Ref; s = l.defs[s.Name] {
		if seen[s.Name] {
			return fmt.Errorf("schema %s/%s#/$defs/%s: its $ref leads back to itself", l.version, defsFile, escape(name))
		}
		seen[s.Name] = true
	}
	return nil
}

func (l *loader) finishShape(s *Shape, seen map[*Shape]bool) error {
	if s == nil || seen[s] {
		return nil
	}
	seen[s] = true
	if s.Kind == Ref {
		if _, ok := l.defs[s.Name]; !ok {
			return fmt.Errorf("no definition %q", s.Name)
		}
	}
	kids := []*Shape{s.Extra, s.Items}
	for _, f := range s.Fields {
		kids = append(kids, f.Shape)
	}
	kids = append(kids, s.AnyOf...)
	for _, c := range s.conds {
		kids = append(kids, c.then, c.els)
	}
	for _, k := range kids {
		if err := l.finishShape(k, seen); err != nil {
			return err
		}
	}
	if len(s.conds) > 0 {
		cases, err := l.cases(s)
		if err != nil {
			return err
		}
		s.Cases = cases
	}
	return nil
}

// atom is one possibility for a deciding field: a value, "absent", or
// "another value" (than every value the domain lists).
type atom struct {
	value  any
	absent bool
	other  bool
}

type domain struct {
	field  string
	atoms  []atom
	values []any // the value atoms, for Match.Except
}

// cases splits an object's values by its if/then/else: it enumerates
// every combination of what the deciding fields can hold, notes which
// branches apply to each, and merges combinations that differ in one
// field and apply the same branches, until no merge is left.
func (l *loader) cases(s *Shape) ([]*Case, error) {
	var doms []*domain
	index := map[string]int{}
	for _, c := range s.conds {
		for _, cond := range c.when {
			if _, ok := index[cond.field]; !ok {
				index[cond.field] = len(doms)
				doms = append(doms, &domain{field: cond.field})
			}
		}
	}
	points := 1
	for _, d := range doms {
		l.fillDomain(s, d)
		if points *= len(d.atoms); points > maxPoints {
			return nil, fmt.Errorf("if/then/else over %d combinations of values is not modelled", points)
		}
	}
	type cube struct {
		sets  [][]bool // per domain, which atoms
		apply []*Shape
		order int // first branch that applies; len(conds) when none
	}
	groups := map[string][]*cube{}
	var keys []string
	point := make([]int, len(doms))
	for p := 0; p < points; p++ {
		rest := p
		for i := len(doms) - 1; i >= 0; i-- {
			point[i] = rest % len(doms[i].atoms)
			rest /= len(doms[i].atoms)
		}
		c := &cube{order: len(s.conds)}
		var key strings.Builder
		for ci, cond := range s.conds {
			holds := true
			for _, w := range cond.when {
				d := index[w.field]
				if !w.holds(doms[d].atoms[point[d]]) {
					holds = false
				}
			}
			branch := cond.els
			if holds {
				branch = cond.then
				c.order = min(c.order, ci)
			}
			if branch != nil {
				c.apply = append(c.apply, branch)
				fmt.Fprintf(&key, "%d%t,", ci, holds)
			}
		}
		c.sets = make([][]bool, len(doms))
		for i, d := range doms {
			c.sets[i] = make([]bool, len(d.atoms))
			c.sets[i][point[i]] = true
		}
		k := key.String()
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], c)
	}
	var out []*cube
	for _, k := range keys {
		g := groups[k]
		for merged := true; merged; {
			merged = false
		search:
			for i := range g {
				for j := i + 1; j < len(g); j++ {
					if d, ok := differInOne(g[i].sets, g[j].sets); ok {
						for a := range g[i].sets[d] {
							g[i].sets[d][a] = g[i].sets[d][a] || g[j].sets[d][a]
						}
						g = slices.Delete(g, j, j+1)
						merged = true
						break search
					}
				}
			}
		}
		out = append(out, g...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].order < out[j].order })
	cases := make([]*Case, len(out))
	for i, c := range out {
		cs := &Case{Apply: c.apply}
		for di, d := range doms {
			if !slices.Contains(c.sets[di], false) {
				continue // any of its possibilities
			}
			m := Match{Field: d.field}
			for ai, a := range d.atoms {
				switch {
				case !c.sets[di][ai]:
				case a.absent:
					m.Absent = true
				case a.other:
					m.Except = append([]any{}, d.values...)
				default:
					m.Values = append(m.Values, a.value)
				}
			}
			cs.When = append(cs.When, m)
		}
		cases[i] = cs
	}
	return cases, nil
}

// fillDomain lists what a deciding field can hold: the values its shape
// allows when they are few (an enum, a boolean), otherwise the values the
// conditions name and "another value"; and "absent" unless required.
func (l *loader) fillDomain(s *Shape, d *domain) {
	f := s.Field(d.field)
	var sh *Shape
	if f != nil {
		sh = l.resolve(f.Shape)
	}
	switch {
	case sh != nil && sh.Enum != nil:
		d.values = sh.Enum
	case sh != nil && sh.Kind == Boolean:
		d.values = []any{true, false}
	default:
		for _, c := range s.conds {
			for _, w := range c.when {
				for _, v := range w.values {
					if w.field == d.field && !slices.ContainsFunc(d.values, func(x any) bool { return sameValue(x, v) }) {
						d.values = append(d.values, v)
					}
				}
			}
		}
		d.atoms = append(d.atoms, atom{other: true})
	}
	var vals []atom
	for _, v := range d.values {
		vals = append(vals, atom{value: v})
	}
	d.atoms = append(vals, d.atoms...)
	if f == nil || !f.Required {
		d.atoms = append(d.atoms, atom{absent: true})
	}
}

func (l *loader) resolve(s *Shape) *Shape {
	for s != nil && s.Kind == Ref {
		s = l.defs[s.Name]
	}
	return s
}

// holds reports whether the condition holds for one possibility.
func (w *condition) holds(a atom) bool {
	switch {
	case a.absent:
		return !w.present
	case w.values == nil:
		return true
	case a.other:
		return false // the domain lists every value a condition names
	}
	return slices.ContainsFunc(w.values, func(v any) bool { return sameValue(v, a.value) })
}

// differInOne reports the one domain where two cubes differ, if only one.
func differInOne(a, b [][]bool) (int, bool) {
	at := -1
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			if at >= 0 {
				return 0, false
			}
			at = i
		}
	}
	return at, at >= 0
}

// Own returns what a refinement adds to the definition it refines (its
// fields not Inherited and the constraints the definition lacks), so that
// the definition and Own together are the refinement. Any other shape is
// returned as is.
func (s *Schema) Own(sh *Shape) *Shape {
	if sh.Name == "" || sh.Kind == Ref {
		return sh
	}
	def := s.Resolve(s.Defs[sh.Name])
	own := *sh
	own.Name = ""
	own.Fields = nil
	for _, f := range sh.Fields {
		if !f.Inherited {
			own.Fields = append(own.Fields, f)
		}
	}
	if sameEnum(own.Enum, def.Enum) {
		own.Enum = nil
	}
	if own.Extra == def.Extra {
		own.Extra = nil
	}
	if own.Items == def.Items {
		own.Items = nil
	}
	own.Closed = own.Closed && !def.Closed
	if len(own.conds) == len(def.conds) {
		own.conds, own.Cases = nil, nil
	}
	if len(own.AnyOf) == len(def.AnyOf) {
		own.AnyOf = nil
	}
	if own.MaxItems == def.MaxItems {
		own.MaxItems = -1
	}
	if own.MaxLength == def.MaxLength {
		own.MaxLength = -1
	}
	if own.Format == def.Format {
		own.Format = ""
	}
	if own.Pattern == def.Pattern {
		own.Pattern = ""
	}
	if own.Minimum == def.Minimum {
		own.Minimum = ""
	}
	if own.Maximum == def.Maximum {
		own.Maximum = ""
	}
	return &own
}

func sameEnum(a, b []any) bool {
	return len(a) == len(b) && (a == nil) == (b == nil) && !slices.ContainsFunc(a, func(v any) bool {
		return !slices.ContainsFunc(b, func(w any) bool { return sameValue(v, w) })
	})
}

// CaseValues lists, per field name, the values that pick a case anywhere
// in the schemas (every event type, for "type"), in order of appearance:
// what to set a field to for another form of its object.
func (s *Schema) CaseValues() map[string][]any {
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
	for _, name := range s.DefNames {
		walk(s.Defs[name])
	}
	for _, a := range s.Actions {
		walk(a.Body)
	}
	return out
}
