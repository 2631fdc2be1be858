package payload

import (
	"fmt"
	"math/big"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/lcwh/lcwh/pkg/payload/schemavm"
)

// Error is one validation failure, located in the source.
type Error struct {
	Pointer string `json:"pointer"` // JSON Pointer of the instance ("" = the document)
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Keyword string `json:"keyword"` // the failing schema keyword, "syntax" for parse errors
	Message string `json:"message"`
	offset  int
}

func (e Error) String() string {
	if e.Pointer == "" {
		return e.Message
	}
	return e.Pointer + ": " + e.Message
}

// SchemaBaseURL prefixes every schema $id; nothing is fetched from it.
const SchemaBaseURL = "https://schemas.lcwh.dev/"

// Validator checks documents against one API version's schemas. Schemas are
// compiled lazily, once, on first use, so a one-file run compiles one schema.
// They are compiled into Go validators (package schemavm); the tests hold
// them to santhosh-tekuri/jsonschema, the reference implementation.
// It is safe for concurrent use.
type Validator struct {
	catalog *Catalog
	mu      sync.Mutex
	c       *schemavm.Compiler
	schemas sync.Map // action -> *schemavm.Schema
}

// NewValidator returns a validator for an API version.
func NewValidator(version string) (*Validator, error) {
	c, err := CatalogFor(version)
	if err != nil {
		return nil, err
	}
	return &Validator{catalog: c}, nil
}

// Catalog returns the catalogue the validator checks against.
func (v *Validator) Catalog() *Catalog { return v.catalog }

// schemaLocation is the $id of an action's schema, or of the bare envelope
// when action is "".
func schemaLocation(version, action string) string {
	if action == "" {
		return SchemaBaseURL + version + "/defs.json#/$defs/Envelope"
	}
	return SchemaBaseURL + version + "/" + action + ".json"
}

// loadSchema reads an embedded schema file by its $id.
func loadSchema(url string) ([]byte, error) {
	rest, ok := strings.CutPrefix(url, SchemaBaseURL)
	if !ok {
		return nil, fmt.Errorf("schema %s is not embedded", url)
	}
	return schemaFiles.ReadFile(path.Join("schemas", rest))
}

// schema compiles (once) and returns the schema of an action, or of the
// bare envelope when action is "".
func (v *Validator) schema(action string) (*schemavm.Schema, error) {
	if s, ok := v.schemas.Load(action); ok {
		return s.(*schemavm.Schema), nil
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if s, ok := v.schemas.Load(action); ok {
		return s.(*schemavm.Schema), nil
	}
	if v.c == nil {
		v.c = schemavm.NewCompiler(loadSchema)
	}
	loc := schemaLocation(v.catalog.Version, action)
	s, err := v.c.Compile(loc)
	if err != nil {
		return nil, fmt.Errorf("compiling schema %s: %w", loc, err)
	}
	v.schemas.Store(action, s)
	return s, nil
}

// Validate checks a document against the schema of its action, or of
// force when not empty. It returns nil when the document is valid; the
// errors are sorted by their place in the source.
func (v *Validator) Validate(doc *Document, force string) ([]Error, error) {
	return v.validate(doc, force, v.check)
}

// check validates a value against the compiled schema of an action ("" =
// the envelope) and words the failures.
func (v *Validator) check(action string, value any) ([]Error, error) {
	s, err := v.schema(action)
	if err != nil {
		return nil, err
	}
	var errs []Error
	for _, f := range s.Validate(value) {
		errs = append(errs, failureErrors(f)...)
	}
	return errs, nil
}

// validate is Validate with the schema engine as a parameter, so tests can
// run the reference engine through the same steps.
func (v *Validator) validate(doc *Document, force string, check func(action string, value any) ([]Error, error)) ([]Error, error) {
	obj := doc.Object()
	if obj == nil {
		errs := []Error{{Keyword: "type", Message: fmt.Sprintf("a webhook must be a JSON object, got %s", jsonKind(doc.Value))}}
		locateErrors(doc.Raw, errs)
		return errs, nil
	}
	var errs []Error
	action := force
	if action == "" {
		action, _ = obj["action"].(string)
	}
	if _, known := v.catalog.Lookup(action); !known {
		if a, isString := obj["action"].(string); force != "" || isString {
			_, err := v.catalog.Require(action)
			e := Error{Keyword: "enum", Message: err.Error()}
			if force == "" || force == a {
				e.Pointer = "/action"
			}
			errs = append(errs, e)
		}
		action = "" // check what can be checked: the envelope
	}
	failures, err := check(action, doc.Value)
	if err != nil {
		return nil, err
	}
	errs = append(errs, failures...)
	if len(errs) == 0 {
		return nil, nil
	}
	seen := map[string]bool{}
	out := errs[:0]
	for _, e := range errs {
		if k := e.Pointer + "\x00" + e.Message; !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	locateErrors(doc.Raw, out)
	return out, nil
}

// locateErrors fills in where each error is and sorts them by place, in
// one pass over raw however many errors there are.
func locateErrors(raw []byte, errs []Error) {
	ptrs := make([]string, len(errs))
	for i, e := range errs {
		ptrs[i] = e.Pointer
	}
	offsets := LocateAll(raw, ptrs)
	for i := range errs {
		errs[i].offset = offsets[errs[i].Pointer]
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].offset < errs[j].offset })
	line, col, at := 1, 1, 0
	for i := range errs {
		line, col = advance(raw, at, errs[i].offset, line, col)
		at = errs[i].offset
		errs[i].Line, errs[i].Column = line, col
	}
}

