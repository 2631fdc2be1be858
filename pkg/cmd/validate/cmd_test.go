package validate

import (
	"io"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/iostreams"
)

// TestNewCmdValidate: argv -> options; bad values refused before any file is read.
func TestNewCmdValidate(t *testing.T) {
	tests := []struct {
		args    []string
		check   func(*Options) bool
		wantErr string
	}{
		{args: []string{"--api-version", "auto", "--strict", "-o", "github", "a.json", "dir"},
			check: func(o *Options) bool {
				return o.APIVersion == "auto" && o.Strict && o.Format == "github" && len(o.Paths) == 2 && o.DefaultVersion != ""
			}},
		{args: []string{"--action", "incoming_chat", "a.json"}, check: func(o *Options) bool { return o.Action == "incoming_chat" && o.Format == "text" }},
		{args: []string{"--action", "incoming_chta", "a.json"}, wantErr: `--action: unknown action "incoming_chta"`},
		{args: []string{"--format", "yaml", "a.json"}, wantErr: "want text, json, github or junit"},
		{args: []string{"--api-version", "9.9", "a.json"}, wantErr: "want 3.4,"},
	}
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		f := &cmdutil.Factory{IO: ios, Getenv: func(string) string { return "" }}
		var got *Options
		cmd := NewCmdValidate(f, func(o *Options) error { got = o; return nil })
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
