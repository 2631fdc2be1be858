package payload

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
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
	return r.v.validate(doc, force, r.check)
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
	return leafErrors(ve.InstanceLocation, ve.ErrorKind)
}
