package listen

import (
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/iostreams"
)

// TestNewCmdListen: argv (and the configured secrets) -> options.
func TestNewCmdListen(t *testing.T) {
	env := map[string]string{"LCWH_SECRETS": "from-env,a", "LCWH_UI_TOKEN": "0123456789abcdef-token", "XDG_CONFIG_HOME": t.TempDir()}
	tests := []struct {
		args    []string
		check   func(*Options) bool
		wantErr string
	}{
		{args: []string{"--addr", "127.0.0.1:0", "--actions", "incoming_chat,incoming_event", "--secret", "a", "--no-ui", "-o", "summary"},
			check: func(o *Options) bool {
				return o.Addr == "127.0.0.1:0" && reflect.DeepEqual(o.Actions, []string{"incoming_chat", "incoming_event"}) &&
					reflect.DeepEqual(o.Secrets, []string{"a", "from-env"}) && o.UIAddr == "" && o.Format == "summary" &&
					o.UIToken == "0123456789abcdef-token" && o.APIVersion != ""
			}},
		{args: []string{"--actions", "incoming_chatt"}, wantErr: `--actions: unknown action "incoming_chatt"`},
		{args: []string{"--path", "hooks"}, wantErr: "must start with /"},
		{args: []string{"--max-concurrent", "0"}, wantErr: "must be at least 1"},
		{args: []string{"--format", "yaml"}, wantErr: "want pretty, json, compact, summary or raw"},
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		f := &cmdutil.Factory{IO: ios, Getenv: func(k string) string { return env[k] }}
		var got *Options
		cmd := NewCmdListen(f, func(o *Options) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		err := cmd.Execute()
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: err = %v, want %q", tt.args, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.args, err)
		case !tt.check(got):
			t.Errorf("%q: options %+v", tt.args, got)
		}
	}
}
