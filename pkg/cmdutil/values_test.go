package cmdutil

import (
	"reflect"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

// TestSettingsTypedValues: every flag type lcwh uses reads back typed,
// from the command line, the layers below it, or the flag's default.
func TestSettingsTypedValues(t *testing.T) {
	flags := pflag.NewFlagSet("test", pflag.ContinueOnError)
	flags.Int("count", 1, "")
	flags.Int64("max-body", 10, "")
	flags.Bool("verbose", false, "")
	flags.Duration("timeout", 30*time.Second, "")
	flags.StringArray("header", nil, "")
	flags.StringSlice("actions", nil, "")
	flags.IntSlice("expect-status", nil, "")
	flags.String("format", "text", "")
	if err := flags.Parse([]string{"--count", "7", "--verbose", "--header", "X-A: 1, 2", "--header", "X-B: 3",
		"--actions", "a,b", "--expect-status", "200,204"}); err != nil {
		t.Fatal(err)
	}
	s := newSettings()
	for _, n := range []string{"count", "max-body", "verbose", "timeout", "header", "actions", "expect-status", "format"} {
		s.flags[Key(n)] = flags.Lookup(n)
	}
	s.merge(map[string]any{"Max_Body": 99, "format": "json", "timeout": "2s"})
	if got := s.GetInt("count"); got != 7 {
		t.Errorf("count = %d", got)
	}
	if got := s.GetInt64("max_body"); got != 99 {
		t.Errorf("max_body = %d (file value, keys are case-insensitive)", got)
	}
	if !s.GetBool("verbose") {
		t.Error("verbose = false")
	}
	if got := s.GetDuration("timeout"); got != 2*time.Second {
		t.Errorf("timeout = %v", got)
	}
	if got := s.GetStringSlice("header"); !reflect.DeepEqual(got, []string{"X-A: 1, 2", "X-B: 3"}) {
		t.Errorf("header = %q", got)
	}
	if got := s.GetStringSlice("actions"); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("actions = %q", got)
	}
	if got := s.GetIntSlice("expect_status"); !reflect.DeepEqual(got, []int{200, 204}) {
		t.Errorf("expect_status = %v", got)
	}
	if got := s.GetString("format"); got != "json" {
		t.Errorf("format = %q (file beats default)", got)
	}
	if got := s.Get("missing"); got != nil {
		t.Errorf("missing = %v", got)
	}
}

// TestSettingsMerge: maps merge key by key, later layers win, and the
// files' own parsed values are not written into.
func TestSettingsMerge(t *testing.T) {
	user := map[string]any{"routes": map[string]any{"incoming_chat": "http://u/chat", "*": "http://u/all"}, "format": "json"}
	project := map[string]any{"routes": map[string]any{"Incoming_Chat": "http://p/chat"}}
	s := newSettings()
	s.merge(user)
	s.merge(project)
	s.merge(map[string]any{"format": "github"})
	want := map[string]string{"incoming_chat": "http://p/chat", "*": "http://u/all"}
	if got := s.GetStringMapString("routes"); !reflect.DeepEqual(got, want) {
		t.Errorf("routes = %v, want %v", got, want)
	}
	if got := s.GetString("routes.incoming_chat"); got != "http://p/chat" {
		t.Errorf("routes.incoming_chat = %q", got)
	}
	if got := s.GetString("format"); got != "github" {
		t.Errorf("format = %q", got)
	}
	if got := user["routes"].(map[string]any)["incoming_chat"]; got != "http://u/chat" {
		t.Errorf("user file values changed by the merge: %v", got)
	}
}
