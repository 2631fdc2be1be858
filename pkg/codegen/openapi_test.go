package codegen

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/pkg/payload"
)

// TestOpenAPIPassesRedoclyLint lints the document of every version with
// redocly's recommended rules: no error, no warning.
func TestOpenAPIPassesRedoclyLint(t *testing.T) {
	redocly := nodeTool(t, "redocly")
	dir := t.TempDir()
	var files []string
	for _, v := range payload.Versions() {
		b := generate(t, v, OpenAPI)
		var doc struct {
			Webhooks   map[string]any `json:"webhooks"`
			Components struct {
				Schemas map[string]any `json:"schemas"`
			} `json:"components"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("API %s: %v", v, err)
		}
		sch := loadVersion(t, v)
		if len(doc.Webhooks) != len(sch.Actions) || len(doc.Components.Schemas) != len(sch.Actions)+len(sch.DefNames) {
			t.Errorf("API %s: %d webhooks and %d schemas for %d actions and %d definitions",
				v, len(doc.Webhooks), len(doc.Components.Schemas), len(sch.Actions), len(sch.DefNames))
		}
		name := filepath.Join(dir, "openapi-"+v+".json")
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	args := append([]string{"lint", "--format=stylish"}, files...)
	out, ok := run(t, dir, []string{"NO_COLOR=1", "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true"}, redocly, args...)
	if !ok || strings.Contains(out, "warning") {
		t.Errorf("redocly lint:\n%s", out)
	}
}
