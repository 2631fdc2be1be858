package codegen

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/payload/shape"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the generators")

// generators are the three outputs, by golden file name.
var generators = map[string]func(*shape.Schema) ([]byte, error){
	"openapi.json": OpenAPI,
	"webhooks.ts":  TypeScript,
	"webhooks.go":  func(s *shape.Schema) ([]byte, error) { return Go(s, "webhooks") },
}

// TestGolden holds each generator's output for a made-up version
// (testdata/schemas, which uses every form the generators know) to
// testdata/golden; -update rewrites the golden files.
func TestGolden(t *testing.T) {
	sch, err := shape.LoadFS(os.DirFS("testdata/schemas"))
	if err != nil {
		t.Fatal(err)
	}
	for name, gen := range generators {
		got, err := gen(sch)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		path := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (go test ./pkg/codegen -run TestGolden -update rewrites it):\n%s", name, path, firstDiff(got, want))
		}
	}
}

// firstDiff shows the first line where two outputs differ.
func firstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl []byte
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if !bytes.Equal(gl, wl) {
			return fmt.Sprintf("line %d:\n got %s\nwant %s", i+1, gl, wl)
		}
	}
	return ""
}

// TestDeterministic generates every version twice: same bytes.
func TestDeterministic(t *testing.T) {
	for _, v := range payload.Versions() {
		for name, gen := range generators {
			first := generate(t, v, gen)
			if second := generate(t, v, gen); !bytes.Equal(first, second) {
				t.Errorf("API %s %s: two runs differ:\n%s", v, name, firstDiff(first, second))
			}
		}
	}
}

func loadVersion(t *testing.T, version string) *shape.Schema {
	t.Helper()
	sch, err := shape.Load(version)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func generate(t *testing.T, version string, gen func(*shape.Schema) ([]byte, error)) []byte {
	t.Helper()
	b, err := gen(loadVersion(t, version))
	if err != nil {
		t.Fatalf("API %s: %v", version, err)
	}
	return b
}

// nodeTool returns the path of a pinned Node.js tool installed in
// internal/tools/node. Without it the test fails in CI
// (LCWH_REQUIRE_NODE_TOOLS=1, which .ci/run sets after installing it) and
// is skipped elsewhere.
func nodeTool(t *testing.T, name string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "internal", "tools", "node"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "node_modules", ".bin", name)
	if _, err := os.Stat(path); err != nil {
		msg := fmt.Sprintf("%s is not installed: run `npm ci --prefix internal/tools/node` (Node.js 18 or later; .ci/run does)", name)
		if os.Getenv("LCWH_REQUIRE_NODE_TOOLS") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return path
}

// run runs a command in dir and returns its combined output and whether
// it succeeded.
func run(t *testing.T, dir string, env []string, name string, args ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if _, isExit := err.(*exec.ExitError); err != nil && !isExit {
		t.Fatalf("%s: %v", name, err)
	}
	return string(out), err == nil
}
