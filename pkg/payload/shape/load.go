package shape

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math/big"
	"regexp"
	"slices"
	"strings"

	"github.com/lcwh/lcwh/pkg/payload"
)

const draft2020 = "https://json-schema.org/draft/2020-12/schema"

// defsFile is the file every action's $ref points into.
const defsFile = "defs.json"

// Load reads the schemas of an API version (payload.Versions).
func Load(version string) (*Schema, error) {
	c, err := payload.CatalogFor(version)
	if err != nil {
		return nil, err
	}
	actions := make([]*Action, len(c.Actions))
	for i, a := range c.Actions {
		actions[i] = &Action{Name: a.Name, Category: a.Category, Description: a.Description}
	}
	return load(version, actions, func(name string) ([]byte, error) { return payload.SchemaFile(version, name) })
}

// LoadFS reads schemas laid out as `lcwh schema --all --out DIR` writes
// them: catalog.json (the version and its actions), defs.json and one
// ACTION.json per action.
func LoadFS(fsys fs.FS) (*Schema, error) {
	b, err := fs.ReadFile(fsys, "catalog.json")
	if err != nil {
		return nil, err
	}
	var c payload.Catalog
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("catalog.json: %w", err)
	}
	actions := make([]*Action, len(c.Actions))
	for i, a := range c.Actions {
		actions[i] = &Action{Name: a.Name, Category: a.Category, Description: a.Description}
	}
	return load(c.Version, actions, func(name string) ([]byte, error) { return fs.ReadFile(fsys, name+".json") })
}

// load builds a Schema from files read by name ("defs", or an action).
func load(version string, actions []*Action, read func(name string) ([]byte, error)) (*Schema, error) {
	l := &loader{version: version, defs: map[string]*Shape{}, building: map[string]bool{}}
	b, err := read("defs")
	if err != nil {
		return nil, err
	}
	root, err := l.file(b, defsFile)
	if err != nil {
		return nil, err
	}
	if err := l.checkRoot(root, defsFile, "$defs"); err != nil {
		return nil, err
	}
	defs, ok := root.vals["$defs"].(*object)
	if !ok {
		return nil, l.errorf(defsFile, "", "$defs must be an object")
	}
	l.raw = defs
	sch := &Schema{Version: version, Defs: l.defs, DefNames: slices.Clone(defs.keys), Actions: actions}
	for _, name := range defs.keys {
		if _, err := l.def(name); err != nil {
			return nil, err
		}
	}
	for _, a := range actions {
		file := a.Name + ".json"
		b, err := read(a.Name)
		if err != nil {
			return nil, err
		}
		root, err := l.file(b, file)
		if err != nil {
			return nil, err
		}
		if err := l.checkRoot(root, file); err != nil {
			return nil, err
		}
		if a.Body, err = l.parse(root, file, ""); err != nil {
			return nil, err
		}
	}
	l.sch = sch
	if err := l.finish(sch); err != nil {
		return nil, err
	}
	return sch, nil
}

type loader struct {
	version  string
	raw      *object // defs.json's $defs
	defs     map[string]*Shape
	building map[string]bool
	sch      *Schema
}

// errorf words a failure at a place in a schema file.
func (l *loader) errorf(file, ptr, format string, args ...any) error {
	return fmt.Errorf("schema %s/%s#%s: %s", l.version, file, ptr, fmt.Sprintf(format, args...))
}

func (l *loader) file(b []byte, name string) (*object, error) {
	v, err := decodeOrdered(b)
	if err != nil {
		return nil, fmt.Errorf("schema %s/%s: %w", l.version, name, err)
	}
	o, ok := v.(*object)
	if !ok {
		return nil, l.errorf(name, "", "a schema file must hold an object")
	}
	return o, nil
}

// checkRoot checks a file's $schema and $id; allowed names root-only
// keywords (such as $defs) that the file may carry.
func (l *loader) checkRoot(root *object, file string, allowed ...string) error {
	if root.vals["$schema"] != draft2020 {
		return l.errorf(file, "", "$schema must be %s", draft2020)
	}
	if id, ok := root.vals["$id"]; ok && id != payload.SchemaBaseURL+l.version+"/"+file {
		return l.errorf(file, "", "$id %v differs from the file's place", id)
	}
	for _, k := range allowed {
		if _, ok := root.vals[k]; !ok {
			return l.errorf(file, "", "%s is missing", k)
		}
	}
	return nil
}

