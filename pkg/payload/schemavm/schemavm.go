// Package schemavm compiles the JSON Schemas (draft 2020-12) lcwh ships into
// a tree of Go validators, as ajv compiles schemas into JavaScript. It knows
// only the keywords lcwh's schemas use; any other keyword makes Compile fail,
// so a schema change can never be silently ignored.
//
// Its failures are the leaves santhosh-tekuri/jsonschema reports for the same
// schema and value (same instance locations, same kinds of failure, in the
// same order for one location); the differential tests in package payload
// hold it to that. It reports them as its own Failure values, so the
// reference engine is needed only by those tests.
package schemavm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind is what a failure is about: the keyword that failed.
type Kind uint8

// The kinds of failure. Got and Want of a Failure hold, by kind:
const (
	KindFalseSchema  Kind = iota + 1 // the schema is false: no value allowed here
	KindInvalidValue                 // Got: a Go value that is not JSON
	KindType                         // Got: the value's type name; Want: []string of type names
	KindConst                        // Got: the value; Want: the constant
	KindEnum                         // Got: the value; Want: []any of the allowed values
	KindFormat                       // Got: the value; Want: the format name
	KindRequired                     // Missing: the absent properties
	KindMaxItems                     // Got: the item count; Want: the limit (int)
	KindMaxLength                    // Got: the length in characters; Want: the limit (int)
	KindPattern                      // Got: the string; Want: the pattern
	KindMinimum                      // Got, Want: *big.Rat
	KindMaximum                      // Got, Want: *big.Rat

	// Warnings: what the annotations of a schema flag in a valid value.
	KindExpected   // Missing: properties x-lcwh-expected lists that are absent
	KindDeprecated // the value takes a form its schema marks deprecated; Want: that schema's description
	KindUnknown    // Got: a property no applicable schema declares; Want: []string, the declared names its object lacks
)

var keywords = [...]string{
	KindFalseSchema:  "false",
	KindInvalidValue: "type",
	KindType:         "type",
	KindConst:        "const",
	KindEnum:         "enum",
	KindFormat:       "format",
	KindRequired:     "required",
	KindMaxItems:     "maxItems",
	KindMaxLength:    "maxLength",
	KindPattern:      "pattern",
	KindMinimum:      "minimum",
	KindMaximum:      "maximum",
	KindExpected:     "x-lcwh-expected",
	KindDeprecated:   "deprecated",
	KindUnknown:      "unevaluatedProperties",
}

// Keyword is the schema keyword that reports failures of kind k.
func (k Kind) Keyword() string {
	if int(k) < len(keywords) {
		return keywords[k]
	}
	return ""
}

// Failure is one failure: where in the instance, what, and the values compared.
type Failure struct {
	Location []string // instance location, as path tokens
	Kind     Kind
	Got      any
	Want     any
	Missing  []string
}

// Loader returns the raw bytes of the schema resource at an absolute URL (no fragment).
type Loader func(url string) ([]byte, error)

// Compiler turns schema locations into validators. Not safe for concurrent use.
type Compiler struct {
	load  Loader
	docs  map[string]any
	nodes map[string]*node
	added []string // keys of the nodes the running Compile added
}

// NewCompiler returns a compiler reading schema resources with load.
func NewCompiler(load Loader) *Compiler {
	return &Compiler{load: load, docs: map[string]any{}, nodes: map[string]*node{}}
}

// Schema is a compiled schema. It is immutable and safe for concurrent use.
type Schema struct{ root *node }

const draft2020 = "https://json-schema.org/draft/2020-12/schema"

type jsonType uint8

// The order is santhosh's: it is the order of the "want" list in type errors.
const (
	tNull jsonType = 1 << iota
	tBoolean
	tNumber
	tInteger
	tString
	tArray
	tObject
)

var typeNames = []struct {
	t    jsonType
	name string
}{{tNull, "null"}, {tBoolean, "boolean"}, {tNumber, "number"}, {tInteger, "integer"}, {tString, "string"}, {tArray, "array"}, {tObject, "object"}}

type prop struct {
	name string
	n    *node
}

