package config_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/lcwh/lcwh/pkg/cli"
	configcmd "github.com/lcwh/lcwh/pkg/cmd/config"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/config"
	"github.com/lcwh/lcwh/pkg/iostreams"
)

// TestStarterIsValid: the starter file parses as it is (all commented),
// and with its examples uncommented every key is one lcwh knows and
// every command accepts every value (config show reports no problem).
func TestStarterIsValid(t *testing.T) {
	if f, err := config.Parse("starter", []byte(configcmd.Starter)); err != nil || len(f.Keys) != 0 {
		t.Fatalf("starter as written: %v (want no settings)", err)
	}
	uncommented := regexp.MustCompile(`(?m)^# ( *[a-z_"*]+:)`).ReplaceAllString(configcmd.Starter, "$1")
	uncommented = regexp.MustCompile(`(?m)^#   - `).ReplaceAllString(uncommented, "  - ")
	file, err := config.Parse("starter", []byte(uncommented))
	if err != nil {
		t.Fatalf("uncommented starter: %v\n%s", err, uncommented)
	}
	for _, want := range []string{"api_version", "format", "color", "secrets", "secret_file", "addr", "path", "forward_to", "routes"} {
		if _, ok := file.Value(want); !ok && want != "routes" || want == "routes" && len(file.Routes) == 0 {
			t.Errorf("starter does not show %s", want)
		}
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "starter.yaml")
	if err := os.WriteFile(path, []byte(uncommented), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".lcwh-secrets"), []byte("s3cr3t\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ios, _, out, errOut := iostreams.Test()
	root := cli.NewCmdRoot(&cmdutil.Factory{IO: ios, Getenv: func(string) string { return "" }})
	root.SetArgs([]string{"config", "show", "--config", path})
	if err := root.Execute(); err != nil || errOut.Len() > 0 {
		t.Fatalf("config show of the uncommented starter: %v\n%s%s", err, out, errOut)
	}
}
