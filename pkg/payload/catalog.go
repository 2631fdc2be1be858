package payload

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/lcwh/lcwh/pkg/suggest"
)

// schemaFiles holds, per API version, catalog.json, defs.json and one
// schema per action. Adding a version means adding a directory here.
//
//go:embed schemas/*/*.json
var schemaFiles embed.FS

// DefaultVersion is the API version used when none is configured: 3.6,
// LiveChat's current stable version, the one a new integration registers
// its webhooks with (3.7 has the same webhooks).
const DefaultVersion = "3.6"

// Action describes one webhook action of an API version.
type Action struct {
	Name        string `json:"name"`
	Category    string `json:"category"`
	Description string `json:"description"`
	// Replaces names older actions this one took the place of (3.5's
	// auto_accesses_updated for 3.4's auto_access_*).
	Replaces []string `json:"replaces,omitempty"`
}

// Catalog lists the actions of one API version in documentation order.
type Catalog struct {
	Version string   `json:"version"`
	Actions []Action `json:"actions"`
	byName  map[string]int
}

// The catalogues are parsed on first use, one version at a time: a run of
// `lcwh --version` parses none, `lcwh validate` only the version it checks.
var (
	// versions lists the embedded versions (directories with a
	// catalog.json), oldest first, with a lazily parsed catalogue each.
	versions = sync.OnceValue(func() []lazyCatalog {
		dirs, err := fs.ReadDir(schemaFiles, "schemas")
		if err != nil {
			panic(err) // the embedded tree is part of the binary
		}
		var out []lazyCatalog
		for _, d := range dirs {
			if _, err := fs.Stat(schemaFiles, path.Join("schemas", d.Name(), "catalog.json")); err != nil {
				continue
			}
			v := d.Name()
			out = append(out, lazyCatalog{v, sync.OnceValue(func() *Catalog { return parseCatalog(v) })})
		}
		sort.Slice(out, func(i, j int) bool { return versionLess(out[i].version, out[j].version) })
		return out
	})
	versionNames = sync.OnceValue(func() []string {
		var vs []string
		for _, l := range versions() {
			vs = append(vs, l.version)
		}
		return vs
	})
)

type lazyCatalog struct {
	version string
	get     func() *Catalog
}

// catalog returns the parsed catalogue of version, or false if lcwh has
// no schemas for it. Every read of the catalogues goes through here.
func catalog(version string) (*Catalog, bool) {
	for _, l := range versions() {
		if l.version == version {
			return l.get(), true
		}
	}
	return nil, false
}

// parseCatalog parses the embedded catalogue of one version.
func parseCatalog(version string) *Catalog {
	b, err := schemaFiles.ReadFile(path.Join("schemas", version, "catalog.json"))
	if err != nil {
		panic(err) // listed by versions, so embedded
	}
	var c Catalog
	if err := json.Unmarshal(b, &c); err != nil {
		panic(fmt.Sprintf("embedded catalog %s: %v", version, err))
	}
	if c.Version != version {
		panic(fmt.Sprintf("embedded catalog %s says version %q", version, c.Version))
	}
	c.byName = make(map[string]int, len(c.Actions))
	for i, a := range c.Actions {
		c.byName[a.Name] = i
	}
	return &c
}

// loadCatalogs parses every embedded catalogue: the work the lazy loading
// above spreads out (BenchmarkCatalogInit measures it).
func loadCatalogs() map[string]*Catalog {
	m := map[string]*Catalog{}
	for _, v := range Versions() {
		m[v] = parseCatalog(v)
	}
	return m
}

// Versions returns the supported API versions, oldest first.
func Versions() []string {
	return slices.Clone(versionNames())
}

func versionLess(a, b string) bool {
	var am, an, bm, bn int
	fmt.Sscanf(a, "%d.%d", &am, &an)
	fmt.Sscanf(b, "%d.%d", &bm, &bn)
	if am != bm {
		return am < bm
	}
	return an < bn
}

// UnknownVersionError reports an API version lcwh has no schemas for.
type UnknownVersionError struct{ Version string }

func (e *UnknownVersionError) Error() string {
	return fmt.Sprintf("unknown API version %q (supported: %s)", e.Version, strings.Join(Versions(), ", "))
}

