package shape

import (
	"fmt"
	"math/big"
	"slices"
)

// Meet returns the shape of the values that match both a and b (JSON
// Schema's allOf of the two). Where both describe, b's annotations win (b
// is the more specific: the keywords beside a $ref, an allOf's entry).
// Meeting a Ref resolves it: the result refines that definition (Name set,
// Field.Inherited marking its fields b left alone). It fails when the
// result cannot be one shape (two different definitions, two patterns,
// two anyOf lists).
func (s *Schema) Meet(a, b *Shape) (*Shape, error) {
	l := &loader{version: s.Version, defs: s.Defs, sch: s}
	m, err := l.meet(a, b)
	if err != nil {
		return nil, err
	}
	if err := l.finishShape(m, map[*Shape]bool{}); err != nil {
		return nil, err
	}
	return m, nil
}

func (l *loader) meet(a, b *Shape) (*Shape, error) {
	switch {
	case b.annotationOnly():
		return annotated(a, b, a), nil
	case a.annotationOnly():
		return annotated(b, b, a), nil
	}
	var err error
	if a.Kind == Ref {
		if a, err = l.refinement(a); err != nil {
			return nil, err
		}
	}
	if b.Kind == Ref {
		if b, err = l.refinement(b); err != nil {
			return nil, err
		}
	}
	if a.Name != "" && b.Name != "" && a.Name != b.Name {
		return nil, fmt.Errorf("merging definitions %s and %s is not modelled", a.Name, b.Name)
	}
	if a.Kind == Union || b.Kind == Union {
		return l.meetUnion(a, b)
	}
	r := annotated(blank(), b, a)
	r.Name = a.Name + b.Name
	if a.Name == b.Name {
		r.Name = a.Name
	}
	switch {
	case a.Kind == b.Kind || b.Kind == Any:
		r.Kind = a.Kind
	case a.Kind == Any:
		r.Kind = b.Kind
	case (a.Kind == Integer && b.Kind == Number) || (a.Kind == Number && b.Kind == Integer):
		r.Kind = Integer
	default:
		return nil, fmt.Errorf("a value cannot be both %s and %s", a.Kind, b.Kind)
	}
	switch {
	case a.Enum == nil:
		r.Enum = b.Enum
	case b.Enum == nil:
		r.Enum = a.Enum
	default:
		if r.Enum = intersect(a.Enum, b.Enum, true); len(r.Enum) == 0 {
			return nil, fmt.Errorf("no value is in both enums")
		}
	}
	if r.Kind != Any {
		if err := r.keepEnum(func(e string) error { return fmt.Errorf("%s", e) }); err != nil {
			return nil, err
		}
	}
	if r.Fields, err = l.meetFields(a.Fields, b.Fields); err != nil {
		return nil, err
	}
	if r.Extra, err = l.meetOptional(a.Extra, b.Extra); err != nil {
		return nil, err
	}
	if r.Items, err = l.meetOptional(a.Items, b.Items); err != nil {
		return nil, err
	}
	r.Closed = a.Closed || b.Closed
	r.conds = append(slices.Clip(a.conds), b.conds...)
	r.MaxItems = minLimit(a.MaxItems, b.MaxItems)
	r.MaxLength = minLimit(a.MaxLength, b.MaxLength)
	if r.Format, err = same("format", a.Format, b.Format); err != nil {
		return nil, err
	}
	if r.Pattern, err = same("pattern", a.Pattern, b.Pattern); err != nil {
		return nil, err
	}
	r.Minimum = bound(a.Minimum, b.Minimum, 1)
	r.Maximum = bound(a.Maximum, b.Maximum, -1)
	switch {
	case len(a.AnyOf) > 0 && len(b.AnyOf) > 0:
		return nil, fmt.Errorf("merging two anyOf lists is not modelled")
	case len(a.AnyOf) > 0:
		r.AnyOf = a.AnyOf
	default:
		r.AnyOf = b.AnyOf
	}
	return r, nil
}

// meetUnion meets a union with a shape of one kind: the alternatives of
// that kind.
func (l *loader) meetUnion(a, b *Shape) (*Shape, error) {
	u, other := a, b
	if b.Kind == Union {
		u, other = b, a
	}
	if other.Kind == Union || other.Kind == Any {
		return nil, fmt.Errorf("merging a type list with anything but one type is not modelled")
	}
	var fit []*Shape
	for _, alt := range u.AnyOf {
		if alt.Kind == other.Kind || alt.Kind == Any || (alt.Kind == Number && other.Kind == Integer) || (alt.Kind == Integer && other.Kind == Number) {
			fit = append(fit, alt)
		}
	}
	if len(fit) != 1 {
		return nil, fmt.Errorf("merging a type list with type %s is not modelled", other.Kind)
	}
	var m *Shape
	var err error
	if u == a {
		m, err = l.meet(fit[0], b)
	} else {
		m, err = l.meet(a, fit[0])
	}
	if err != nil {
		return nil, err
	}
	return annotated(m, m, u), nil
}

