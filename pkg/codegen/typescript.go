package codegen

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/lcwh/lcwh/pkg/payload/shape"
)

// TypeScript writes a TypeScript module that exports Webhook, a union of
// one type per action told apart by action, and a type per shared
// definition. Optional fields are optional, enums literal unions, the
// if/then/else cases a union beside the shared fields, unknown extra
// fields allowed (an index signature); descriptions become doc comments.
// A body literal typed as Webhook compiles when it is valid, and does not
// when a required field is missing or a value is of the wrong type or
// outside its enum.
func TypeScript(sch *shape.Schema) ([]byte, error) {
	types, err := actionTypes(sch)
	if err != nil {
		return nil, err
	}
	for _, name := range sch.DefNames {
		if !tsIdent.MatchString(name) {
			return nil, fmt.Errorf("definition %q is not a TypeScript identifier", name)
		}
	}
	w := &tsWriter{sch: sch, iface: map[string]bool{}}
	v := sch.Version
	w.line("// " + header("lcwh types --lang ts --api-version "+v))
	w.line("//")
	w.line("// The webhooks of LiveChat's API " + v + " as TypeScript types, from lcwh's schemas.")
	w.line("// Fields LiveChat does not guarantee are optional; unknown fields are allowed.")
	w.line("")
	w.doc("", "Any webhook of API "+v+"; `action` tells them apart.")
	w.line("export type Webhook =")
	for i, a := range sch.Actions {
		end := ""
		if i == len(sch.Actions)-1 {
			end = ";"
		}
		w.line("  | " + types[a.Name] + end)
	}
	w.line("")
	w.doc("", "The action names of API "+v+".")
	w.line(`export type Action = Webhook["action"];`)
	w.line("")
	w.doc("", "The webhook of one action: `WebhookOf<\"incoming_chat\">`.")
	w.line("export type WebhookOf<A extends Action> = Extract<Webhook, { action: A }>;")
	for _, a := range sch.Actions {
		w.line("")
		w.action(types[a.Name], a)
	}
	for _, name := range sch.DefNames {
		w.line("")
		w.decl(name, sch.Defs[name], sch.Defs[name].Description)
	}
	return []byte(w.b.String()), nil
}

var tsIdent = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

type tsWriter struct {
	sch   *shape.Schema
	b     strings.Builder
	iface map[string]bool // definitions declared as interfaces, by name
}

func (w *tsWriter) line(s string) {
	w.b.WriteString(s)
	w.b.WriteByte('\n')
}

// doc writes a doc comment at an indentation.
func (w *tsWriter) doc(indent, text string, tags ...string) {
	var lines []string
	if text = strings.TrimSpace(text); text != "" {
		lines = strings.Split(strings.ReplaceAll(text, "*/", "*\\/"), "\n")
	}
	lines = append(lines, tags...)
	switch len(lines) {
	case 0:
	case 1:
		w.line(indent + "/** " + lines[0] + " */")
	default:
		w.line(indent + "/**")
		for _, l := range lines {
			w.line(strings.TrimRight(indent+" * "+l, " "))
		}
		w.line(indent + " */")
	}
}

// action declares the type of an action's webhook, and of its payload
// when the payload is an object of its own.
func (w *tsWriter) action(name string, a *shape.Action) {
	body := a.Body
	f := body.Field("payload")
	named := f != nil && objectLike(f.Shape) && f.Shape.Name == ""
	if named {
		ref := &shape.Shape{Kind: shape.Ref, Name: name + "Payload", MaxItems: -1, MaxLength: -1} // described there
		body = withField(body, f.Name, ref)
	}
	w.decl(name, body, a.Description+"\n\nThe `"+a.Name+"` webhook.")
	if named {
		w.line("")
		w.decl(name+"Payload", f.Shape, payloadDoc(w.sch, a))
	}
}

// withField returns a copy of an object shape with one field's shape
// replaced.
func withField(sh *shape.Shape, name string, fs *shape.Shape) *shape.Shape {
	c := *sh
	c.Fields = make([]*shape.Field, len(sh.Fields))
	for i, f := range sh.Fields {
		c.Fields[i] = f
		if f.Name == name {
			nf := *f
			nf.Shape, nf.Inherited = fs, false
			c.Fields[i] = &nf
		}
	}
	return &c
}

// objectLike reports whether a shape constrains objects (an object, or a
// shape with no type but object keywords).
func objectLike(sh *shape.Shape) bool {
	return sh.Kind == shape.Object || (sh.Kind == shape.Any && (len(sh.Fields) > 0 || sh.Extra != nil || sh.Closed || len(sh.Cases) > 0))
}

