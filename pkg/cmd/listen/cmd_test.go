package listen

import (
	"reflect"
	"testing"

	"github.com/lcwh/lcwh/internal/cmdtest"
)

// TestNewCmdListen: argv (and the configured secrets) -> options.
func TestNewCmdListen(t *testing.T) {
	env := map[string]string{"LCWH_SECRETS": "from-env,a", "LCWH_UI_TOKEN": "0123456789abcdef-token"}
	cmdtest.Cases(t, NewCmdListen, env, []cmdtest.Case[Options]{
		{Args: []string{"--addr", "127.0.0.1:0", "--actions", "incoming_chat,incoming_event", "--secret", "a", "--no-ui", "-o", "summary"},
			Check: func(o *Options) bool {
				return o.Addr == "127.0.0.1:0" && reflect.DeepEqual(o.Actions, []string{"incoming_chat", "incoming_event"}) &&
					reflect.DeepEqual(o.Secrets, []string{"a", "from-env"}) && o.UIAddr == "" && o.Format == "summary" &&
					o.UIToken == "0123456789abcdef-token" && o.APIVersion != ""
			}},
		{Args: []string{"--actions", "incoming_chatt"}, WantErr: `--actions: unknown action "incoming_chatt"`},
		{Args: []string{"--path", "hooks"}, WantErr: "must start with /"},
		{Args: []string{"--max-concurrent", "0"}, WantErr: "must be at least 1"},
		{Args: []string{"--max-body", "-5"}, WantErr: "must be at least 1"},
		{Args: []string{"--format", "yaml"}, WantErr: "want pretty, json, compact, summary or raw"},
	})
}