// refinement returns the shape a Ref names as the start of a refinement:
// its definition's, named after it, every field inherited, described by
// the Ref where the Ref describes.
func (l *loader) refinement(ref *Shape) (*Shape, error) {
	d, err := l.def(ref.Name)
	if err != nil {
		return nil, err
	}
	if d.Kind == Ref { // an alias of another definition
		if d, err = l.refinement(d); err != nil {
			return nil, err
		}
	}
	r := annotated(d, ref, d)
	if r == d {
		c := *d
		r = &c
	}
	r.Name = ref.Name
	r.Fields = make([]*Field, len(d.Fields))
	for i, f := range d.Fields {
		c := *f
		c.Inherited = true
		r.Fields[i] = &c
	}
	return r, nil
}

// meetFields merges two field lists: a's order, then b's new fields.
func (l *loader) meetFields(a, b []*Field) ([]*Field, error) {
	var out []*Field
	for _, fa := range a {
		i := slices.IndexFunc(b, func(f *Field) bool { return f.Name == fa.Name })
		if i < 0 {
			out = append(out, fa)
			continue
		}
		fb := b[i]
		sh, err := l.meet(fa.Shape, fb.Shape)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", fa.Name, err)
		}
		out = append(out, &Field{Name: fa.Name, Shape: sh, Required: fa.Required || fb.Required,
			Expected: fa.Expected || fb.Expected, Inherited: fa.Inherited && fb.Inherited && sh == fa.Shape})
	}
	for _, fb := range b {
		if !slices.ContainsFunc(a, func(f *Field) bool { return f.Name == fb.Name }) {
			out = append(out, fb)
		}
	}
	return out, nil
}

func (l *loader) meetOptional(a, b *Shape) (*Shape, error) {
	switch {
	case a == nil:
		return b, nil
	case b == nil:
		return a, nil
	}
	return l.meet(a, b)
}

// annotated returns s described by the first of from that describes each
// annotation, or s itself when that changes nothing.
func annotated(s *Shape, from ...*Shape) *Shape {
	c := *s
	c.Title, c.Description, c.Deprecated, c.Examples, c.Default = "", "", false, nil, nil
	for _, f := range from {
		if c.Title == "" {
			c.Title = f.Title
		}
		if c.Description == "" {
			c.Description = f.Description
		}
		c.Deprecated = c.Deprecated || f.Deprecated
		if c.Examples == nil {
			c.Examples = f.Examples
		}
		if c.Default == nil {
			c.Default = f.Default
		}
	}
	if c.Title == s.Title && c.Description == s.Description && c.Deprecated == s.Deprecated &&
		slices.Equal(rawStrings(c.Examples), rawStrings(s.Examples)) && string(c.Default) == string(s.Default) {
		return s
	}
	return &c
}

func rawStrings[T ~[]byte](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// intersect returns the values of a that are in b; when !both it returns b.
func intersect(a, b []any, both bool) []any {
	if !both {
		return b
	}
	out := []any{}
	for _, v := range a {
		if slices.ContainsFunc(b, func(w any) bool { return sameValue(v, w) }) {
			out = append(out, v)
		}
	}
	return out
}

// sameValue compares two decoded JSON scalars as JSON Schema does
// (numbers by value).
func sameValue(a, b any) bool {
	if x, ok := a.(interface{ String() string }); ok {
		y, ok := b.(interface{ String() string })
		if !ok {
			return false
		}
		rx, okx := new(big.Rat).SetString(x.String())
		ry, oky := new(big.Rat).SetString(y.String())
		return okx && oky && rx.Cmp(ry) == 0
	}
	return a == b
}

func minLimit(a, b int) int {
	switch {
	case a < 0:
		return b
	case b < 0:
		return a
	}
	return min(a, b)
}

func same(kw, a, b string) (string, error) {
	switch {
	case a == "":
		return b, nil
	case b == "" || a == b:
		return a, nil
	}
	return "", fmt.Errorf("two different %s values are not modelled", kw)
}

// bound keeps the tighter of two bounds: the larger when sign is 1 (a
// minimum), the smaller when -1.
func bound[T ~string](a, b T, sign int) T {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	ra, _ := new(big.Rat).SetString(string(a))
	rb, _ := new(big.Rat).SetString(string(b))
	if ra.Cmp(rb)*sign >= 0 {
		return a
	}
	return b
}