type node struct {
	loc       string
	boolean   *bool // a true/false schema
	types     jsonType
	typeNames []string
	hasConst  bool
	constV    any
	enum      []any
	dateTime  bool
	ref       *node
	required  []string
	props     []prop
	addl      *node
	items     *node
	maxItems  int // -1 when absent
	maxLength int // -1 when absent
	pattern   *regexp.Regexp
	minimum   *big.Rat
	maximum   *big.Rat
	allOf     []*node
	anyOf     []*node
	ifN       *node
	thenN     *node
	elseN     *node
	trivial   bool // no keyword at all: everything is valid

	// annotations, for Warnings
	expected    []string         // x-lcwh-expected
	deprecated  bool             // deprecated: true
	description string           // says why, when deprecated
	propIndex   map[string]*node // props by name, when there are many
	annotates   bool             // has something Warnings looks at
}

// Compile compiles the schema at loc, an absolute URL with an optional
// JSON Pointer fragment ("https://x/defs.json#/$defs/Envelope").
// A failed Compile forgets every node it added, so no later Compile can
// reach one of them half-built.
func (c *Compiler) Compile(loc string) (*Schema, error) {
	c.added = c.added[:0]
	n, err := c.compileRef(loc)
	if err == nil {
		err = checkCycles(n)
	}
	if err != nil {
		for _, key := range c.added {
			delete(c.nodes, key)
		}
		return nil, err
	}
	return &Schema{root: n}, nil
}

func (c *Compiler) doc(u string) (any, error) {
	if d, ok := c.docs[u]; ok {
		return d, nil
	}
	b, err := c.load(u)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var d any
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	if m, ok := d.(map[string]any); ok {
		if id, ok := m["$id"].(string); ok && id != u {
			return nil, fmt.Errorf("%s: $id %q differs from its location", u, id)
		}
	}
	c.docs[u] = d
	return d, nil
}

func (c *Compiler) compileRef(loc string) (*node, error) {
	u, frag, _ := strings.Cut(loc, "#")
	if n, ok := c.nodes[u+"#"+frag]; ok {
		return n, nil
	}
	d, err := c.doc(u)
	if err != nil {
		return nil, err
	}
	v := d
	if frag != "" {
		if !strings.HasPrefix(frag, "/") {
			return nil, fmt.Errorf("%s: only JSON Pointer fragments are supported", loc)
		}
		for _, tok := range strings.Split(frag[1:], "/") {
			if strings.Contains(tok, "~") {
				tok = unescaper.Replace(tok)
			}
			switch x := v.(type) {
			case map[string]any:
				var ok bool
				if v, ok = x[tok]; !ok {
					return nil, fmt.Errorf("%s: no such location", loc)
				}
			case []any:
				i, err := strconv.Atoi(tok)
				if err != nil || i < 0 || i >= len(x) {
					return nil, fmt.Errorf("%s: no such location", loc)
				}
				v = x[i]
			default:
				return nil, fmt.Errorf("%s: no such location", loc)
			}
		}
	}
	return c.compile(u, frag, v)
}

