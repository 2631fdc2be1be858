package payload_test

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/payload"
)

// Every catalogue action of every version has a fixture, every fixture is a
// catalogue action, and every fixture validates under its own version.
func TestCatalogueFixturesSchemasAgree(t *testing.T) {
	counts := map[string]int{"3.4": 36, "3.5": 37, "3.6": 38, "3.7": 38}
	if got := payload.Versions(); !slices.Equal(got, []string{"3.4", "3.5", "3.6", "3.7"}) {
		t.Fatalf("Versions() = %v", got)
	}
	for _, version := range payload.Versions() {
		c, err := payload.CatalogFor(version)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Actions) != counts[version] {
			t.Errorf("API %s has %d actions, the contract says %d", version, len(c.Actions), counts[version])
		}
		v, err := payload.NewValidator(version)
		if err != nil {
			t.Fatal(err)
		}
		files, err := fs.ReadDir(fixtures.FS(), "v"+version)
		if err != nil {
			t.Fatal(err)
		}
		var fixtureActions []string
		for _, f := range files {
			fixtureActions = append(fixtureActions, strings.TrimSuffix(f.Name(), ".json"))
		}
		for _, a := range c.Actions {
			if a.Category == "" || a.Description == "" {
				t.Errorf("%s %s: missing category or description", version, a.Name)
			}
			if _, err := payload.SchemaFile(version, a.Name); err != nil {
				t.Errorf("%s %s: no schema: %v", version, a.Name, err)
			}
			if !slices.Contains(fixtureActions, a.Name) {
				t.Errorf("%s %s: no fixture", version, a.Name)
			}
		}
		for _, name := range fixtureActions {
			t.Run(path.Join(version, name), func(t *testing.T) {
				if _, ok := c.Lookup(name); !ok {
					t.Fatalf("fixture %s is not an action of API %s", name, version)
				}
				raw, err := fixtures.Get(version, name)
				if err != nil {
					t.Fatal(err)
				}
				doc, err := payload.Decode(raw)
				if err != nil {
					t.Fatal(err)
				}
				if doc.Envelope.Action != name {
					t.Errorf("action field %q, file name %q", doc.Envelope.Action, name)
				}
				if doc.Envelope.SecretKey != "lcwh-example-secret" {
					t.Errorf("secret_key %q is not the placeholder", doc.Envelope.SecretKey)
				}
				errs, err := v.Validate(doc, "")
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range errs {
					t.Errorf("%d:%d: %s", e.Line, e.Column, e)
				}
			})
		}
	}
}

// LocateAll finds every value of every fixture where Locate does.
func TestLocateAllAgreesWithLocate(t *testing.T) {
	for _, version := range payload.Versions() {
		c, _ := payload.CatalogFor(version)
		for _, action := range c.Names() {
			raw, _ := fixtures.Get(version, action)
			doc, _ := payload.Decode(raw)
			var ptrs []string
			walk(doc.Value, nil, func(n node) { ptrs = append(ptrs, payload.Pointer(n.path)) })
			ptrs = append(ptrs, "/payload/no_such_field", "/nope/deeper")
			got := payload.LocateAll(raw, ptrs)
			for _, p := range ptrs {
				if want := payload.Locate(raw, payload.SplitPointer(p)); got[p] != want {
					t.Errorf("%s %s %q: LocateAll %d, Locate %d", version, action, p, got[p], want)
				}
			}
		}
	}
}
