// Package shape is a typed, resolved view of one API version's webhook
// schemas (package payload's JSON Schema 2020-12 files), for the code that
// generates from them: type generators, OpenAPI, receiver tests.
//
// Load(version) reads a version's defs.json and every action schema into a
// *Schema (LoadFS reads the files `lcwh schema --all` writes): Defs maps
// each shared definition's name to its *Shape (DefNames keeps the file's
// order), Actions lists each action (catalogue order) with Body, the shape
// of the whole webhook. A *Shape is one of these kinds:
//
//   - Object: Fields in schema order, each with its Name, Required (LiveChat
//     guarantees it), Expected (x-lcwh-expected: documented, normally sent,
//     not guaranteed) and its own Shape; Extra is the shape of the other
//     fields (additionalProperties: an open map such as Properties), nil when
//     unknown fields may hold anything; Closed when they are not allowed.
//   - Array: Items, MaxItems.
//   - String: Enum, Format ("date-time"), MaxLength, Pattern.
//   - Integer, Number: Enum, Minimum, Maximum (exact decimal text).
//   - Boolean, Null: Enum.
//   - Ref: Name of a definition in Defs, kept as a name so generated code can
//     have named types; Schema.Resolve follows it.
//   - Union: one of AnyOf (a type list such as ["string", "boolean"], or an
//     anyOf with nothing beside it).
//   - Any: no type constraint. Keywords of a kind still apply to values of
//     that kind (a then-branch with only properties constrains objects).
//
// Every kind carries Title, Description, Deprecated, Examples and Default.
// const is an Enum of one value. A value of any kind must also match one of
// AnyOf when it is not empty (anyOf beside other keywords, such as "one of
// these two fields is required").
//
// A $ref with other keywords beside it is merged with its definition: the
// result has the definition's kind and fields narrowed by the keywords
// (more required fields, narrower field shapes) and Name set to the
// definition it refines; Field.Inherited marks the fields it left alone and
// Schema.Own returns only what it adds, so a generator can write
// "Chat & {thread: Thread}". Schema.Meet merges two shapes the same way.
//
// The if/then/else the schemas use to pick an object's fields by the value
// of some of them (an event's fields by its type) become Cases: each Case
// says what the deciding fields hold (When: values, absence, or any value
// but some) and which shapes then apply too (Apply, the then/else branches,
// often Refs). The cases of an object cover every value of its deciding
// fields and never overlap, so exactly one applies: they translate directly
// into a discriminated union. Schema.CaseValues lists, per field name, the
// values that pick a case anywhere (every event type).
//
// Schema.JSONSchema writes a shape back as JSON Schema (refs named by the
// caller, cases as a oneOf): the tests hold it to accept exactly what the
// original schemas accept, which is what proves the view loses nothing.
//
// Load fails on any keyword or form it does not model, as package schemavm
// does, so a schema change can never be silently dropped. Shapes are
// immutable once loaded: callers must not change them.
package shape

import (
	"encoding/json"
)

// Kind is what JSON type a shape constrains values to.
type Kind uint8

// The kinds of shapes.
const (
	Any Kind = iota
	Object
	Array
	String
	Integer
	Number
	Boolean
	Null
	Ref
	Union
)

var kindNames = [...]string{"any", "object", "array", "string", "integer", "number", "boolean", "null", "ref", "union"}

func (k Kind) String() string { return kindNames[k] }

// Shape is a schema: see the package comment for what each kind uses.
type Shape struct {
	Kind Kind
	// Name is the definition a Ref names, or the definition a refinement
	// ($ref with keywords beside it) refines; "" otherwise.
	Name string

	Title       string
	Description string
	Deprecated  bool
	Examples    []json.RawMessage
	Default     json.RawMessage // nil when absent

	// Enum lists the allowed values (string, bool, json.Number or nil);
	// nil when any value of the kind is allowed.
	Enum []any

	Fields []*Field
	Extra  *Shape // shape of fields not in Fields; nil: anything
	Closed bool   // no field outside Fields is allowed
	Cases  []*Case

	Items    *Shape // nil: any items
	MaxItems int    // -1: no limit

	Format    string // "" or "date-time"
	MaxLength int    // in characters; -1: no limit
	Pattern   string // RE2 syntax, unanchored

	Minimum, Maximum json.Number // "": no bound

	AnyOf []*Shape

	conds []*conditional // if/then/else, turned into Cases once loaded
}

// Field is one named field of an object shape.
type Field struct {
	Name     string
	Shape    *Shape
	Required bool // LiveChat guarantees it: missing is an error
	Expected bool // x-lcwh-expected: documented, normally present, missing is a warning
	// Inherited: in a refinement, the field is the refined definition's,
	// unchanged.
	Inherited bool
}

// Field returns the field called name, or nil.
func (s *Shape) Field(name string) *Field {
	for _, f := range s.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Case is one form of an object, picked by what some of its fields hold.
type Case struct {
	When  []Match  // all hold; a field not listed may hold anything
	Apply []*Shape // shapes the object also matches then, in schema order
}

// Match is what one field holds in a Case: one of Values, or nothing (the
// field is absent) when Absent, or, when Except is not nil, any value but
// those in Except.
type Match struct {
	Field  string
	Values []any
	Absent bool
	Except []any
}

// Schema is the resolved view of one API version's schemas.
type Schema struct {
	Version  string
	Defs     map[string]*Shape
	DefNames []string // in defs.json's order
	Actions  []*Action
}

// Action is one webhook action of a version.
type Action struct {
	Name        string
	Category    string
	Description string
	Body        *Shape // the whole webhook: a refinement of the Envelope definition
}

// Action returns the action called name, or nil.
func (s *Schema) Action(name string) *Action {
	for _, a := range s.Actions {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// Resolve follows Refs to the shape they name.
func (s *Schema) Resolve(sh *Shape) *Shape {
	for sh != nil && sh.Kind == Ref {
		sh = s.Defs[sh.Name]
	}
	return sh
}
