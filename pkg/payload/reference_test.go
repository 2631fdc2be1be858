package payload

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"path"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/lcwh/lcwh/pkg/payload/schemavm"
)

// reference validates with santhosh-tekuri/jsonschema, the engine lcwh used
// before its schemas were compiled into Go (package schemavm). The
// differential tests hold the compiled validators to it.
type reference struct {
	v        *Validator // the steps around the engine
	compiled *Validator // the compiled engine, shared by the tests
	once     sync.Once
	initErr  error
	mu       sync.Mutex
	c        *jsonschema.Compiler
	schemas  map[string]*jsonschema.Schema
}

var (
	referencesMu sync.Mutex
	references   = map[string]*reference{}
)

// referenceFor returns the (shared) reference engine of an API version.
func referenceFor(t testing.TB, version string) *reference {
	t.Helper()
	referencesMu.Lock()
	defer referencesMu.Unlock()
	if r, ok := references[version]; ok {
		return r
	}
	v, err := NewValidator(version)
	if err != nil {
		t.Fatal(err)
	}
	compiled, _ := NewValidator(version)
	r := &reference{v: v, compiled: compiled, schemas: map[string]*jsonschema.Schema{}}
	references[version] = r
	return r
}

func (r *reference) init() {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	dir := path.Join("schemas", r.v.catalog.Version)
	r.initErr = fs.WalkDir(schemaFiles, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Base(p) == "catalog.json" {
			return err
		}
		b, err := schemaFiles.ReadFile(p)
		if err != nil {
			return err
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return fmt.Errorf("embedded schema %s: %w", p, err)
		}
		return c.AddResource(SchemaBaseURL+r.v.catalog.Version+"/"+path.Base(p), doc)
	})
	r.c = c
}

func (r *reference) schema(action string) (*jsonschema.Schema, error) {
	r.once.Do(r.init)
	if r.initErr != nil {
		return nil, r.initErr
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if s, ok := r.schemas[action]; ok {
		return s, nil
	}
	s, err := r.c.Compile(schemaLocation(r.v.catalog.Version, action))
	if err != nil {
		return nil, err
	}
	r.schemas[action] = s
	return s, nil
}

func (r *reference) check(action string, value any) ([]Error, error) {
	s, err := r.schema(action)
	if err != nil {
		return nil, err
	}
	if err := s.Validate(value); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, err
		}
		return flatten(ve), nil
	}
	return nil, nil
}

// Validate is Validator.Validate run on the reference engine.
func (r *reference) Validate(doc *Document, force string) ([]Error, error) {
	rep, err := r.v.run(doc, Options{Action: force}, r.check, false)
	return rep.Errors, err
}

// flatten turns the error tree into its leaves, the actual failures.
func flatten(ve *jsonschema.ValidationError) []Error {
	if len(ve.Causes) > 0 {
		var out []Error
		for _, c := range ve.Causes {
			out = append(out, flatten(c)...)
		}
		return out
	}
	return failureErrors(failureOf(ve.InstanceLocation, ve.ErrorKind))
}

// failureOf is the schemavm failure for a reference error kind, so both
// engines' failures are worded by the same code.
func failureOf(loc []string, k jsonschema.ErrorKind) schemavm.Failure {
	f := schemavm.Failure{Location: loc}
	switch k := k.(type) {
	case *kind.FalseSchema:
		f.Kind = schemavm.KindFalseSchema
	case *kind.InvalidJsonValue:
		f.Kind, f.Got = schemavm.KindInvalidValue, k.Value
	case *kind.Type:
		f.Kind, f.Got, f.Want = schemavm.KindType, k.Got, k.Want
	case *kind.Const:
		f.Kind, f.Got, f.Want = schemavm.KindConst, k.Got, k.Want
	case *kind.Enum:
		f.Kind, f.Got, f.Want = schemavm.KindEnum, k.Got, k.Want
	case *kind.Format:
		f.Kind, f.Got, f.Want = schemavm.KindFormat, k.Got, k.Want
	case *kind.Required:
		f.Kind, f.Missing = schemavm.KindRequired, k.Missing
	case *kind.MaxItems:
		f.Kind, f.Got, f.Want = schemavm.KindMaxItems, k.Got, k.Want
	case *kind.MaxLength:
		f.Kind, f.Got, f.Want = schemavm.KindMaxLength, k.Got, k.Want
	case *kind.Pattern:
		f.Kind, f.Got, f.Want = schemavm.KindPattern, k.Got, k.Want
	case *kind.Minimum:
		f.Kind, f.Got, f.Want = schemavm.KindMinimum, k.Got, k.Want
	case *kind.Maximum:
		f.Kind, f.Got, f.Want = schemavm.KindMaximum, k.Got, k.Want
	default:
		panic(fmt.Sprintf("reference engine reported %T, which schemavm does not know", k))
	}
	return f
}

// The reference engine and its message catalogue (x/text/message) are for
// these tests only: the lcwh binary must not link them.
func TestBinaryLinksNoReferenceEngine(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-deps", "github.com/lcwh/lcwh/cmd/lcwh").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/santhosh-tekuri/") || strings.HasPrefix(dep, "golang.org/x/text/message") || strings.HasPrefix(dep, "golang.org/x/text/language") {
			t.Errorf("cmd/lcwh links %s", dep)
		}
	}
}
