// Package cmdtest helps the tests of commands built as NewCmdX(f, runF):
// a Factory over buffers and an empty configuration, and argv -> options
// without a process.
package cmdtest

import (
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/iostreams"
)

// Factory returns a factory whose streams are buffers and whose
// environment is env, with XDG_CONFIG_HOME an empty folder, so no config
// file of the machine is read (run the test in a folder without .lcwh.yaml).
func Factory(t testing.TB, env map[string]string) *cmdutil.Factory {
	vars := map[string]string{"XDG_CONFIG_HOME": t.TempDir()}
	for k, v := range env {
		vars[k] = v
	}
	ios, _, _, _ := iostreams.Test()
	return &cmdutil.Factory{IO: ios, Getenv: func(k string) string { return vars[k] }}
}

// Parse builds the command with newCmd, runs it with args and returns the
// options its runF received, or the error that stopped it before.
func Parse[O any](t testing.TB, newCmd func(*cmdutil.Factory, func(*O) error) *cobra.Command, env map[string]string, args ...string) (*O, error) {
	t.Helper()
	var got *O
	cmd := newCmd(Factory(t, env), func(o *O) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	return got, cmd.Execute()
}

// Case is a command line and what it should give: options that pass
// Check, or an error containing WantErr.
type Case[O any] struct {
	Args    []string
	Check   func(*O) bool
	WantErr string
}

// Cases runs each case through Parse with env.
func Cases[O any](t *testing.T, newCmd func(*cmdutil.Factory, func(*O) error) *cobra.Command, env map[string]string, cases []Case[O]) {
	t.Helper()
	for _, c := range cases {
		got, err := Parse(t, newCmd, env, c.Args...)
		switch {
		case c.WantErr != "":
			if err == nil || !strings.Contains(err.Error(), c.WantErr) {
				t.Errorf("%q: err = %v, want %q", c.Args, err, c.WantErr)
			}
		case err != nil:
			t.Errorf("%q: %v", c.Args, err)
		case !c.Check(got):
			t.Errorf("%q: options %+v", c.Args, got)
		}
	}
}
