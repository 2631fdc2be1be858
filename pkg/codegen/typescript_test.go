package codegen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/internal/jsonmut"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/payload/shape"
)

// expressible are the failures TypeScript's types can express: a body
// with one of them must not compile; a body with none must.
var expressible = []string{"required", "type", "enum", "const"}

// TestTypeScriptCompilesExactlyTheValidBodies compiles, in one tsc
// --strict program, the generated module of every version with every
// fixture and its one-defect variants as `const x: Webhook = {...}`. Each
// body lcwh validate accepts must compile; each it rejects for a missing
// required field, a wrong type or a value outside an enum must not. (A
// body rejected only for what TypeScript cannot say, such as a date-time
// format or a length, is not checked.)
func TestTypeScriptCompilesExactlyTheValidBodies(t *testing.T) {
	tsc := nodeTool(t, "tsc")
	dir := t.TempDir()
	type body struct {
		version, action, what string
		bad                   bool
	}
	expect := map[string]body{} // by "file:line"
	var checkedVersions []string
	for _, v := range payload.Versions() {
		vdir := filepath.Join(dir, "v"+strings.ReplaceAll(v, ".", "_"))
		if err := os.MkdirAll(vdir, 0o755); err != nil {
			t.Fatal(err)
		}
		sch := loadVersion(t, v)
		if err := os.WriteFile(filepath.Join(vdir, "webhooks.ts"), generate(t, v, TypeScript), 0o644); err != nil {
			t.Fatal(err)
		}
		validator, err := payload.NewValidator(v)
		if err != nil {
			t.Fatal(err)
		}
		swaps := sch.CaseValues()
		// a version with the schemas and fixtures of one already checked
		// (3.7 and 3.6) gets its fixtures compiled, not their variants again
		print := fingerprint(t, sch)
		repeat := slices.Contains(checkedVersions, print)
		checkedVersions = append(checkedVersions, print)
		types, err := actionTypes(sch)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range sch.Actions {
			raw, err := fixtures.Get(v, a.Name)
			if err != nil {
				t.Fatal(err)
			}
			doc := decodeJSON(t, raw)
			var src bytes.Buffer
			fmt.Fprintf(&src, "import type { Webhook, %s } from \"./webhooks\";\n", types[a.Name])
			line := 1
			bodies := []jsonmut.Mutant{{What: "the fixture", Value: doc}}
			if !repeat {
				bodies = append(bodies, jsonmut.Mutants(jsonmut.Thin(doc), swaps)...)
			}
			for i, m := range bodies {
				b, err := json.Marshal(m.Value)
				if err != nil {
					t.Fatal(err)
				}
				d, err := payload.Decode(b)
				if err != nil {
					t.Fatal(err)
				}
				errs, err := validator.Validate(d, "")
				if err != nil {
					t.Fatal(err)
				}
				bad := slices.ContainsFunc(errs, func(e payload.Error) bool { return slices.Contains(expressible, e.Keyword) })
				switch {
				case !bad && len(errs) > 0:
					continue // wrong only in a way TypeScript cannot say
				case !bad && m.Kind == jsonmut.UnknownString:
					continue // any string is a string: nothing to check
				case bad && m.Kind == jsonmut.Swap && !slices.ContainsFunc(errs, func(e payload.Error) bool { return e.Keyword != "enum" && e.Keyword != "const" }):
					continue // a value its enum lacks: the unknown string checks that
				}
				if i == 0 && bad {
					t.Fatalf("API %s %s: the fixture is invalid: %v", v, a.Name, errs)
				}
				// the fixture as any webhook, its variants as their action's
				// (which is half the work for tsc)
				typ := types[a.Name]
				if i == 0 {
					typ = "Webhook"
				}
				line++
				fmt.Fprintf(&src, "export const m%d: %s = %s;\n", i, typ, b)
				expect[filepath.Base(vdir)+"/"+a.Name+".ts:"+strconv.Itoa(line)] = body{v, a.Name, m.What, bad}
			}
			if err := os.WriteFile(filepath.Join(vdir, a.Name+".ts"), src.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	config := `{"compilerOptions": {"strict": true, "noEmit": true, "target": "es2022", "module": "esnext",
		"moduleResolution": "bundler", "skipLibCheck": true, "types": []}, "include": ["**/*.ts"]}`
	if err := os.WriteFile(filepath.Join(dir, "tsconfig.json"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := run(t, dir, nil, tsc, "-p", ".", "--pretty", "false")
	failing := map[string]string{}
	tsError := regexp.MustCompile(`^(\S+)\((\d+),\d+\): error (.*)$`)
	for _, l := range strings.Split(out, "\n") {
		m := tsError.FindStringSubmatch(l)
		switch {
		case m == nil:
			if strings.TrimSpace(l) != "" && !strings.HasPrefix(l, " ") {
				t.Errorf("tsc: %s", l)
			}
		case filepath.Base(m[1]) == "webhooks.ts":
			t.Errorf("the generated module does not compile: %s", l)
		default:
			key := filepath.ToSlash(m[1]) + ":" + m[2]
			if _, ok := expect[key]; !ok {
				t.Errorf("tsc error outside a body: %s", l)
			}
			failing[key] = m[3]
		}
	}
	checked, reported := 0, 0
	keys := make([]string, 0, len(expect))
	for k := range expect {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b := expect[k]
		msg, failed := failing[k]
		checked++
		switch {
		case b.bad && !failed:
			t.Errorf("API %s %s, %s: lcwh rejects it, but it compiles as a Webhook", b.version, b.action, b.what)
		case !b.bad && failed:
			t.Errorf("API %s %s, %s: valid, but does not compile: %s", b.version, b.action, b.what, msg)
		default:
			continue
		}
		if reported++; reported == 30 {
			t.Fatal("too many failures")
		}
	}
	t.Logf("%d bodies compiled as lcwh validates them", checked)
}

// fingerprint is what a version's generated code depends on, without the
// version's name: its schemas (as JSON Schema) and its fixtures.
func fingerprint(t *testing.T, sch *shape.Schema) string {
	var b strings.Builder
	ref := func(name string) string { return name }
	for _, name := range sch.DefNames {
		b.Write(sch.JSONSchema(sch.Defs[name], ref))
	}
	for _, a := range sch.Actions {
		b.Write(sch.JSONSchema(a.Body, ref))
		raw, err := fixtures.Get(sch.Version, a.Name)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(raw)
	}
	return b.String()
}

func decodeJSON(t *testing.T, raw []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