// def returns the shape of a shared definition, building it on first use.
func (l *loader) def(name string) (*Shape, error) {
	if s, ok := l.defs[name]; ok {
		return s, nil
	}
	raw, ok := l.raw.vals[name]
	if !ok {
		return nil, fmt.Errorf("schema %s/%s: no definition %q", l.version, defsFile, name)
	}
	ptr := "/$defs/" + escape(name)
	if l.building[name] {
		return nil, l.errorf(defsFile, ptr, "definition refines itself through $ref")
	}
	l.building[name] = true
	defer delete(l.building, name)
	s, err := l.parse(raw, defsFile, ptr)
	if err != nil {
		return nil, err
	}
	l.defs[name] = s
	return s, nil
}

// refName returns the definition a $ref in file names.
func (l *loader) refName(ref, file, ptr string) (string, error) {
	target, frag, ok := strings.Cut(ref, "#")
	if !ok || (target != "" && target != defsFile) || (target == "" && file != defsFile) {
		return "", l.errorf(file, ptr, "$ref %q: only references to %s#/$defs/NAME are modelled", ref, defsFile)
	}
	name, ok := strings.CutPrefix(frag, "/$defs/")
	if !ok || strings.Contains(name, "/") {
		return "", l.errorf(file, ptr, "$ref %q: only references to %s#/$defs/NAME are modelled", ref, defsFile)
	}
	name = unescape(name)
	if _, ok := l.raw.vals[name]; !ok {
		return "", l.errorf(file, ptr, "$ref %q: no such definition", ref)
	}
	return name, nil
}

// blank returns a shape with no constraint.
func blank() *Shape { return &Shape{MaxItems: -1, MaxLength: -1} }

var kindByType = map[string]Kind{"object": Object, "array": Array, "string": String, "integer": Integer, "number": Number, "boolean": Boolean, "null": Null}

