package payload_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/pkg/payload"
)

// The decision table of schemas/README.md is the record of what LiveChat
// guarantees (R), documents without guaranteeing (E), leaves optional (O)
// or deprecated (D), field by field. These tests hold the schemas to it.

// decisions maps structure -> field -> R, E, O or D for one version.
type decisions map[string]map[string]string

// decisionsOf computes the decisions of every structure of a version's
// schemas: each $defs entry, each action's envelope-level fields, its
// payload object and the objects written inside it. views are the
// structures that only add required or expected fields to another.
func decisionsOf(t *testing.T, version string) (out decisions, views map[string]bool) {
	t.Helper()
	g := &generator{t: t, version: version, files: map[string]map[string]any{}}
	out, views = decisions{}, map[string]bool{}
	add := func(name string, s map[string]any, file string) {
		out[name] = fieldDecisions(g, located{s, file})
		_, hasProps := s["properties"]
		_, hasRef := s["$ref"]
		views[name] = !hasProps && hasRef
	}
	c, err := payload.CatalogFor(version)
	if err != nil {
		t.Fatal(err)
	}
	defs := g.file("defs.json")["$defs"].(map[string]any)
	for name, s := range defs {
		s := s.(map[string]any)
		if s["properties"] != nil || s["required"] != nil || s["x-lcwh-expected"] != nil {
			add(name, s, "defs.json")
		}
	}
	for _, action := range c.Names() {
		file := action + ".json"
		a := g.file(file)
		root := map[string]any{"properties": map[string]any{}}
		for _, k := range []string{"required", "x-lcwh-expected"} {
			if v, ok := a[k]; ok {
				root[k] = v
			}
		}
		for k, v := range a["properties"].(map[string]any) {
			if k != "action" && k != "payload" {
				root["properties"].(map[string]any)[k] = v
			}
		}
		out[action] = fieldDecisions(g, located{root, file})
		p := a["properties"].(map[string]any)["payload"].(map[string]any)
		if p["type"] == "object" || p["required"] != nil || p["properties"] != nil {
			add(action+".payload", p, file)
			props, _ := p["properties"].(map[string]any)
			for f, ps := range props {
				if ps, ok := ps.(map[string]any); ok && ps["type"] == "object" && ps["properties"] != nil {
					add(action+".payload."+f, ps, file)
				}
			}
		}
	}
	return out, views
}

// fieldDecisions reads the decisions of one structure from the schemas it
// applies in place: itself, its $refs, its allOf members, and the then
// branches written inside it (a then that $refs another structure, such
// as an event type's, belongs to that structure).
func fieldDecisions(g *generator, l located) map[string]string {
	var set []located
	var walk func(l located, top bool)
	walk = func(l located, top bool) {
		set = append(set, l)
		if ref, ok := l.s["$ref"].(string); ok {
			walk(g.resolve(ref, l.file), false)
		}
		for _, sub := range list(l.s["allOf"]) {
			if _, ok := sub["if"]; ok {
				if then, ok := sub["then"].(map[string]any); ok && then["$ref"] == nil {
					set = append(set, located{then, l.file})
				}
				continue
			}
			walk(located{sub, l.file}, false)
		}
		if then, ok := l.s["then"].(map[string]any); ok && top && l.s["if"] != nil && then["$ref"] == nil {
			set = append(set, located{then, l.file})
		}
	}
	walk(l, true)
	out := map[string]string{}
	for _, x := range set {
		props, _ := x.s["properties"].(map[string]any)
		for name, ps := range props {
			if _, ok := out[name]; !ok {
				out[name] = "O"
			}
			if ps, ok := ps.(map[string]any); ok && ps["deprecated"] == true {
				out[name] = "D"
			}
		}
	}
	for _, x := range set {
		for _, name := range names(x.s["x-lcwh-expected"]) {
			if out[name] != "R" {
				out[name] = "E"
			}
		}
	}
	for _, x := range set {
		for _, name := range names(x.s["required"]) {
			out[name] = "R"
		}
	}
	return out
}

