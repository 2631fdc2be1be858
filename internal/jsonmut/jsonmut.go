// Package jsonmut makes one-defect variants of a decoded JSON document
// (map[string]any, []any, strings, json.Number, bools, nil), for tests that
// hold two readings of the schemas to the same verdicts.
package jsonmut

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Mutant is a copy of a document with one change.
type Mutant struct {
	What  string // "/payload/chat/id removed"
	Kind  Kind
	Value any
}

// Kind is the kind of change a Mutant has.
type Kind uint8

// The kinds of change.
const (
	Removed       Kind = iota + 1 // a value removed
	WrongType                     // a value replaced by one of another JSON type
	UnknownString                 // a string replaced by "zz-not-a-value"
	Swap                          // a value replaced by another of the same field's
)

// Thin keeps, in each array, the first element of each type (an object's
// "type" field, or the Go type of anything else): the mutants of the
// others would repeat the same checks on a longer document.
func Thin(v any) any {
	switch x := v.(type) {
	case map[string]any:
		c := make(map[string]any, len(x))
		for k, e := range x {
			c[k] = Thin(e)
		}
		return c
	case []any:
		out := []any{}
		seen := map[string]bool{}
		for _, e := range x {
			if k := elemKind(e); !seen[k] {
				seen[k] = true
				out = append(out, Thin(e))
			}
		}
		return out
	}
	return v
}

func elemKind(e any) string {
	if o, ok := e.(map[string]any); ok {
		return fmt.Sprint(o["type"])
	}
	return fmt.Sprintf("%T", e)
}

// Mutants returns the one-defect variants of doc: each value removed, and
// replaced by one of another JSON type (a number for a string, a string
// otherwise); a string is also replaced by a string no enum has, and a
// value of a field named in swaps by each other value listed there (to
// turn an event into another type of event). Array elements of the same
// type are mutated in the first of them only. A mutant is as short as the
// change allows: an array on the way to the change keeps only the element
// changed, any other array only its shortest element (the same check on a
// much shorter document). The mutants come in a fixed order.
func Mutants(doc any, swaps map[string][]any) []Mutant {
	var out []Mutant
	seen := map[string]bool{}
	short := mirrorOf(doc)
	add := func(key string, kind Kind, what string, path []string, value any, del bool) {
		if !seen[key] {
			seen[key] = true
			out = append(out, Mutant{what, kind, replace(doc, short, path, value, del)})
		}
	}
	var visit func(v any, path []string, kind string)
	visit = func(v any, path []string, kind string) {
		at := "/" + strings.Join(path, "/")
		if len(path) > 0 {
			var wrong any = "zz-not-a-value"
			if _, ok := v.(string); ok {
				wrong = json.Number("7")
				add(kind+" unknown string", UnknownString, at+` set to "zz-not-a-value"`, path, "zz-not-a-value", false)
			}
			add(kind+" wrong type", WrongType, fmt.Sprintf("%s set to %v", at, wrong), path, wrong, false)
			for _, e := range swaps[path[len(path)-1]] {
				if fmt.Sprint(e) != fmt.Sprint(v) {
					add(fmt.Sprintf("%s swap %v", kind, e), Swap, fmt.Sprintf("%s set to %v", at, e), path, e, false)
				}
			}
			add(kind+" removed", Removed, at+" removed", path, nil, true)
		}
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				visit(x[k], append(slices.Clip(path), k), kind+"/"+k)
			}
		case []any:
			for i, c := range x {
				visit(c, append(slices.Clip(path), strconv.Itoa(i)), kind+"/[]"+elemKind(c))
			}
		}
	}
	visit(doc, nil, "")
	return out
}

// mirror holds, for each value of a document, its short form: every array
// in it cut to its shortest element (in JSON; the first of equals).
type mirror struct {
	short any
	kids  map[string]*mirror // by key, or index
}

func mirrorOf(v any) *mirror {
	m := &mirror{short: v}
	switch x := v.(type) {
	case map[string]any:
		m.kids = make(map[string]*mirror, len(x))
		c := make(map[string]any, len(x))
		for k, e := range x {
			m.kids[k] = mirrorOf(e)
			c[k] = m.kids[k].short
		}
		m.short = c
	case []any:
		m.kids = make(map[string]*mirror, len(x))
		size := -1
		for i, e := range x {
			km := mirrorOf(e)
			m.kids[strconv.Itoa(i)] = km
			if b, _ := json.Marshal(km.short); size < 0 || len(b) < size {
				m.short, size = []any{km.short}, len(b)
			}
		}
	}
	return m
}

// replace returns a copy of doc with the value at path replaced (or, with
// del, removed), in which an array on the path keeps only the element on
// it and any other array only its shortest element (m is doc's mirror).
// doc is not changed; the copy shares what it does not change.
func replace(doc any, m *mirror, path []string, value any, del bool) any {
	if len(path) == 0 {
		return value
	}
	switch x := doc.(type) {
	case map[string]any:
		c := make(map[string]any, len(x))
		for k := range x {
			c[k] = m.kids[k].short
		}
		if len(path) == 1 && del {
			delete(c, path[0])
		} else {
			c[path[0]] = replace(x[path[0]], m.kids[path[0]], path[1:], value, del)
		}
		return c
	case []any:
		if len(path) == 1 && del {
			return []any{}
		}
		i, _ := strconv.Atoi(path[0])
		return []any{replace(x[i], m.kids[path[0]], path[1:], value, del)}
	}
	return doc
}
