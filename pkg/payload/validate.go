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
	"github.com/lcwh/lcwh/pkg/suggest"
)

// Error is one finding of validation, located in the source: an error (the
// document breaks what LiveChat guarantees) or a warning.
type Error struct {
	Pointer  string   `json:"pointer"` // JSON Pointer of the instance ("" = the document)
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Keyword  string   `json:"keyword"` // the schema keyword, "syntax" for parse errors
	Message  string   `json:"message"`
	Severity Severity `json:"severity"`
	offset   int
}

// Severity says whether a finding makes a document invalid. The zero
// value is an error.
type Severity uint8

const (
	SeverityError   Severity = iota // LiveChat guarantees otherwise: the document is invalid
	SeverityWarning                 // suspicious, but real traffic may show it: still valid
)

func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// MarshalText writes "error" or "warning".
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads what MarshalText writes.
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "error":
		*s = SeverityError
	case "warning":
		*s = SeverityWarning
	default:
		return fmt.Errorf("severity %q: want error or warning", b)
	}
	return nil
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

// Options choose how a document is checked.
type Options struct {
	Action string // check it as this action instead of its "action" field
	Strict bool   // make warnings errors, and report every unknown property as one
}

// Report is the verdict on one document. Each list is sorted by place in
// the source; Errors is nil when the document is valid.
type Report struct {
	Errors   []Error `json:"errors"`
	Warnings []Error `json:"warnings"`
}

// Check checks a document against the schema of its action. Besides the
// errors it reports warnings, which never make the document invalid: a
// property the schema expects (x-lcwh-expected) is missing, a deprecated
// form is used, or an unknown property looks like a typo of a documented
// one. With Strict, those are errors, and so is every unknown property.
func (v *Validator) Check(doc *Document, opts Options) (Report, error) {
	return v.run(doc, opts, v.check, true)
}

// Validate returns the errors of a document against the schema of its
// action, or of force when not empty: Check without the warnings.
func (v *Validator) Validate(doc *Document, force string) ([]Error, error) {
	r, err := v.run(doc, Options{Action: force}, v.check, false)
	return r.Errors, err
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

// run is Check with the schema engine as a parameter, so tests can run the
// reference engine (which has no warnings) through the same steps.
func (v *Validator) run(doc *Document, opts Options, check func(action string, value any) ([]Error, error), warn bool) (Report, error) {
	obj := doc.Object()
	if obj == nil {
		errs := []Error{{Keyword: "type", Message: fmt.Sprintf("a webhook must be a JSON object, got %s", jsonKind(doc.Value))}}
		locateErrors(doc.Raw, errs, nil)
		return Report{Errors: errs}, nil
	}
	var errs, warnings []Error
	force := opts.Action
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
	// Check walks the value once for validity and warnings; the errors are
	// worded only when it is invalid (or when warnings are not wanted).
	valid := false
	if warn {
		s, err := v.schema(action)
		if err != nil {
			return Report{}, err
		}
		var found []schemavm.Failure
		valid, found = s.Check(doc.Value)
		for _, f := range found {
			e, ok := warningError(f, opts.Strict)
			switch {
			case !ok:
			case opts.Strict:
				errs = append(errs, e)
			default:
				e.Severity = SeverityWarning
				warnings = append(warnings, e)
			}
		}
	}
	if !valid {
		failures, err := check(action, doc.Value)
		if err != nil {
			return Report{}, err
		}
		errs = append(errs, failures...)
	}
	r := Report{Errors: dedupe(errs), Warnings: dedupe(warnings)}
	locateErrors(doc.Raw, r.Errors, r.Warnings)
	return r, nil
}

// dedupe drops the findings that repeat one at the same place (two
// schemas of one value can fail the same way); nil when there are none.
func dedupe(errs []Error) []Error {
	if len(errs) == 0 {
		return nil
	}
	seen := map[string]bool{}
	out := errs[:0]
	for _, e := range errs {
		if k := e.Pointer + "\x00" + e.Message; !seen[k] {
			seen[k] = true
			out = append(out, e)
		}
	}
	return out
}

// warningError words a warning of the schema engine; ok is false for an
// unknown property that looks like no documented one, which only Strict
// reports.
func warningError(f schemavm.Failure, strict bool) (e Error, ok bool) {
	e = Error{Pointer: Pointer(f.Location), Keyword: f.Kind.Keyword()}
	switch f.Kind {
	case schemavm.KindExpected:
		e.Message = fmt.Sprintf("missing expected property %q", f.Missing[0])
	case schemavm.KindDeprecated:
		e.Message = fieldName(f.Location) + " is deprecated"
		if why, _ := f.Want.(string); why != "" {
			e.Message += ": " + why
		}
	case schemavm.KindUnknown:
		name := f.Got.(string)
		if like := suggest.Lookalike(name, f.Want.([]string)); like != "" {
			e.Message = fmt.Sprintf("unknown property %q, did you mean %q?", name, like)
		} else if strict {
			e.Message = fmt.Sprintf("unknown property %q", name)
		} else {
			return e, false
		}
	default:
		return e, false
	}
	return e, true
}

// locateErrors fills in where each finding of the lists is and sorts each
// list by place, in one pass over raw however many there are.
func locateErrors(raw []byte, lists ...[]Error) {
	var ptrs []string
	for _, l := range lists {
		for _, e := range l {
			ptrs = append(ptrs, e.Pointer)
		}
	}
	if len(ptrs) == 0 {
		return
	}
	offsets := LocateAll(raw, ptrs)
	for _, errs := range lists {
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