// parse builds the shape of the schema v at ptr in file.
func (l *loader) parse(v any, file, ptr string) (*Shape, error) {
	fail := func(format string, args ...any) (*Shape, error) { return nil, l.errorf(file, ptr, format, args...) }
	if b, ok := v.(bool); ok {
		if b {
			return blank(), nil
		}
		return fail("the false schema is only modelled as additionalProperties: false")
	}
	o, ok := v.(*object)
	if !ok {
		return fail("a schema must be an object or a boolean")
	}
	s := blank()
	sub := func(kw string, x any) (*Shape, error) { return l.parse(x, file, ptr+"/"+kw) }
	var types []Kind
	var ref string
	var allOf []*Shape
	var required, expected []string
	for _, kw := range o.keys {
		x := o.vals[kw]
		var err error
		switch kw {
		case "$schema", "$id":
			if ptr != "" {
				return fail("%s is only modelled at the root of a schema file", kw)
			}
		case "$defs":
			if ptr != "" || file != defsFile {
				return fail("$defs is only modelled at the root of %s", defsFile)
			}
		case "$comment":
		case "title", "description":
			str, ok := x.(string)
			if !ok {
				return fail("%s must be a string", kw)
			}
			if kw == "title" {
				s.Title = str
			} else {
				s.Description = str
			}
		case "deprecated":
			b, ok := x.(bool)
			if !ok {
				return fail("deprecated must be a boolean")
			}
			s.Deprecated = b
		case "examples":
			arr, ok := x.([]any)
			if !ok {
				return fail("examples must be an array")
			}
			for _, e := range arr {
				raw, _ := json.Marshal(plain(e))
				s.Examples = append(s.Examples, raw)
			}
		case "default":
			s.Default, _ = json.Marshal(plain(x))
		case "type":
			switch t := x.(type) {
			case string:
				k, ok := kindByType[t]
				if !ok {
					return fail("unknown type %q", t)
				}
				types = []Kind{k}
			case []any:
				for _, e := range t {
					name, _ := e.(string)
					k, ok := kindByType[name]
					if !ok || slices.Contains(types, k) {
						return fail("type must list distinct JSON types")
					}
					types = append(types, k)
				}
				if len(types) == 0 {
					return fail("type must list at least one JSON type")
				}
			default:
				return fail("type must be a string or an array of strings")
			}
		case "const":
			s.Enum = intersect(s.Enum, []any{plain(x)}, s.Enum != nil)
		case "enum":
			arr, ok := x.([]any)
			if !ok || len(arr) == 0 {
				return fail("enum must be a non-empty array")
			}
			s.Enum = intersect(s.Enum, plain(arr).([]any), s.Enum != nil)
		case "format":
			if x != "date-time" {
				return fail("format %v is not modelled (only date-time)", x)
			}
			s.Format = "date-time"
		case "maxLength", "maxItems":
			n, ok := x.(json.Number)
			i, err := n.Int64()
			if !ok || err != nil || i < 0 {
				return fail("%s must be a non-negative integer", kw)
			}
			if kw == "maxLength" {
				s.MaxLength = int(i)
			} else {
				s.MaxItems = int(i)
			}
		case "pattern":
			p, ok := x.(string)
			if !ok {
				return fail("pattern must be a string")
			}
			if _, err := regexp.Compile(p); err != nil {
				return fail("pattern: %v", err)
			}
			s.Pattern = p
		case "minimum", "maximum":
			n, ok := x.(json.Number)
			if _, okr := new(big.Rat).SetString(string(n)); !ok || !okr {
				return fail("%s must be a number", kw)
			}
			if kw == "minimum" {
				s.Minimum = n
			} else {
				s.Maximum = n
			}
		case "$ref":
			str, ok := x.(string)
			if !ok {
				return fail("$ref must be a string")
			}
			if ref, err = l.refName(str, file, ptr); err != nil {
				return nil, err
			}
		case "properties":
			props, ok := x.(*object)
			if !ok {
				return fail("properties must be an object")
			}
			for _, name := range props.keys {
				fs, err := sub("properties/"+escape(name), props.vals[name])
				if err != nil {
					return nil, err
				}
				s.Fields = append(s.Fields, &Field{Name: name, Shape: fs})
			}
		case "required", "x-lcwh-expected":
			names, ok := stringList(x)
			if !ok {
				return fail("%s must be an array of distinct strings", kw)
			}
			if kw == "required" {
				required = names
			} else {
				expected = names
			}
		case "additionalProperties":
			if b, ok := x.(bool); ok {
				s.Closed = !b
				break
			}
			if s.Extra, err = sub(kw, x); err != nil {
				return nil, err
			}
		case "items":
			if s.Items, err = sub(kw, x); err != nil {
				return nil, err
			}
		case "anyOf", "allOf":
			arr, ok := x.([]any)
			if !ok || len(arr) == 0 {
				return fail("%s must be a non-empty array", kw)
			}
			for i, e := range arr {
				alt, err := sub(fmt.Sprintf("%s/%d", kw, i), e)
				if err != nil {
					return nil, err
				}
				if kw == "anyOf" {
					s.AnyOf = append(s.AnyOf, alt)
				} else {
					allOf = append(allOf, alt)
				}
			}
		case "if", "then", "else":
			// read together below
		default:
			return fail("keyword %q is not modelled by package shape", kw)
		}
	}
	if s.Enum != nil && len(s.Enum) == 0 {
		return fail("const and enum allow no value together")
	}
	for _, name := range required {
		s.field(name).Required = true
	}
	for _, name := range expected {
		s.field(name).Expected = true
	}
	if err := l.conditional(s, o, file, ptr); err != nil {
		return nil, err
	}
	if err := l.setKind(s, types, file, ptr); err != nil {
		return nil, err
	}
	var err error
	if ref != "" {
		if s.annotationOnly() {
			s.Kind, s.Name = Ref, ref
		} else {
			if _, err := l.def(ref); err != nil {
				return nil, err
			}
			// the definition first, for its fields' order; the keywords
			// beside $ref win where both describe
			r := blank()
			r.Kind, r.Name = Ref, ref
			if s, err = l.meet(r, s); err != nil {
				return nil, l.errorf(file, ptr, "%v", err)
			}
		}
	}
	for _, e := range allOf {
		if s, err = l.meet(s, e); err != nil {
			return nil, l.errorf(file, ptr, "%v", err)
		}
	}
	return s, nil
}

