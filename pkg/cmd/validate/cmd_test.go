package validate

import (
	"testing"

	"github.com/lcwh/lcwh/internal/cmdtest"
)

// TestNewCmdValidate: argv -> options; bad values refused before any file is read.
func TestNewCmdValidate(t *testing.T) {
	cmdtest.Cases(t, NewCmdValidate, nil, []cmdtest.Case[Options]{
		{Args: []string{"--api-version", "auto", "--strict", "-o", "github", "a.json", "dir"},
			Check: func(o *Options) bool {
				return o.APIVersion == "auto" && o.Strict && o.Format == "github" && len(o.Paths) == 2 && o.DefaultVersion != ""
			}},
		{Args: []string{"--action", "incoming_chat", "a.json"}, Check: func(o *Options) bool { return o.Action == "incoming_chat" && o.Format == "text" }},
		{Args: []string{"--action", "incoming_chta", "a.json"}, WantErr: `--action: unknown action "incoming_chta"`},
		{Args: []string{"--format", "yaml", "a.json"}, WantErr: "want text, json, github or junit"},
		{Args: []string{"--api-version", "9.9", "a.json"}, WantErr: "want 3.4,"},
	})
}
