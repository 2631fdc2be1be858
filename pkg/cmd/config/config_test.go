package config_test

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/lcwh/lcwh/pkg/cli"
	configcmd "github.com/lcwh/lcwh/pkg/cmd/config"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/iostreams"
)

// TestStarterIsValid: the starter file parses as it is (all commented),
// and with its examples uncommented every key is one lcwh knows and every
// value passes the checks.
func TestStarterIsValid(t *testing.T) {
	if v, err := cmdutil.ParseConfig("starter", []byte(configcmd.Starter)); err != nil || len(v) != 0 {
		t.Fatalf("starter as written: %v, %v (want no settings)", v, err)
	}
	uncommented := regexp.MustCompile(`(?m)^# ( *[a-z_"*]+:)`).ReplaceAllString(configcmd.Starter, "$1")
	uncommented = regexp.MustCompile(`(?m)^#   - `).ReplaceAllString(uncommented, "  - ")
	values, err := cmdutil.ParseConfig("starter", []byte(uncommented))
	if err != nil {
		t.Fatalf("uncommented starter: %v\n%s", err, uncommented)
	}
	var buf bytes.Buffer
	root := cli.NewCmdRoot(&cmdutil.Factory{IO: &iostreams.IOStreams{In: &buf, Out: &buf, ErrOut: &buf}, Getenv: func(string) string { return "" }})
	known := map[string]bool{}
	for _, s := range cmdutil.TreeSettings(root) {
		known[s.Key] = true
	}
	for _, want := range []string{"api_version", "format", "color", "secrets", "secret_file", "addr", "path", "forward_to", "routes"} {
		if _, ok := values[want]; !ok {
			t.Errorf("starter does not show %s", want)
		}
	}
	for k := range values {
		if !known[k] {
			t.Errorf("starter key %q is not a setting of any command", k)
		}
	}
}