func (c *Compiler) compile(base, ptr string, v any) (*node, error) {
	key := base + "#" + ptr
	if n, ok := c.nodes[key]; ok {
		return n, nil
	}
	n := &node{loc: key, maxItems: -1, maxLength: -1}
	c.nodes[key] = n // before the children, so recursive schemas terminate
	c.added = append(c.added, key)
	fail := func(format string, args ...any) (*node, error) {
		return nil, fmt.Errorf("schema %s: %s", key, fmt.Sprintf(format, args...))
	}
	if b, ok := v.(bool); ok {
		n.boolean = &b
		return n, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return fail("a schema must be an object or a boolean")
	}
	sub := func(kw string, x any) (*node, error) { return c.compile(base, ptr+"/"+kw, x) }
	list := func(kw string, x any) ([]*node, error) {
		arr, ok := x.([]any)
		if !ok || len(arr) == 0 {
			return nil, fmt.Errorf("schema %s: %s must be a non-empty array", key, kw)
		}
		out := make([]*node, len(arr))
		for i, s := range arr {
			var err error
			if out[i], err = sub(kw+"/"+strconv.Itoa(i), s); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	nonNeg := func(kw string, x any) (int, error) {
		num, ok := x.(json.Number)
		i, err := strconv.Atoi(string(num))
		if !ok || err != nil || i < 0 {
			return 0, fmt.Errorf("schema %s: %s must be a non-negative integer", key, kw)
		}
		return i, nil
	}
	names := func(kw string, x any) ([]string, error) {
		arr, ok := x.([]any)
		out := make([]string, len(arr))
		for i, e := range arr {
			out[i], ok = e.(string)
			if !ok {
				break
			}
		}
		if !ok {
			return nil, fmt.Errorf("schema %s: %s must be an array of strings", key, kw)
		}
		return out, nil
	}
	rat := func(kw string, x any) (*big.Rat, error) {
		num, ok := x.(json.Number)
		r, okr := new(big.Rat).SetString(string(num))
		if !ok || !okr {
			return nil, fmt.Errorf("schema %s: %s must be a number", key, kw)
		}
		return r, nil
	}
	var err error
	known := 0
	for kw, x := range m {
		switch kw {
		case "$schema":
			if x != draft2020 {
				return fail("$schema %v is not supported (only %s)", x, draft2020)
			}
		case "$id":
			if ptr != "" {
				return fail("$id is only supported at the root of a schema file")
			}
		case "$defs":
			if _, ok := x.(map[string]any); !ok {
				return fail("$defs must be an object")
			}
		case "title", "$comment", "examples", "default":
		case "description":
			n.description, _ = x.(string)
		case "deprecated":
			b, ok := x.(bool)
			if !ok {
				return fail("deprecated must be a boolean")
			}
			n.deprecated = b
		case "x-lcwh-expected":
			if n.expected, err = names(kw, x); err != nil {
				return nil, err
			}
		case "type":
			known++
			names := []string{}
			switch t := x.(type) {
			case string:
				names = append(names, t)
			case []any:
				for _, e := range t {
					s, ok := e.(string)
					if !ok {
						return fail("type must be a string or an array of strings")
					}
					names = append(names, s)
				}
			default:
				return fail("type must be a string or an array of strings")
			}
			for _, name := range names {
				found := false
				for _, tn := range typeNames {
					if tn.name == name {
						n.types |= tn.t
						found = true
					}
				}
				if !found {
					return fail("unknown type %q", name)
				}
			}
			for _, tn := range typeNames {
				if n.types&tn.t != 0 {
					n.typeNames = append(n.typeNames, tn.name)
				}
			}
		case "const":
			known++
			n.hasConst, n.constV = true, x
		case "enum":
			known++
			arr, ok := x.([]any)
			if !ok {
				return fail("enum must be an array")
			}
			n.enum = arr
		case "format":
			known++
			if x != "date-time" {
				return fail("format %v is not supported", x)
			}
			n.dateTime = true
		case "$ref":
			known++
			s, ok := x.(string)
			if !ok {
				return fail("$ref must be a string")
			}
			bu, _ := url.Parse(base)
			ru, err := url.Parse(s)
			if err != nil {
				return fail("$ref %q: %v", s, err)
			}
			if n.ref, err = c.compileRef(bu.ResolveReference(ru).String()); err != nil {
				return nil, err
			}
		case "required":
			known++
			if n.required, err = names(kw, x); err != nil {
				return nil, err
			}
		case "properties":
			known++
			pm, ok := x.(map[string]any)
			if !ok {
				return fail("properties must be an object")
			}
			for name, ps := range pm {
				pn, err := sub("properties/"+escape(name), ps)
				if err != nil {
					return nil, err
				}
				n.props = append(n.props, prop{name, pn})
			}
		case "additionalProperties":
			known++
			if n.addl, err = sub(kw, x); err != nil {
				return nil, err
			}
		case "items":
			known++
			if n.items, err = sub(kw, x); err != nil {
				return nil, err
			}
		case "maxItems":
			known++
			if n.maxItems, err = nonNeg(kw, x); err != nil {
				return nil, err
			}
		case "maxLength":
			known++
			if n.maxLength, err = nonNeg(kw, x); err != nil {
				return nil, err
			}
		case "pattern":
			known++
			s, ok := x.(string)
			if !ok {
				return fail("pattern must be a string")
			}
			if n.pattern, err = regexp.Compile(s); err != nil {
				return fail("pattern: %v", err)
			}
		case "minimum":
			known++
			if n.minimum, err = rat(kw, x); err != nil {
				return nil, err
			}
		case "maximum":
			known++
			if n.maximum, err = rat(kw, x); err != nil {
				return nil, err
			}
		case "allOf":
			known++
			if n.allOf, err = list(kw, x); err != nil {
				return nil, err
			}
		case "anyOf":
			known++
			if n.anyOf, err = list(kw, x); err != nil {
				return nil, err
			}
		case "if":
			known++
			if n.ifN, err = sub(kw, x); err != nil {
				return nil, err
			}
		case "then":
			known++
			if n.thenN, err = sub(kw, x); err != nil {
				return nil, err
			}
		case "else":
			known++
			if n.elseN, err = sub(kw, x); err != nil {
				return nil, err
			}
		default:
			return fail("keyword %q is not supported by lcwh's schema compiler", kw)
		}
	}
	if n.ifN == nil {
		n.thenN, n.elseN = nil, nil // ignored without if, as the spec says
	}
	n.trivial = known == 0
	if len(n.props) > 8 {
		n.propIndex = make(map[string]*node, len(n.props))
		for _, p := range n.props {
			n.propIndex[p.name] = p.n
		}
	}
	n.annotates = !n.trivial || n.deprecated || n.expected != nil
	return n, nil
}

// JSON Pointer token escaping (RFC 6901), built once: a Replacer builds
// 256-entry tables, and one per property was a third of the page faults
// of validating one file.
var (
	escaper   = strings.NewReplacer("~", "~0", "/", "~1")
	unescaper = strings.NewReplacer("~1", "/", "~0", "~")
)

func escape(tok string) string { return escaper.Replace(tok) }

// checkCycles rejects schemas that apply themselves to the same value
// without descending into it (a $ref loop), which would never terminate.
func checkCycles(root *node) error {
	const (
		visiting = 1
		done     = 2
	)
	state := map[*node]int{}
	var visit func(n *node) error
	var all func(n *node) error
	inPlace := func(n *node) []*node {
		out := append([]*node{n.ref, n.ifN, n.thenN, n.elseN}, n.allOf...)
		return append(out, n.anyOf...)
	}
	visit = func(n *node) error {
		if n == nil {
			return nil
		}
		switch state[n] {
		case visiting:
			return fmt.Errorf("schema %s: $ref cycle that never descends into the value", n.loc)
		case done:
			return nil
		}
		state[n] = visiting
		for _, c := range inPlace(n) {
			if err := visit(c); err != nil {
				return err
			}
		}
		state[n] = done
		return nil
	}
	seen := map[*node]bool{}
	all = func(n *node) error {
		if n == nil || seen[n] {
			return nil
		}
		seen[n] = true
		if err := visit(n); err != nil {
			return err
		}
		kids := append(inPlace(n), n.addl, n.items)
		for _, p := range n.props {
			kids = append(kids, p.n)
		}
		for _, k := range kids {
			if err := all(k); err != nil {
				return err
			}
		}
		return nil
	}
	return all(root)
}

// pathElem is one step of the instance location; indices stay numbers
// until a failure needs them as text.
type pathElem struct {
	key string
	idx int // -1 for object members
}

type state struct {
	path []pathElem
	errs []Failure
}

func (st *state) fail(f Failure) {
	f.Location = st.location()
	st.errs = append(st.errs, f)
}

func (st *state) location() []string {
	loc := make([]string, len(st.path))
	for i, e := range st.path {
		if e.idx >= 0 {
			loc[i] = strconv.Itoa(e.idx)
		} else {
			loc[i] = e.key
		}
	}
	return loc
}

// Validate returns the failures of v (nil when valid). v is what
// payload.Parse or encoding/json with UseNumber produce.
func (s *Schema) Validate(v any) []Failure {
	if s.root.valid(v) {
		return nil
	}
	st := state{path: make([]pathElem, 0, 16)}
	s.root.validate(v, &st)
	return st.errs
}

// Valid reports whether v is valid.
func (s *Schema) Valid(v any) bool { return s.root.valid(v) }

func typeOf(v any) jsonType {
	switch v.(type) {
	case nil:
		return tNull
	case bool:
		return tBoolean
	case string:
		return tString
	case map[string]any:
		return tObject
	case []any:
		return tArray
	case json.Number, float64, float32, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return tNumber
	}
	return 0
}

func typeName(t jsonType) string {
	for _, tn := range typeNames {
		if tn.t == t {
			return tn.name
		}
	}
	return "invalid"
}

func (n *node) typeOK(v any, t jsonType) bool {
	return n.types&t != 0 || (n.types&tInteger != 0 && t == tNumber && isInteger(v))
}

// isInteger is santhosh's: the number has no fractional part (1.0 and 1e2 are integers).
func isInteger(v any) bool {
	if num, ok := v.(json.Number); ok {
		s := string(num)
		if s != "" && s[0] == '-' {
			s = s[1:]
		}
		if s != "" {
			plain := true
			for i := 0; i < len(s); i++ {
				if s[i] < '0' || s[i] > '9' {
					plain = false
					break
				}
			}
			if plain {
				return true
			}
		}
	}
	r, ok := new(big.Rat).SetString(fmt.Sprint(v))
	return ok && r.IsInt()
}

// valid is validate without the failures: it stops at the first one.
func (n *node) valid(v any) bool {
	if !n.validHere(v) {
		return false
	}
	if n.trivial || n.boolean != nil {
		return true
	}
	if n.ref != nil && !n.ref.valid(v) {
		return false
	}
	switch x := v.(type) {
	case map[string]any:
		for _, p := range n.props {
			if pv, ok := x[p.name]; ok && !p.n.valid(pv) {
				return false
			}
		}
		if n.addl != nil {
			for k, pv := range x {
				if !n.hasProp(k) && !n.addl.valid(pv) {
					return false
				}
			}
		}
	case []any:
		if n.items != nil {
			for _, e := range x {
				if !n.items.valid(e) {
					return false
				}
			}
		}
	}
	for _, s := range n.allOf {
		if !s.valid(v) {
			return false
		}
	}
	if n.anyOf != nil {
		ok := false
		for _, s := range n.anyOf {
			if s.valid(v) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if n.ifN != nil {
		if n.ifN.valid(v) {
			if n.thenN != nil && !n.thenN.valid(v) {
				return false
			}
		} else if n.elseN != nil && !n.elseN.valid(v) {
			return false
		}
	}
	return true
}

// validHere checks the keywords of n that look at v itself, not at its
// members or items nor through other schemas (which valid and Check do).
func (n *node) validHere(v any) bool {
	if n.trivial {
		return true
	}
	if n.boolean != nil {
		return *n.boolean
	}
	t := typeOf(v)
	if t == 0 {
		return false
	}
	if n.types != 0 && !n.typeOK(v, t) {
		return false
	}
	if n.hasConst && !equals(v, n.constV) {
		return false
	}
	if n.enum != nil && !inEnum(v, n.enum) {
		return false
	}
	switch x := v.(type) {
	case map[string]any:
		for _, r := range n.required {
			if _, ok := x[r]; !ok {
				return false
			}
		}
	case []any:
		if n.maxItems >= 0 && len(x) > n.maxItems {
			return false
		}
	case string:
		if n.dateTime && !validDateTime(x) {
			return false
		}
		if n.maxLength >= 0 && utf8.RuneCountInString(x) > n.maxLength {
			return false
		}
		if n.pattern != nil && !n.pattern.MatchString(x) {
			return false
		}
	default:
		if (n.minimum != nil || n.maximum != nil) && !n.numOK(v) {
			return false
		}
	}
	return true
}

func (n *node) hasProp(k string) bool {
	for _, p := range n.props {
		if p.name == k {
			return true
		}
	}
	return false
}

// validate appends v's failures in santhosh's keyword order: type, const,
// enum and format end the check of this schema; then $ref, the keywords of
// v's type, allOf, anyOf, if/then/else.
func (n *node) validate(v any, st *state) {
	if n.trivial {
		return
	}
	if n.boolean != nil {
		if !*n.boolean {
			st.fail(Failure{Kind: KindFalseSchema})
		}
		return
	}
	t := typeOf(v)
	if t == 0 {
		st.fail(Failure{Kind: KindInvalidValue, Got: v})
		return
	}
	if n.types != 0 && !n.typeOK(v, t) {
		st.fail(Failure{Kind: KindType, Got: typeName(t), Want: n.typeNames})
		return
	}
	if n.hasConst && !equals(v, n.constV) {
		st.fail(Failure{Kind: KindConst, Got: v, Want: n.constV})
		return
	}
	if n.enum != nil && !inEnum(v, n.enum) {
		st.fail(Failure{Kind: KindEnum, Got: v, Want: n.enum})
		return
	}
	if n.dateTime {
		if s, ok := v.(string); ok && !validDateTime(s) {
			st.fail(Failure{Kind: KindFormat, Got: v, Want: "date-time"})
			return
		}
	}
	if n.ref != nil {
		n.ref.validate(v, st)
	}
	switch x := v.(type) {
	case map[string]any:
		var missing []string
		for _, r := range n.required {
			if _, ok := x[r]; !ok {
				missing = append(missing, r)
			}
		}
		if missing != nil {
			st.fail(Failure{Kind: KindRequired, Missing: missing})
		}
		for _, p := range n.props {
			if pv, ok := x[p.name]; ok {
				st.path = append(st.path, pathElem{key: p.name, idx: -1})
				p.n.validate(pv, st)
				st.path = st.path[:len(st.path)-1]
			}
		}
		if n.addl != nil {
			for k, pv := range x {
				if !n.hasProp(k) {
					st.path = append(st.path, pathElem{key: k, idx: -1})
					n.addl.validate(pv, st)
					st.path = st.path[:len(st.path)-1]
				}
			}
		}
	case []any:
		if n.maxItems >= 0 && len(x) > n.maxItems {
			st.fail(Failure{Kind: KindMaxItems, Got: len(x), Want: n.maxItems})
		}
		if n.items != nil {
			for i, e := range x {
				st.path = append(st.path, pathElem{idx: i})
				n.items.validate(e, st)
				st.path = st.path[:len(st.path)-1]
			}
		}
	case string:
		if n.maxLength >= 0 {
			if l := utf8.RuneCountInString(x); l > n.maxLength {
				st.fail(Failure{Kind: KindMaxLength, Got: l, Want: n.maxLength})
			}
		}
		if n.pattern != nil && !n.pattern.MatchString(x) {
			st.fail(Failure{Kind: KindPattern, Got: x, Want: n.pattern.String()})
		}
	default:
		if n.minimum != nil || n.maximum != nil {
			num, _ := new(big.Rat).SetString(fmt.Sprintf("%v", v))
			if n.minimum != nil && num.Cmp(n.minimum) < 0 {
				st.fail(Failure{Kind: KindMinimum, Got: num, Want: n.minimum})
			}
			if n.maximum != nil && num.Cmp(n.maximum) > 0 {
				st.fail(Failure{Kind: KindMaximum, Got: num, Want: n.maximum})
			}
		}
	}
	for _, s := range n.allOf {
		s.validate(v, st)
	}
	if n.anyOf != nil {
		matched := false
		for _, s := range n.anyOf {
			if s.valid(v) {
				matched = true
				break
			}
		}
		if !matched {
			for _, s := range n.anyOf {
				s.validate(v, st)
			}
		}
	}
	if n.ifN != nil {
		if n.ifN.valid(v) {
			if n.thenN != nil {
				n.thenN.validate(v, st)
			}
		} else if n.elseN != nil {
			n.elseN.validate(v, st)
		}
	}
}

// numOK reports whether a number is within minimum and maximum.
func (n *node) numOK(v any) bool {
	var r *big.Rat
	if num, ok := v.(json.Number); ok {
		if i, err := strconv.ParseInt(string(num), 10, 64); err == nil {
			r = new(big.Rat).SetInt64(i)
		}
	}
	if r == nil {
		var ok bool
		if r, ok = new(big.Rat).SetString(fmt.Sprintf("%v", v)); !ok {
			return true
		}
	}
	return !(n.minimum != nil && r.Cmp(n.minimum) < 0 || n.maximum != nil && r.Cmp(n.maximum) > 0)
}

func inEnum(v any, enum []any) bool {
	for _, e := range enum {
		if equals(v, e) {
			return true
		}
	}
	return false
}

// equals is JSON equality, numbers compared by value, as santhosh does.
func equals(a, b any) bool {
	switch a := a.(type) {
	case string:
		bs, ok := b.(string)
		return ok && a == bs
	case bool:
		bb, ok := b.(bool)
		return ok && a == bb
	case nil:
		return b == nil
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, av := range a {
			bv, ok := bm[k]
			if !ok || !equals(av, bv) {
				return false
			}
		}
		return true
	case []any:
		ba, ok := b.([]any)
		if !ok || len(a) != len(ba) {
			return false
		}
		for i := range a {
			if !equals(a[i], ba[i]) {
				return false
			}
		}
		return true
	}
	if typeOf(a) != tNumber || typeOf(b) != tNumber {
		return false
	}
	ra, ok1 := new(big.Rat).SetString(fmt.Sprint(a))
	rb, ok2 := new(big.Rat).SetString(fmt.Sprint(b))
	return ok1 && ok2 && ra.Cmp(rb) == 0
}