// failureErrors words one failure of the schema engine.
func failureErrors(f schemavm.Failure) []Error {
	ptr := Pointer(f.Location)
	field := fieldName(f.Location)
	e := Error{Pointer: ptr, Keyword: f.Kind.Keyword()}
	switch f.Kind {
	case schemavm.KindRequired:
		out := make([]Error, len(f.Missing))
		for i, m := range f.Missing {
			out[i] = e
			out[i].Message = fmt.Sprintf("missing required property %q", m)
		}
		return out
	case schemavm.KindType:
		e.Message = fmt.Sprintf("%s must be %s, got %s", field, strings.Join(f.Want.([]string), " or "), f.Got)
	case schemavm.KindEnum:
		enum := f.Want.([]any)
		want := make([]string, len(enum))
		for i, w := range enum {
			want[i] = display(w)
		}
		e.Message = fmt.Sprintf("%s is %s, must be one of %s", field, display(f.Got), strings.Join(want, ", "))
	case schemavm.KindConst:
		e.Message = fmt.Sprintf("%s is %s, must be %s", field, display(f.Got), display(f.Want))
	case schemavm.KindFormat:
		e.Message = fmt.Sprintf("%s is %s, not a valid %s", field, display(f.Got), f.Want)
	case schemavm.KindFalseSchema:
		e.Message = fmt.Sprintf("%s is not allowed here", field)
	case schemavm.KindInvalidValue:
		e.Message = fmt.Sprintf("%s is not a JSON value (%T)", field, f.Got)
	case schemavm.KindMaxItems:
		e.Message = fmt.Sprintf("%s has %d items, at most %d allowed", field, f.Got, f.Want)
	case schemavm.KindMaxLength:
		e.Message = fmt.Sprintf("%s is %d characters long, at most %d allowed", field, f.Got, f.Want)
	case schemavm.KindPattern:
		e.Message = fmt.Sprintf("%s is %s, which does not match %s", field, display(f.Got), f.Want)
	case schemavm.KindMinimum:
		e.Message = fmt.Sprintf("%s is %s, must be at least %s", field, ratString(f.Got), ratString(f.Want))
	case schemavm.KindMaximum:
		e.Message = fmt.Sprintf("%s is %s, must be at most %s", field, ratString(f.Got), ratString(f.Want))
	default:
		e.Message = fmt.Sprintf("%s fails %s", field, e.Keyword)
	}
	return []Error{e}
}

// ratString writes a number as JSON would: 100, 1.5.
func ratString(v any) string {
	r, ok := v.(*big.Rat)
	if !ok {
		return fmt.Sprint(v)
	}
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// fieldName names the value at a location: "reason", "group_ids"[0].
func fieldName(loc []string) string {
	n := len(loc)
	if n == 0 {
		return "the document"
	}
	last := loc[n-1]
	if _, err := strconv.Atoi(last); err == nil && n > 1 {
		return fmt.Sprintf("%q[%s]", loc[n-2], last)
	}
	return fmt.Sprintf("%q", last)
}

func display(v any) string {
	switch v := v.(type) {
	case string:
		if len(v) > 60 {
			v = v[:57] + "..."
		}
		return fmt.Sprintf("%q", v)
	case map[string]any, []any:
		return "an " + jsonKind(v)
	}
	return fmt.Sprint(v)
}

func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return "number"
}