// stringList reads an array of distinct strings.
func stringList(x any) ([]string, bool) {
	arr, ok := x.([]any)
	if !ok {
		return nil, false
	}
	var out []string
	for _, e := range arr {
		str, ok := e.(string)
		if !ok || slices.Contains(out, str) {
			return nil, false
		}
		out = append(out, str)
	}
	return out, true
}

// field returns the field called name, adding it (any value) when the
// schema names it only in required or x-lcwh-expected.
func (s *Shape) field(name string) *Field {
	if f := s.Field(name); f != nil {
		return f
	}
	f := &Field{Name: name, Shape: blank()}
	s.Fields = append(s.Fields, f)
	return f
}

// conditional reads if/then/else: an if that only names fields' constant
// values (properties: {F: {const: V} or {enum: [...]}}) and which fields
// must be present (required).
func (l *loader) conditional(s *Shape, o *object, file, ptr string) error {
	ifV, hasIf := o.vals["if"]
	thenV, hasThen := o.vals["then"]
	elseV, hasElse := o.vals["else"]
	if !hasIf {
		if hasThen || hasElse {
			return l.errorf(file, ptr, "then or else without if is not modelled")
		}
		return nil
	}
	at := ptr + "/if"
	cond, ok := ifV.(*object)
	if !ok {
		return l.errorf(file, at, "if must be an object")
	}
	c := &conditional{}
	for _, kw := range cond.keys {
		switch kw {
		case "properties":
			props, ok := cond.vals[kw].(*object)
			if !ok {
				return l.errorf(file, at, "properties must be an object")
			}
			for _, name := range props.keys {
				p, ok := props.vals[name].(*object)
				if !ok || len(p.keys) != 1 || (p.keys[0] != "const" && p.keys[0] != "enum") {
					return l.errorf(file, at+"/properties/"+escape(name), "an if only models {const: V} or {enum: [...]} per field")
				}
				values := []any{plain(p.vals[p.keys[0]])}
				if p.keys[0] == "enum" {
					arr, ok := plain(p.vals["enum"]).([]any)
					if !ok || len(arr) == 0 {
						return l.errorf(file, at+"/properties/"+escape(name), "enum must be a non-empty array")
					}
					values = arr
				}
				c.when = append(c.when, &condition{field: name, values: values})
			}
		case "required":
			names, ok := stringList(cond.vals[kw])
			if !ok {
				return l.errorf(file, at, "required must be an array of distinct strings")
			}
			for _, name := range names {
				i := slices.IndexFunc(c.when, func(x *condition) bool { return x.field == name })
				if i < 0 {
					c.when = append(c.when, &condition{field: name})
					i = len(c.when) - 1
				}
				c.when[i].present = true
			}
		case "$comment", "description":
		default:
			return l.errorf(file, at, "an if only models properties (const or enum) and required, not %q", kw)
		}
	}
	if len(c.when) == 0 {
		return l.errorf(file, at, "an if that names no field is not modelled")
	}
	var err error
	if hasThen {
		if c.then, err = l.parse(thenV, file, ptr+"/then"); err != nil {
			return err
		}
	}
	if hasElse {
		if c.els, err = l.parse(elseV, file, ptr+"/else"); err != nil {
			return err
		}
	}
	s.conds = append(s.conds, c)
	return nil
}

// setKind applies the type keyword (or, without one, the type its enum
// implies). A type list becomes a Union whose alternatives take the
// keywords of their kind.
func (l *loader) setKind(s *Shape, types []Kind, file, ptr string) error {
	used := s.kindsUsed()
	if len(types) == 0 {
		if s.Enum != nil && len(used) == 0 {
			if k, ok := enumKind(s.Enum); ok {
				s.Kind = k
			}
		}
		if len(s.AnyOf) > 0 && s.Enum == nil && len(used) == 0 {
			s.Kind = Union
		}
		return nil
	}
	for _, k := range used {
		if !slices.ContainsFunc(types, func(t Kind) bool { return t == k || (k == Integer && t == Number) }) {
			return l.errorf(file, ptr, "%s keywords do not apply to the type given", k)
		}
	}
	if len(types) == 1 {
		s.Kind = types[0]
		return s.keepEnum(func(err string) error { return l.errorf(file, ptr, "%s", err) })
	}
	if len(s.AnyOf) > 0 || len(s.conds) > 0 {
		return l.errorf(file, ptr, "a type list beside anyOf or if is not modelled")
	}
	var alts []*Shape
	for _, k := range types {
		alt := s.only(k)
		if s.Enum != nil && alt.Enum == nil {
			continue // no allowed value of this type
		}
		alts = append(alts, alt)
	}
	if len(alts) == 0 {
		return l.errorf(file, ptr, "no enum value has a listed type")
	}
	u := blank()
	u.Title, u.Description, u.Deprecated, u.Examples, u.Default = s.Title, s.Description, s.Deprecated, s.Examples, s.Default
	if len(alts) == 1 {
		alts[0].Title, alts[0].Description, alts[0].Deprecated, alts[0].Examples, alts[0].Default = u.Title, u.Description, u.Deprecated, u.Examples, u.Default
		*s = *alts[0]
		return nil
	}
	u.Kind, u.AnyOf = Union, alts
	*s = *u
	return nil
}