// decl declares a named type: an interface where one can say it, else a
// type alias.
func (w *tsWriter) decl(name string, sh *shape.Shape, doc string, tags ...string) {
	if sh.Deprecated {
		tags = append(tags, "@deprecated")
	}
	w.doc("", describe(&shape.Shape{Description: doc}, limits(sh)), tags...)
	switch {
	case sh.Kind == shape.Ref:
		w.line("export type " + name + " = " + sh.Name + ";")
	case sh.Name != "" && w.plainObject(w.sch.Own(sh)) && w.isInterface(sh.Name):
		w.iface[name] = true
		w.line("export interface " + name + " extends " + sh.Name + " {")
		w.fields(w.sch.Own(sh).Fields, "  ", w.base(sh))
		w.line("}")
	case sh.Name == "" && w.plainObject(sh):
		w.iface[name] = true
		w.line("export interface " + name + " {")
		w.fields(sh.Fields, "  ", nil)
		w.index(sh, "  ")
		w.line("}")
	default:
		w.line("export type " + name + " = " + w.expr(sh, "") + ";")
	}
}

// plainObject reports whether an object shape is only fields (and unknown
// fields of any value): what an interface says.
func (w *tsWriter) plainObject(sh *shape.Shape) bool {
	return objectLike(sh) && len(sh.Cases) == 0 && len(sh.AnyOf) == 0 && sh.Extra == nil && !sh.Closed
}

// isInterface reports whether a definition is declared as an interface,
// so others may extend it.
func (w *tsWriter) isInterface(name string) bool {
	if done, ok := w.iface[name]; ok {
		return done
	}
	sh := w.sch.Defs[name]
	ok := sh != nil && ((sh.Name == "" && w.plainObject(sh)) ||
		(sh.Name != "" && sh.Kind != shape.Ref && w.plainObject(w.sch.Own(sh)) && w.isInterface(sh.Name)))
	w.iface[name] = ok
	return ok
}

// fields writes an object's fields, one a line. For a refinement, base
// is the definition it refines: a field it describes alike is not
// described again.
func (w *tsWriter) fields(fields []*shape.Field, indent string, base *shape.Shape) {
	for _, f := range fields {
		var tags []string
		if f.Shape.Deprecated {
			tags = append(tags, "@deprecated")
		}
		var notes []string
		if f.Expected && !f.Required {
			notes = append(notes, "Normally sent, but not guaranteed.")
		}
		doc := describe(f.Shape, append(notes, limits(f.Shape))...)
		if b := fieldOf(base, f.Name); b != nil && doc == describe(b.Shape, limits(b.Shape)) {
			doc = "" // the definition's field says it
		}
		w.doc(indent, doc, tags...)
		w.line(indent + tsKey(f.Name) + optional(f) + ": " + w.expr(f.Shape, indent) + ";")
	}
}

func optional(f *shape.Field) string {
	if f.Required {
		return ""
	}
	return "?"
}

// describes reports whether a field gets a doc comment.
func (w *tsWriter) describes(f *shape.Field) bool {
	return f.Shape.Deprecated || (f.Expected && !f.Required) || describe(f.Shape, limits(f.Shape)) != ""
}

// index writes an object's index signature: the fields it does not name.
func (w *tsWriter) index(sh *shape.Shape, indent string) {
	switch {
	case sh.Closed:
	case sh.Extra != nil && len(sh.Fields) == 0:
		w.line(indent + "[key: string]: " + w.expr(sh.Extra, indent) + ";")
	default:
		// a named field's type may differ from the others': TypeScript
		// cannot say "the fields not named", so any value
		w.line(indent + "[key: string]: unknown;")
	}
}

func tsKey(name string) string {
	if tsIdent.MatchString(name) {
		return name
	}
	b, _ := json.Marshal(name)
	return string(b)
}

// expr writes the type of a shape as an expression.
func (w *tsWriter) expr(sh *shape.Shape, indent string) string {
	switch {
	case sh.Kind == shape.Ref:
		return sh.Name
	case sh.Name != "":
		parts := []string{sh.Name}
		if own := w.sch.Own(sh); len(own.Fields) > 0 || len(own.Cases) > 0 || len(own.AnyOf) > 0 {
			parts = append(parts, w.objectParts(own, indent, false, w.base(sh))...)
		}
		return strings.Join(parts, " & ")
	case sh.Enum != nil:
		lits := make([]string, len(sh.Enum))
		for i, v := range sh.Enum {
			b, _ := json.Marshal(v)
			lits[i] = string(b)
		}
		return strings.Join(lits, " | ")
	case objectLike(sh):
		return strings.Join(w.objectParts(sh, indent, true, nil), " & ")
	}
	switch sh.Kind {
	case shape.Union:
		alts := make([]string, len(sh.AnyOf))
		for i, a := range sh.AnyOf {
			alts[i] = w.expr(a, indent)
		}
		return strings.Join(alts, " | ")
	case shape.Array:
		if sh.Items == nil {
			return "unknown[]"
		}
		item := w.expr(sh.Items, indent)
		if strings.ContainsAny(item, "|&") {
			item = "(" + item + ")"
		}
		return item + "[]"
	case shape.String:
		return "string"
	case shape.Integer, shape.Number:
		return "number"
	case shape.Boolean:
		return "boolean"
	case shape.Null:
		return "null"
	}
	return "unknown"
}