// CatalogFor returns the catalogue of an API version.
func CatalogFor(version string) (*Catalog, error) {
	c, ok := catalog(version)
	if !ok {
		return nil, &UnknownVersionError{version}
	}
	return c, nil
}

// Lookup finds an action by name.
func (c *Catalog) Lookup(name string) (Action, bool) {
	i, ok := c.byName[name]
	if !ok {
		return Action{}, false
	}
	return c.Actions[i], true
}

// Names returns the action names in catalogue order.
func (c *Catalog) Names() []string {
	names := make([]string, len(c.Actions))
	for i, a := range c.Actions {
		names[i] = a.Name
	}
	return names
}

// UnknownActionError reports an action name that is not in a version's catalogue.
type UnknownActionError struct {
	Name       string
	Version    string
	Closest    []string // nearest known names, best first
	Others     []string // other versions that have the action
	ReplacedBy string   // the action of this version that took its place, if any
}

func (e *UnknownActionError) Error() string {
	others := strings.Join(e.Others, ", ")
	switch {
	case len(e.Others) == 0 && len(e.Closest) > 0:
		return fmt.Sprintf("unknown action %q in API %s; did you mean %s?", e.Name, e.Version, strings.Join(e.Closest, ", "))
	case len(e.Others) == 0:
		return fmt.Sprintf("unknown action %q in API %s", e.Name, e.Version)
	case versionLess(e.Others[len(e.Others)-1], e.Version) && e.ReplacedBy != "":
		return fmt.Sprintf("%s was replaced by %s in API %s; it exists in %s", e.Name, e.ReplacedBy, nextVersion(e.Others[len(e.Others)-1]), others)
	case versionLess(e.Others[len(e.Others)-1], e.Version):
		return fmt.Sprintf("%s was removed in API %s; it exists in %s", e.Name, nextVersion(e.Others[len(e.Others)-1]), others)
	case versionLess(e.Version, e.Others[0]):
		return fmt.Sprintf("%s was added in API %s; it exists in %s", e.Name, e.Others[0], others)
	}
	return fmt.Sprintf("%s is not in API %s; it exists in %s", e.Name, e.Version, others)
}

// nextVersion returns the supported version after v.
func nextVersion(v string) string {
	vs := Versions()
	for i, x := range vs {
		if x == v && i+1 < len(vs) {
			return vs[i+1]
		}
	}
	return v
}

// Require returns the action or an *UnknownActionError naming close matches
// and the versions that do have it.
func (c *Catalog) Require(name string) (Action, error) {
	if a, ok := c.Lookup(name); ok {
		return a, nil
	}
	e := &UnknownActionError{Name: name, Version: c.Version, Closest: c.Closest(name, 3), Others: VersionsWith(name)}
	for _, a := range c.Actions {
		if slices.Contains(a.Replaces, name) {
			e.ReplacedBy = a.Name
		}
	}
	return Action{}, e
}

// VersionsWith returns the API versions whose catalogue has the action, oldest first.
func VersionsWith(action string) []string {
	var out []string
	for _, v := range versionNames() {
		if c, _ := catalog(v); c != nil {
			if _, ok := c.Lookup(action); ok {
				out = append(out, v)
			}
		}
	}
	return out
}

// Closest returns up to n known action names nearest to name.
func (c *Catalog) Closest(name string, n int) []string {
	type cand struct {
		name string
		dist int
	}
	var cs []cand
	for _, a := range c.Actions {
		d := suggest.Distance(name, a.Name)
		if strings.Contains(a.Name, name) || strings.Contains(name, a.Name) {
			d = min(d, 2)
		}
		if d <= max(3, len(name)/3) {
			cs = append(cs, cand{a.Name, d})
		}
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].dist < cs[j].dist })
	var out []string
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, cs[i].name)
	}
	return out
}

// SchemaFile returns the raw JSON Schema of an action ("defs" for the shared definitions).
func SchemaFile(version, name string) ([]byte, error) {
	if _, err := CatalogFor(version); err != nil {
		return nil, err
	}
	return schemaFiles.ReadFile(path.Join("schemas", version, name+".json"))
}
