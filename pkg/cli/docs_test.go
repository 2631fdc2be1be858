package cli

import (
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestCIWorkflowExample keeps the copyable GitHub Actions workflow valid
// YAML, installing lcwh with go install, validating with --format github,
// starting a receiver in the background and testing it with lcwh test,
// and the README showing exactly that file.
func TestCIWorkflowExample(t *testing.T) {
	b, err := os.ReadFile("../../docs/ci/github-actions.yml")
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Run string            `yaml:"run"`
				Env map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(b, &wf); err != nil {
		t.Fatalf("workflow is not YAML: %v", err)
	}
	var runs []string
	for _, j := range wf.Jobs {
		for _, s := range j.Steps {
			runs = append(runs, s.Run)
			// the reproduce commands in the log work when pasted only with a
			// secret lcwh send finds where lcwh test did
			if strings.Contains(s.Run, "lcwh test ") && (strings.Contains(s.Run, "--secret") || s.Env["LCWH_SECRET"] == "") {
				t.Errorf("lcwh test step %q: give the secret in env LCWH_SECRET, not --secret", s.Run)
			}
		}
	}
	all := strings.Join(runs, "\n")
	for _, want := range []string{"go install github.com/lcwh/lcwh/cmd/lcwh@", "lcwh validate --format github ", " &\n", "lcwh test --to http://localhost:3000/"} {
		if !strings.Contains(all, want) {
			t.Errorf("workflow steps lack %q", want)
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), string(b)) {
		t.Error("README.md does not show docs/ci/github-actions.yml as it is: paste it into the 'Use in CI' section")
	}
}
