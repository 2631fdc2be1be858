package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lcwh/lcwh/pkg/cli"
	"github.com/lcwh/lcwh/pkg/iostreams"
)

var update = flag.Bool("update", false, "rewrite the expected output in the scripts")

// TestMain makes the test binary double as the real lcwh binary: scripts
// run `exec lcwh ...` as a separate process, exactly as a user would.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"lcwh":      func() { os.Exit(cli.Main(os.Args[1:], iostreams.System(), os.Getenv)) },
		"killafter": func() { os.Exit(killAfter()) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script.
func TestScripts(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("FIXTURES", filepath.Join(repo, "fixtures"))
			env.Setenv("NO_COLOR", "")
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(env.WorkDir, ".config"))
			env.Setenv("LCWH_UI_ADDR", "127.0.0.1:0") // listen's web inspector: any free port, so scripts run in parallel
			return nil
		},
		Cmds:      scriptCommands(),
		Condition: scriptCondition,
	})
}