// objectParts writes an object's type as the parts of an intersection:
// its fields (with an index signature when withIndex), then a union of
// its anyOf alternatives, then a union of its cases.
func (w *tsWriter) objectParts(sh *shape.Shape, indent string, withIndex bool, base *shape.Shape) []string {
	var parts []string
	inner := indent + "  "
	if !withIndex && len(sh.Fields) > 0 && len(sh.Fields) <= 3 && !slices.ContainsFunc(sh.Fields, w.describes) {
		var fs []string
		for _, f := range sh.Fields {
			fs = append(fs, tsKey(f.Name)+optional(f)+": "+w.expr(f.Shape, inner))
		}
		parts = append(parts, "{ "+strings.Join(fs, "; ")+" }")
	} else if len(sh.Fields) > 0 || withIndex {
		var lit tsWriter
		lit.sch, lit.iface = w.sch, w.iface
		lit.line("{")
		lit.fields(sh.Fields, inner, base)
		if withIndex {
			lit.index(sh, inner)
		}
		lit.b.WriteString(indent + "}")
		parts = append(parts, lit.b.String())
	}
	if len(sh.AnyOf) > 0 {
		alts := make([]string, len(sh.AnyOf))
		for i, a := range sh.AnyOf {
			alts[i] = w.paren(w.partExpr(a, inner))
		}
		parts = append(parts, "("+strings.Join(alts, " | ")+")")
	}
	if len(sh.Cases) > 0 {
		cases := make([]string, len(sh.Cases))
		for i, c := range sh.Cases {
			cases[i] = w.caseExpr(c, inner)
		}
		parts = append(parts, "(\n"+inner+"| "+strings.Join(cases, "\n"+inner+"| ")+"\n"+indent+")")
	}
	return parts
}

// partExpr writes a shape that only adds to an object's type (an anyOf
// alternative, a case's branch): an anonymous object needs no index
// signature there, the object has one.
func (w *tsWriter) partExpr(sh *shape.Shape, indent string) string {
	if objectLike(sh) && sh.Name == "" && sh.Enum == nil {
		if parts := w.objectParts(sh, indent, false, nil); len(parts) > 0 {
			return strings.Join(parts, " & ")
		}
		return "{}"
	}
	return w.expr(sh, indent)
}

// base is the definition a refinement refines.
func (w *tsWriter) base(sh *shape.Shape) *shape.Shape {
	return w.sch.Resolve(w.sch.Defs[sh.Name])
}

func (w *tsWriter) paren(s string) string {
	if strings.Contains(s, "|") {
		return "(" + s + ")"
	}
	return s
}

// caseExpr writes one case: what its deciding fields hold, and the shapes
// that then apply.
func (w *tsWriter) caseExpr(c *shape.Case, indent string) string {
	var fields []string
	for _, m := range c.When {
		opt := ""
		if m.Absent {
			opt = "?"
		}
		switch {
		case m.Except != nil && m.Absent:
			// any value or none: nothing to say
		case m.Except != nil:
			fields = append(fields, tsKey(m.Field)+": unknown") // present, any value TypeScript can tell
		case m.Values == nil:
			fields = append(fields, tsKey(m.Field)+"?: never")
		default:
			lits := make([]string, len(m.Values))
			for i, v := range m.Values {
				b, _ := json.Marshal(v)
				lits[i] = string(b)
			}
			fields = append(fields, tsKey(m.Field)+opt+": "+strings.Join(lits, " | "))
		}
	}
	parts := []string{"{ " + strings.Join(fields, "; ") + " }"}
	if len(fields) == 0 {
		parts[0] = "{}"
	}
	for _, a := range c.Apply {
		parts = append(parts, w.paren(w.partExpr(a, indent)))
	}
	return strings.Join(parts, " & ")
}

// fieldOf returns a field of an object shape, if there is a shape.
func fieldOf(sh *shape.Shape, name string) *shape.Field {
	if sh == nil {
		return nil
	}
	return sh.Field(name)
}