// tableRow is one row of the decision table.
type tableRow struct {
	line             int
	structure, field string
	cells            map[string]string // version -> R, E, O, D or – (not in that version)
}

var tableVersions = []string{"3.4", "3.5", "3.6"} // the columns; 3.7 = 3.6

func readDecisionTable(t *testing.T) []tableRow {
	t.Helper()
	b, err := os.ReadFile(path.Join("schemas", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := bytes.Cut(b, []byte("\n## Decision table\n"))
	if !ok {
		t.Fatal("schemas/README.md has no ## Decision table")
	}
	first := bytes.Count(b[:len(b)-len(table)], []byte("\n")) + 1
	row := regexp.MustCompile("^\\| ([\\w.]+) \\| `(\\w+)` \\| ([REOD–]) \\| ([REOD–]) \\| ([REOD–]) \\| (.*\\S) \\|$")
	var rows []tableRow
	for i, l := range strings.Split(string(table), "\n") {
		if !strings.HasPrefix(l, "| ") || strings.HasPrefix(l, "| structure ") {
			continue
		}
		m := row.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("README.md:%d: not a decision row: %s", first+i, l)
			continue
		}
		rows = append(rows, tableRow{first + i, m[1], m[2], map[string]string{"3.4": m[3], "3.5": m[4], "3.6": m[5]}})
	}
	if len(rows) < 100 {
		t.Fatalf("only %d decision rows", len(rows))
	}
	return rows
}

func TestDecisionTable(t *testing.T) {
	rows := readDecisionTable(t)
	byKey := map[string]tableRow{}
	for _, r := range rows {
		k := r.structure + " " + r.field
		if prev, dup := byKey[k]; dup {
			t.Errorf("README.md:%d: %s repeats line %d", r.line, k, prev.line)
		}
		byKey[k] = r
	}
	for _, v := range tableVersions {
		schema, views := decisionsOf(t, v)
		// Every field of the schemas has its row, with this decision.
		for s, fields := range schema {
			for f, d := range fields {
				r, ok := byKey[s+" "+f]
				switch {
				case !ok && views[s] && (d == "O" || d == "D"):
				case !ok:
					t.Errorf("%s: %s.%s is %s in the schemas and has no row in the decision table", v, s, f, d)
				case r.cells[v] != d:
					t.Errorf("README.md:%d: %s.%s is %s in the table, %s in the %s schemas", r.line, s, f, r.cells[v], d, v)
				}
			}
		}
		// Every row names a field of the schemas (or says it is not in the version).
		for _, r := range rows {
			if _, ok := schema[r.structure][r.field]; !ok && r.cells[v] != "–" {
				t.Errorf("README.md:%d: %s.%s is %s for %s, but the %s schemas have no such field", r.line, r.structure, r.field, r.cells[v], v, v)
			}
		}
	}
}

// 3.7 has the webhooks of 3.6 (the pages differ only in their links): its
// schemas are 3.6's but for their $id and title.
func TestSchemas37Are36(t *testing.T) {
	c, _ := payload.CatalogFor("3.6")
	for _, name := range append(c.Names(), "defs", "catalog") {
		a, err := payload.SchemaFile("3.6", name)
		if err != nil {
			t.Fatal(err)
		}
		b, err := payload.SchemaFile("3.7", name)
		if err != nil {
			t.Fatal(err)
		}
		var sa, sb map[string]any
		if err := json.Unmarshal(a, &sa); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &sb); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"$id", "title", "version"} {
			if sa[k] != nil {
				sb[k] = strings.ReplaceAll(fmt.Sprint(sb[k]), "3.7", "3.6")
			}
		}
		if ja, jb := mustJSON(sa), mustJSON(sb); ja != jb {
			t.Errorf("3.7/%s.json is not 3.6's", name)
		}
	}
	if !slices.Equal(func() []string { c, _ := payload.CatalogFor("3.7"); return c.Names() }(), c.Names()) {
		t.Error("3.7 and 3.6 list different actions")
	}
}
