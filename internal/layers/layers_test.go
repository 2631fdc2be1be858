// Package layers holds the test that keeps lcwh's dependencies pointing
// one way (docs/architecture.md draws them):
//
//	assembly   cmd/lcwh, pkg/cli, internal/..., bench/...
//	commands   pkg/cmd/<name>        (never one another)
//	support    pkg/cmdflags, pkg/cmdutil, pkg/config
//	domain     pkg/<everything else> (may use one another)
//	payload    pkg/payload/..., fixtures
//	base       pkg/iostreams, pkg/build, pkg/junit, pkg/suggest (no lcwh imports)
//
// A package imports only from its own layer or lower ones, with three
// sharper rules: commands do not import commands, cmdutil imports no
// domain (nor payload), and nothing below support links cobra or pflag.
// The rules hold for every chain of imports, not only the direct ones:
// cmdutil imports config, so config knows no LiveChat either.
package layers

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/lcwh/lcwh/"

const (
	base = iota
	payloadLayer
	domain
	support
	commands
	assembly
)

var layerNames = []string{"base", "payload", "domain", "support", "commands", "assembly"}

func layerOf(pkg string) int {
	switch {
	case slices.Contains([]string{"pkg/iostreams", "pkg/build", "pkg/junit", "pkg/suggest"}, pkg):
		return base
	case pkg == "pkg/payload" || strings.HasPrefix(pkg, "pkg/payload/") || pkg == "fixtures":
		return payloadLayer
	case slices.Contains([]string{"pkg/cmdflags", "pkg/cmdutil", "pkg/config"}, pkg):
		return support
	case strings.HasPrefix(pkg, "pkg/cmd/"):
		return commands
	case pkg == "pkg/cli" || strings.HasPrefix(pkg, "cmd/") || strings.HasPrefix(pkg, "internal/") || strings.HasPrefix(pkg, "bench/"):
		return assembly
	}
	return domain
}

// cobraLike are the command-line libraries only support and above link.
var cobraLike = []string{"github.com/spf13/cobra", "github.com/spf13/pflag"}

// exceptions are the imports against the direction not fixed yet, each
// with why; the test fails when one is no longer needed, so the list
// only shrinks.
var exceptions = map[string]string{}

// TestDependenciesPointDown checks every import of every non-test file.
func TestDependenciesPointDown(t *testing.T) {
	imports := map[string]map[string]bool{} // package -> imports
	root := "../.."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (name == "testdata" || strings.HasPrefix(name, ".") || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := filepath.ToSlash(rel)
		if imports[pkg] == nil {
			imports[pkg] = map[string]bool{}
		}
		for _, spec := range f.Imports {
			p, _ := strconv.Unquote(spec.Path.Value)
			imports[pkg][p] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(imports) < 20 {
		t.Fatalf("found only %d packages", len(imports))
	}
	used := map[string]bool{}
	pkgs := make([]string, 0, len(imports))
	for p := range imports {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, pkg := range pkgs {
		for imp := range imports[pkg] {
			if why := violation(pkg, imp); why != "" {
				edge := pkg + " -> " + strings.TrimPrefix(imp, module)
				if _, ok := exceptions[edge]; ok {
					used[edge] = true
					continue
				}
				t.Errorf("%s: %s", edge, why)
			}
		}
		// what pkg links through the packages it imports: "cmdutil knows
		// no LiveChat" holds only if config, which it imports, knows none
		for imp, path := range reachable(imports, pkg) {
			if why := violation(pkg, imp); why != "" && !imports[pkg][imp] {
				t.Errorf("%s: %s", strings.Join(path, " -> "), why)
			}
		}
	}
	for edge := range exceptions {
		if !used[edge] {
			t.Errorf("exception %q is no longer needed: remove it", edge)
		}
	}
}

// reachable maps every lcwh package pkg imports through others (its
// module path) to one chain of imports that leads there.
func reachable(imports map[string]map[string]bool, pkg string) map[string][]string {
	out := map[string][]string{}
	queue := [][]string{{pkg}}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		for imp := range imports[path[len(path)-1]] {
			target, ok := strings.CutPrefix(imp, module)
			if _, seen := out[imp]; !ok || seen || target == pkg {
				continue
			}
			next := append(slices.Clone(path), target)
			out[imp] = next
			queue = append(queue, next)
		}
	}
	return out
}

// violation says why pkg may not import imp, or "".
func violation(pkg, imp string) string {
	from := layerOf(pkg)
	if slices.Contains(cobraLike, imp) && from < support {
		return "only support, commands and assembly use the command-line libraries"
	}
	if !strings.HasPrefix(imp, module) {
		return ""
	}
	target := strings.TrimPrefix(imp, module)
	to := layerOf(target)
	switch {
	case to > from:
		return "a " + layerNames[from] + " package imports a " + layerNames[to] + " package"
	case from == base && to == base:
		return "base packages import no lcwh package"
	case from == commands && to == commands:
		return "a command imports another command: move what they share into a domain or support package"
	case pkg == "pkg/cmdutil" && to != base && target != "pkg/config":
		return "cmdutil knows no LiveChat: domain-aware helpers go into pkg/cmdflags"
	}
	return ""
}

// TestViolation keeps the rules themselves honest.
func TestViolation(t *testing.T) {
	for _, tt := range []struct {
		pkg, imp string
		bad      bool
	}{
		{"pkg/render", module + "pkg/cmdutil", true},
		{"pkg/render", module + "pkg/iostreams", false},
		{"pkg/render", "github.com/spf13/cobra", true},
		{"pkg/cmd/replay", module + "pkg/cmd/send", true},
		{"pkg/cmd/replay", module + "pkg/report", false},
		{"pkg/cmdutil", module + "pkg/payload", true},
		{"pkg/cmdutil", module + "pkg/config", false},
		{"pkg/cmdflags", module + "pkg/payload", false},
		{"pkg/iostreams", module + "pkg/build", true},
		{"pkg/payload", module + "pkg/record", true},
		{"pkg/inspect", module + "pkg/listen", false},
		{"pkg/cli", module + "pkg/cmd/send", false},
	} {
		if got := violation(tt.pkg, tt.imp) != ""; got != tt.bad {
			t.Errorf("%s -> %s: violation %v, want %v", tt.pkg, tt.imp, got, tt.bad)
		}
	}
}