// kindsUsed lists the kinds (Object, Array, String, Integer for numbers)
// whose own keywords s carries.
func (s *Shape) kindsUsed() []Kind {
	var out []Kind
	if len(s.Fields) > 0 || s.Extra != nil || s.Closed || len(s.conds) > 0 {
		out = append(out, Object)
	}
	if s.Items != nil || s.MaxItems >= 0 {
		out = append(out, Array)
	}
	if s.Format != "" || s.MaxLength >= 0 || s.Pattern != "" {
		out = append(out, String)
	}
	if s.Minimum != "" || s.Maximum != "" {
		out = append(out, Integer)
	}
	return out
}

// only copies the keywords of s that apply to values of kind k.
func (s *Shape) only(k Kind) *Shape {
	alt := blank()
	alt.Kind = k
	switch k {
	case Object:
		alt.Fields, alt.Extra, alt.Closed, alt.conds = s.Fields, s.Extra, s.Closed, s.conds
	case Array:
		alt.Items, alt.MaxItems = s.Items, s.MaxItems
	case String:
		alt.Format, alt.MaxLength, alt.Pattern = s.Format, s.MaxLength, s.Pattern
	case Integer, Number:
		alt.Minimum, alt.Maximum = s.Minimum, s.Maximum
	}
	for _, v := range s.Enum {
		if valueFits(v, k) {
			alt.Enum = append(alt.Enum, v)
		}
	}
	return alt
}

// keepEnum keeps an enum's values to the shape's kind (others can never
// match).
func (s *Shape) keepEnum(fail func(string) error) error {
	if s.Enum == nil {
		return nil
	}
	var keep []any
	for _, v := range s.Enum {
		if valueFits(v, s.Kind) {
			keep = append(keep, v)
		}
	}
	if keep == nil {
		return fail(fmt.Sprintf("no enum value is of type %s", s.Kind))
	}
	s.Enum = keep
	return nil
}

// valueFits reports whether a JSON value is of kind k.
func valueFits(v any, k Kind) bool {
	switch x := v.(type) {
	case string:
		return k == String
	case bool:
		return k == Boolean
	case nil:
		return k == Null
	case json.Number:
		if k == Number {
			return true
		}
		r, ok := new(big.Rat).SetString(string(x))
		return k == Integer && ok && r.IsInt()
	}
	return false // objects and arrays as enum values are not modelled
}

// enumKind is the kind every value of an enum has.
func enumKind(values []any) (Kind, bool) {
	for _, k := range []Kind{String, Boolean, Null, Integer, Number} {
		if !slices.ContainsFunc(values, func(v any) bool { return !valueFits(v, k) }) {
			return k, true
		}
	}
	return Any, false
}

// annotationOnly reports whether s constrains nothing (it may describe).
func (s *Shape) annotationOnly() bool {
	return s.Kind == Any && s.Enum == nil && len(s.AnyOf) == 0 && len(s.kindsUsed()) == 0
}

// JSON Pointer token escaping (RFC 6901).
var (
	escaper   = strings.NewReplacer("~", "~0", "/", "~1")
	unescaper = strings.NewReplacer("~1", "/", "~0", "~")
)

func escape(tok string) string   { return escaper.Replace(tok) }
func unescape(tok string) string { return unescaper.Replace(tok) }
