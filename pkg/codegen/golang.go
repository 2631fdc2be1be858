package codegen

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"go/format"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"github.com/lcwh/lcwh/pkg/payload/shape"
)

// Go writes one Go source file of package pkg, standard library only: a
// struct per action and per shared structure, Parse (a body to the
// action's own type), and Handler, an http.Handler that checks secret_key
// against a list of secrets in constant time and calls a typed callback
// per action.
//
// Optional fields are pointers (slices, maps and raw JSON are nil when
// absent); every optional field is omitted when absent, so a parsed
// webhook encodes back to the same JSON, unknown fields aside. An object's
// if/then/else cases are flattened into one struct (an Event has the
// fields of every event type). A field that holds values of different
// JSON types (a string or a boolean; a type list, or a field whose type
// depends on the case) gets a small union type that keeps the JSON it was
// decoded from and decodes it on demand (AsString, AsBool...): it encodes
// back byte for byte and checks the JSON type when parsing, where `any`
// would lose number precision and check nothing.
func Go(sch *shape.Schema, pkg string) ([]byte, error) {
	if !token.IsIdentifier(pkg) || token.IsKeyword(pkg) {
		return nil, fmt.Errorf("package name %q is not a Go identifier", pkg)
	}
	types, err := actionTypes(sch)
	if err != nil {
		return nil, err
	}
	g := &goWriter{
		sch: sch, named: map[*shape.Shape]string{}, docs: map[*shape.Shape]string{}, used: map[string]bool{},
		unions: map[string]bool{}, scalarUnions: map[string]string{}, defs: map[string]string{}, defByGo: map[string]string{},
	}
	for _, name := range []string{"Webhook", "Handler", "UnknownActionError", "Parse", "APIVersion"} {
		g.used[name] = true
	}
	for _, a := range sch.Actions {
		g.used[types[a.Name]] = true
	}
	for _, name := range sch.DefNames {
		g.defs[name] = g.take(exported(name))
		g.defByGo[g.defs[name]] = name
	}
	// definitions first, so that their inline objects are named after
	// them; the file lists the actions first
	for _, name := range sch.DefNames {
		if err := g.defDecl(name); err != nil {
			return nil, fmt.Errorf("definition %s: %w", name, err)
		}
		if err := g.drain(); err != nil {
			return nil, fmt.Errorf("definition %s: %w", name, err)
		}
	}
	defs := g.out.String()
	g.out.Reset()
	var actions []goAction
	for _, a := range sch.Actions {
		t := types[a.Name]
		if p := a.Body.Field("payload"); p != nil {
			g.docs[p.Shape] = payloadDoc(sch, a)
		}
		if err := g.structDecl(t, a.Body, a.Description+"\n\nThe `"+a.Name+"` webhook."); err != nil {
			return nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		if err := g.drain(); err != nil {
			return nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		actions = append(actions, goAction{Name: a.Name, Type: t})
	}
	var b bytes.Buffer
	err = goTemplate.Execute(&b, map[string]any{
		"Header":  header("lcwh types --lang go --package " + pkg + " --api-version " + sch.Version),
		"Package": pkg,
		"Version": sch.Version,
		"Time":    g.usesTime,
		"Actions": actions,
		"Decls":   g.out.String() + defs + g.unionOut.String(),
		"Unions":  len(g.unions) > 0,
	})
	if err != nil {
		return nil, err
	}
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("generated Go does not parse (a bug in lcwh): %w", err)
	}
	return src, nil
}

type goAction struct{ Name, Type string }

//go:embed golang.go.tmpl
var goTemplateText string

var goTemplate = template.Must(template.New("go").Parse(goTemplateText))

type goWriter struct {
	sch          *shape.Schema
	out          strings.Builder         // declarations of structures, in order
	unionOut     strings.Builder         // union types, after them
	queue        []queued                // inline structs named, not yet declared
	named        map[*shape.Shape]string // inline structs, by shape
	docs         map[*shape.Shape]string // doc comments of inline structs that their shape does not describe
	used         map[string]bool         // Go type names taken
	unions       map[string]bool         // union types declared, by name
	scalarUnions map[string]string       // StringOrBool -> the name it was declared with
	defs         map[string]string       // definition name -> Go name
	defByGo      map[string]string       // Go name -> definition name
	usesTime     bool
}

// queued is an inline object's struct, named when first used and
// declared after the declaration that uses it.
type queued struct {
	name string
	sh   *shape.Shape
}

func (g *goWriter) drain() error {
	for len(g.queue) > 0 {
		q := g.queue[0]
		g.queue = g.queue[1:]
		doc, ok := g.docs[q.sh]
		if !ok {
			doc = describe(q.sh, limits(q.sh))
		}
		if err := g.structDecl(q.name, q.sh, doc); err != nil {
			return fmt.Errorf("%s: %w", q.name, err)
		}
	}
	return nil
}

// take reserves a type name, numbering it if taken.
func (g *goWriter) take(name string) string {
	n := name
	for i := 2; g.used[n]; i++ {
		n = name + strconv.Itoa(i)
	}
	g.used[n] = true
	return n
}

func (g *goWriter) printf(format string, args ...any) { fmt.Fprintf(&g.out, format, args...) }

// comment writes a doc comment.
func (g *goWriter) comment(indent, text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	for _, l := range strings.Split(text, "\n") {
		g.printf("%s%s\n", indent, strings.TrimRight("// "+l, " "))
	}
}

// defDecl declares a shared definition.
func (g *goWriter) defDecl(name string) error {
	sh := g.sch.Defs[name]
	goName := g.defs[name]
	doc := describe(sh, limits(sh))
	if sh.Deprecated {
		doc += "\n\nDeprecated: LiveChat documents it as deprecated."
	}
	switch {
	case sh.Kind == shape.Ref:
		g.comment("", doc)
		g.printf("type %s = %s\n\n", goName, g.defs[sh.Name])
	case sh.Kind == shape.String && sh.Enum != nil:
		g.comment("", doc)
		g.printf("type %s string\n\n", goName)
		g.enumConsts(goName, sh.Enum)
	case g.isStruct(sh):
		return g.structDecl(goName, sh, doc)
	default:
		var t string
		var err error
		if sh.Kind == shape.Union {
			t, err = g.union(sh.AnyOf, goName, true)
		} else {
			t, err = g.goType(sh, goName)
		}
		if err != nil || t == goName { // a union declared under the definition's name
			return err
		}
		g.comment("", doc)
		g.printf("type %s = %s\n\n", goName, t)
	}
	return nil
}

// enumConsts declares a constant per enum value.
func (g *goWriter) enumConsts(typ string, values []any) {
	g.printf("const (\n")
	for _, v := range values {
		s, _ := v.(string)
		g.printf("%s %s = %q\n", g.take(typ+pascalValue(s)), typ, s)
	}
	g.printf(")\n\n")
}

func pascalValue(s string) string {
	p := pascal(strings.ToLower(s))
	if p == "" || (p[0] >= '0' && p[0] <= '9') {
		p = "V" + p
	}
	return p
}

// isStruct reports whether a shape becomes a Go struct: an object with
// named fields (an object of only unknown fields becomes a map).
func (g *goWriter) isStruct(sh *shape.Shape) bool {
	return objectLike(sh) && (len(sh.Fields) > 0 || len(sh.Cases) > 0 || len(sh.AnyOf) > 0)
}

// goField is one field of a struct being declared.
type goField struct {
	json     string
	required bool
	shapes   []homed // one per variant that has the field
	doc      string
	only     []variantLabel // the variants that have it, when not all
}

// homed is a field's shape in one variant, with the Go type that declares
// it there ("" for the struct itself), to name its inline types after.
type homed struct {
	sh   *shape.Shape
	home string
}

// structDecl declares a struct for an object shape. Its cases and anyOf
// alternatives are flattened: the struct has every field of every variant,
// required when every variant requires it.
func (g *goWriter) structDecl(name string, sh *shape.Shape, doc string) error {
	fields, err := g.flatten(sh)
	if err != nil {
		return err
	}
	var body strings.Builder
	seen := map[string]bool{}
	for _, f := range fields {
		fname := goFieldName(f.json)
		for i := 2; seen[fname]; i++ {
			fname = goFieldName(f.json) + strconv.Itoa(i)
		}
		seen[fname] = true
		t, err := g.fieldType(f, name, fname)
		if err != nil {
			return fmt.Errorf("field %s: %w", f.json, err)
		}
		tag := f.json
		if !f.required {
			tag += ",omitzero"
			if g.pointerable(t) {
				t = "*" + t
			}
		}
		text := f.doc
		if only := onlyWhen(f.only); only != "" {
			text = strings.TrimSpace(text + "\n\n" + only)
		}
		if text != "" {
			body.WriteString("\n")
			for _, l := range strings.Split(text, "\n") {
				body.WriteString(strings.TrimRight("\t// "+l, " ") + "\n")
			}
		}
		fmt.Fprintf(&body, "\t%s %s `json:%q`\n", fname, t, tag)
	}
	g.comment("", doc)
	g.printf("type %s struct {\n%s}\n\n", name, strings.TrimPrefix(body.String(), "\n"))
	return nil
}

// flatten lists the fields of an object over all its variants (cases or
// anyOf alternatives), each with the shape it has in each variant.
func (g *goWriter) flatten(sh *shape.Shape) ([]*goField, error) {
	type variant struct {
		label  variantLabel
		shapes []*shape.Shape
	}
	var variants []variant
	for _, c := range sh.Cases {
		f, vs := caseLabel(c)
		variants = append(variants, variant{variantLabel{f, vs}, c.Apply})
	}
	for _, a := range sh.AnyOf {
		variants = append(variants, variant{shapes: []*shape.Shape{a}})
	}
	if len(variants) == 0 {
		variants = []variant{{}}
	}
	var fields []*goField
	byName := map[string]*goField{}
	var base *shape.Shape // the definition sh refines
	if sh.Name != "" {
		base = g.sch.Resolve(g.sch.Defs[sh.Name])
	}
	for _, f := range sh.Fields {
		gf := &goField{json: f.Name, doc: fieldDoc(f)}
		if b := fieldOf(base, f.Name); b != nil && !f.Inherited && f.Shape.Description == b.Shape.Description {
			gf.doc = "" // the definition's words, about the definition's field
		}
		fields = append(fields, gf)
		byName[f.Name] = gf
	}
	required := map[string]int{} // in how many variants
	for _, v := range variants {
		// the variant's fields: the object's, narrowed by what it applies
		type effField struct {
			*shape.Field
			home string
		}
		eff := map[string]effField{}
		for _, f := range sh.Fields {
			eff[f.Name] = effField{f, ""}
		}
		for _, a := range v.shapes {
			r := g.sch.Resolve(a)
			if r == nil || !objectLike(r) {
				continue
			}
			home := ""
			if a.Kind == shape.Ref {
				home = g.defs[a.Name]
			}
			for _, f := range r.Fields {
				prev, ok := eff[f.Name]
				if !ok {
					eff[f.Name] = effField{f, home}
					if byName[f.Name] == nil {
						gf := &goField{json: f.Name, doc: fieldDoc(f)}
						fields = append(fields, gf)
						byName[f.Name] = gf
					}
					continue
				}
				m, err := g.sch.Meet(prev.Shape, f.Shape)
				if err != nil {
					return nil, fmt.Errorf("field %s: %w", f.Name, err)
				}
				eff[f.Name] = effField{&shape.Field{Name: f.Name, Shape: m, Required: prev.Required || f.Required}, prev.home}
			}
		}
		for name, f := range eff {
			gf := byName[name]
			gf.shapes = append(gf.shapes, homed{f.Shape, f.home})
			if f.Required {
				required[name]++
			}
			if sh.Field(name) == nil {
				gf.only = append(gf.only, v.label)
			}
		}
	}
	for _, gf := range fields {
		gf.required = required[gf.json] == len(variants)
		if len(gf.shapes) == len(variants) {
			gf.only = nil
		}
	}
	return fields, nil
}

func fieldDoc(f *shape.Field) string {
	var values string
	if sh := f.Shape; sh.Kind == shape.String && len(sh.Enum) > 1 {
		var vs []string
		for _, v := range sh.Enum {
			b, _ := json.Marshal(v)
			vs = append(vs, string(b))
		}
		values = "One of " + strings.Join(vs, ", ") + "."
	}
	doc := describe(f.Shape, values, limits(f.Shape))
	if f.Expected && !f.Required {
		doc = strings.TrimSpace(doc + " Normally sent, but not guaranteed.")
	}
	if f.Shape.Deprecated {
		doc += "\n\nDeprecated: LiveChat documents it as deprecated."
	}
	return doc
}

// caseLabel words what picks a case by its first deciding field with
// values: `type is "message"`.
func caseLabel(c *shape.Case) (field string, values []string) {
	for _, m := range c.When {
		for _, v := range m.Values {
			b, _ := json.Marshal(v)
			values = append(values, string(b))
		}
		if values != nil {
			return m.Field, values
		}
	}
	return "", nil
}

// onlyWhen words the variants that have a field: `Only when type is
// "message" or "file".`
func onlyWhen(labels []variantLabel) string {
	var fields []string
	values := map[string][]string{}
	for _, l := range labels {
		if l.field == "" {
			return ""
		}
		if values[l.field] == nil {
			fields = append(fields, l.field)
		}
		for _, v := range l.values {
			if !slices.Contains(values[l.field], v) {
				values[l.field] = append(values[l.field], v)
			}
		}
	}
	var parts []string
	for _, f := range fields {
		vs := values[f]
		words := strings.Join(vs, ", ")
		if len(vs) > 1 {
			words = strings.Join(vs[:len(vs)-1], ", ") + " or " + vs[len(vs)-1]
		}
		parts = append(parts, f+" is "+words)
	}
	if len(parts) == 0 {
		return ""
	}
	return "Only when " + strings.Join(parts, ", or when ") + "."
}

type variantLabel struct {
	field  string
	values []string
}

// fieldType is the Go type of field fname of struct name over its
// variants: their common type, or a union of their types. An inline type
// is named after the type that declares it there, and the field.
func (g *goWriter) fieldType(f *goField, name, fname string) (string, error) {
	var distinct []*shape.Shape
	var types []string
	for _, h := range f.shapes {
		home := h.home
		if home == "" {
			home = name
		}
		t, err := g.goType(h.sh, home+fname)
		if err != nil {
			return "", err
		}
		if !slices.Contains(types, t) {
			types = append(types, t)
			distinct = append(distinct, h.sh)
		}
	}
	if len(types) == 1 {
		return types[0], nil
	}
	return g.union(distinct, name+fname, false)
}

// goType is the Go type of a shape; ctx names the type when the shape
// needs one of its own (an inline object, a union).
func (g *goWriter) goType(sh *shape.Shape, ctx string) (string, error) {
	switch {
	case sh.Kind == shape.Ref:
		return g.defs[sh.Name], nil
	case sh.Name != "" && g.sameAsDef(sh):
		return g.defs[sh.Name], nil
	case g.isStruct(sh):
		if n, ok := g.named[sh]; ok {
			return n, nil
		}
		n := g.take(ctx)
		g.named[sh] = n
		g.queue = append(g.queue, queued{n, sh})
		return n, nil
	case sh.Kind == shape.Union:
		return g.union(sh.AnyOf, ctx, false)
	case sh.Kind == shape.Array:
		if sh.Items == nil {
			return "[]json.RawMessage", nil
		}
		t, err := g.goType(sh.Items, ctx+"Item")
		return "[]" + t, err
	case objectLike(sh):
		if sh.Extra == nil {
			return "map[string]json.RawMessage", nil
		}
		v, err := g.goType(sh.Extra, ctx+"Value")
		return "map[string]" + v, err
	}
	switch sh.Kind {
	case shape.String:
		if sh.Format == "date-time" {
			g.usesTime = true
			return "time.Time", nil
		}
		return "string", nil
	case shape.Integer:
		return "int64", nil
	case shape.Number:
		return "float64", nil
	case shape.Boolean:
		return "bool", nil
	}
	return "json.RawMessage", nil // any JSON value (or null)
}

// sameAsDef reports whether a refinement has its definition's Go type:
// it changes which fields are required, or narrows values to ones of the
// same Go type, and nothing else.
func (g *goWriter) sameAsDef(sh *shape.Shape) bool {
	def := g.sch.Resolve(g.sch.Defs[sh.Name])
	own := g.sch.Own(sh)
	if len(own.Cases) > 0 || len(own.AnyOf) > 0 || own.Extra != nil || own.Items != nil {
		return false
	}
	for _, f := range own.Fields {
		d := def.Field(f.Name)
		if d == nil || !sameGo(f.Shape, d.Shape) {
			return false
		}
	}
	return true
}

// sameGo reports whether two shapes surely have the same Go type.
func sameGo(a, b *shape.Shape) bool {
	if a == b {
		return true
	}
	if a.Kind != b.Kind || a.Name != b.Name {
		return false
	}
	switch a.Kind {
	case shape.Ref, shape.Integer, shape.Number, shape.Boolean:
		return true
	case shape.String:
		return a.Format == b.Format
	case shape.Any:
		return !objectLike(a) && !objectLike(b)
	}
	return false
}

// union declares (once) a type for values of several JSON types and
// returns its name: StringOrBool for scalars, else ctx (exactly ctx when
// exact, for a definition that is a union).
func (g *goWriter) union(alts []*shape.Shape, ctx string, exact bool) (string, error) {
	type member struct{ method, typ string }
	var members []member
	var words []string
	var kinds string
	scalar := true
	for i, a := range alts {
		k := jsonKinds(g.sch, a)
		if k == "" {
			return "json.RawMessage", nil // one alternative is any value
		}
		t, err := g.goType(a, ctx+strconv.Itoa(i+1))
		if err != nil {
			return "", err
		}
		word, isScalar := goWord(t)
		scalar = scalar && isScalar
		if !slices.Contains(words, word) {
			words = append(words, word)
			members = append(members, member{"As" + word, t})
		}
		for _, b := range k {
			if !strings.ContainsRune(kinds, b) {
				kinds += string(b)
			}
		}
	}
	var name string
	key := strings.Join(words, "Or")
	switch {
	case !scalar && exact:
		name = ctx
	case !scalar:
		name = g.take(ctx)
	case g.scalarUnions[key] != "":
		return g.scalarUnions[key], nil
	default:
		name = g.take(key) // (numbered if a definition has the name)
		g.scalarUnions[key] = name
	}
	g.unions[name] = true
	var want []string
	for _, m := range members {
		phrase, ok := map[string]string{"string": "a string", "bool": "a boolean", "int64": "an integer", "float64": "a number", "time.Time": "a date-time string"}[m.typ]
		if !ok {
			phrase = m.typ
		}
		want = append(want, phrase)
	}
	wanted := strings.Join(want[:len(want)-1], ", ") + " or " + want[len(want)-1]
	u := &g.unionOut
	fmt.Fprintf(u, "// %s is %s, kept as received: it encodes back to the same JSON.\n", name, wanted)
	fmt.Fprintf(u, "// The As methods decode it; the one of its JSON type succeeds.\n")
	fmt.Fprintf(u, "type %s struct{ raw json.RawMessage }\n\n", name)
	for _, m := range members {
		fmt.Fprintf(u, "// %s decodes the value as %s.\n", m.method, m.typ)
		fmt.Fprintf(u, "func (u %s) %s() (%s, error) { return decodeAs[%s](u.raw) }\n\n", name, m.method, m.typ, m.typ)
	}
	fmt.Fprintf(u, "// Raw returns the JSON as received (nil when absent).\nfunc (u %s) Raw() json.RawMessage { return u.raw }\n\n", name)
	fmt.Fprintf(u, "// MarshalJSON returns the JSON as received.\nfunc (u %s) MarshalJSON() ([]byte, error) { return marshalRaw(u.raw) }\n\n", name)
	fmt.Fprintf(u, "// UnmarshalJSON keeps a copy of the JSON after checking its type.\n")
	fmt.Fprintf(u, "func (u *%s) UnmarshalJSON(b []byte) error { return unmarshalRaw(&u.raw, b, %q, %q) }\n\n", name, wanted, kinds)
	return name, nil
}

// jsonKinds lists the first bytes of the JSON values a shape allows ("" for
// any value).
func jsonKinds(sch *shape.Schema, sh *shape.Shape) string {
	sh = sch.Resolve(sh)
	switch sh.Kind {
	case shape.String:
		return `"`
	case shape.Boolean:
		return "tf"
	case shape.Integer, shape.Number:
		return "-0123456789"
	case shape.Null:
		return "n"
	case shape.Array:
		return "["
	case shape.Object:
		return "{"
	case shape.Union:
		var k string
		for _, a := range sh.AnyOf {
			ak := jsonKinds(sch, a)
			if ak == "" {
				return ""
			}
			k += ak
		}
		return k
	}
	if objectLike(sh) {
		return "{"
	}
	return ""
}

// goWord names a Go type in a method or union name: String, Int, Thread,
// ThreadList; and says whether it is a scalar.
func goWord(t string) (string, bool) {
	switch t {
	case "string":
		return "String", true
	case "bool":
		return "Bool", true
	case "int64":
		return "Int", true
	case "float64":
		return "Number", true
	case "time.Time":
		return "Time", true
	}
	if elem, ok := strings.CutPrefix(t, "[]"); ok {
		w, _ := goWord(elem)
		return w + "List", false
	}
	if elem, ok := strings.CutPrefix(t, "map[string]"); ok {
		w, _ := goWord(elem)
		return w + "Map", false
	}
	return strings.ReplaceAll(t, ".", ""), false
}

// pointerable reports whether an optional field of Go type t needs a
// pointer to tell absent from zero (slices, maps, raw JSON and unions are
// nil when absent).
func (g *goWriter) pointerable(t string) bool {
	if def, ok := g.defByGo[t]; ok {
		sh := g.sch.Resolve(g.sch.Defs[def])
		return !(sh.Kind == shape.Array || sh.Kind == shape.Union || (objectLike(sh) && !g.isStruct(sh)) || (sh.Kind == shape.Any && !objectLike(sh)))
	}
	return !strings.HasPrefix(t, "[]") && !strings.HasPrefix(t, "map[") && t != "json.RawMessage" && !g.unions[t]
}

// exported makes a definition's name an exported Go identifier.
func exported(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	s := b.String()
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		s = "T" + s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// goInitialisms are written in capitals in Go names (Go's own style).
var goInitialisms = map[string]string{"id": "ID", "ids": "IDs", "url": "URL", "urls": "URLs", "uri": "URI", "ip": "IP",
	"api": "API", "http": "HTTP", "https": "HTTPS", "json": "JSON", "html": "HTML", "uuid": "UUID", "utc": "UTC", "ttl": "TTL"}

// goFieldName turns a JSON field name into an exported Go field name:
// chat_presence_user_ids -> ChatPresenceUserIDs.
func goFieldName(name string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(name, func(r rune) bool {
		return !(r >= 'a' && r <= 'z') && !(r >= 'A' && r <= 'Z') && !(r >= '0' && r <= '9')
	}) {
		if up, ok := goInitialisms[strings.ToLower(part)]; ok {
			b.WriteString(up)
		} else {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	s := b.String()
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		s = "F" + s
	}
	return s
}
