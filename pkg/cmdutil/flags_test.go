package cmdutil

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/config"
)

// TestStringEnumFlag: one list of values gives the help text, the check
// and the completion.
func TestStringEnumFlag(t *testing.T) {
	var format string
	cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
	fl := FormatFlag(cmd, &format, "text", "text", "json", "github")
	if fl.Usage != "output format: text, json or github" || fl.Shorthand != "o" || format != "text" {
		t.Errorf("usage %q, shorthand %q, default %q", fl.Usage, fl.Shorthand, format)
	}
	if err := fl.Value.Set("yaml"); err == nil || err.Error() != "want text, json or github" {
		t.Errorf("Set(yaml) = %v", err)
	}
	if err := fl.Value.Set("json"); err != nil || format != "json" {
		t.Errorf("Set(json) = %v, format %q", err, format)
	}
	complete, ok := cmd.GetFlagCompletionFunc("format")
	if !ok {
		t.Fatal("no completion")
	}
	if got, _ := complete(cmd, nil, "j"); !reflect.DeepEqual(got, []string{"json"}) {
		t.Errorf("completion of j = %q", got)
	}
	if !reflect.DeepEqual(EnumValues(fl), []string{"text", "json", "github"}) {
		t.Errorf("EnumValues = %q", EnumValues(fl))
	}
}

func TestCheck(t *testing.T) {
	cmd := &cobra.Command{Use: "x"}
	var count int
	var timeout time.Duration
	cmd.Flags().IntVar(&count, "count", 1, "")
	Check(cmd, "count", &count, AtLeast(1))
	cmd.Flags().DurationVar(&timeout, "timeout", time.Second, "")
	Check(cmd, "timeout", &timeout, Positive)
	for _, tt := range []struct{ flag, value, want string }{
		{"count", "0", "must be at least 1"},
		{"count", "3", ""},
		{"timeout", "0s", "must be more than 0"},
		{"timeout", "2s", ""},
	} {
		err := cmd.Flags().Lookup(tt.flag).Value.Set(tt.value)
		if got := errText(err); got != tt.want {
			t.Errorf("--%s %s: %q, want %q", tt.flag, tt.value, got, tt.want)
		}
	}
	if count != 3 || timeout != 2*time.Second {
		t.Errorf("count %d, timeout %s", count, timeout)
	}
	// a checked list still has no default to show in --help
	var statuses []int
	cmd.Flags().IntSliceVar(&statuses, "status", nil, "statuses")
	Check(cmd, "status", &statuses, func([]int) error { return nil })
	if usage := cmd.Flags().FlagUsages(); !strings.Contains(usage, "statuses\n") {
		t.Errorf("--status shows a default:\n%s", usage)
	}
}

func TestHostPort(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8787": "",
		":0":             "",
		"foo":            "want host:port",
		"localhost:http": "want a port number",
		"[::1]:70000":    "want a port number",
	} {
		if got := errText(HostPort(addr)); !strings.HasPrefix(got, want) || (want == "") != (got == "") {
			t.Errorf("HostPort(%q) = %q, want %q", addr, got, want)
		}
	}
}

// TestApplyConfigNamesSourcesAndSkipsForeignValues: a value from the
// environment is checked by the flag and blamed on the variable; an enum
// value meant for another command is left out; FlagName says where a
// value came from.
func TestApplyConfigNamesSourcesAndSkipsForeignValues(t *testing.T) {
	root := &cobra.Command{Use: "lcwh"}
	var vformat, aformat string
	var count int
	validate := &cobra.Command{Use: "validate", RunE: func(*cobra.Command, []string) error { return nil }}
	FormatFlag(validate, &vformat, "text", "text", "github")
	actions := &cobra.Command{Use: "actions", RunE: func(*cobra.Command, []string) error { return nil }}
	FormatFlag(actions, &aformat, "text", "text", "json")
	actions.Flags().IntVar(&count, "count", 1, "")
	Check(actions, "count", &count, AtLeast(1))
	root.AddCommand(validate, actions)

	env := map[string]string{"LCWH_FORMAT": "github", "LCWH_COUNT": "0"}
	f := &Factory{Getenv: func(k string) string { return env[k] }}
	f.cfg = config.New(f.Getenv)
	err := f.ApplyConfig(actions)
	if err == nil || err.Error() != `LCWH_COUNT="0": must be at least 1` || ExitCode(err) != ExitUsage {
		t.Errorf("ApplyConfig = %v (exit %d)", err, ExitCode(err))
	}
	if aformat != "text" {
		t.Errorf("actions took format %q meant for validate", aformat)
	}
	env["LCWH_COUNT"] = "2"
	if err := f.ApplyConfig(actions); err != nil || FlagName(actions, "count") != "LCWH_COUNT" || FlagName(actions, "format") != "--format" {
		t.Errorf("ApplyConfig = %v; names %s, %s", err, FlagName(actions, "count"), FlagName(actions, "format"))
	}
	if err := f.ApplyConfig(validate); err != nil || vformat != "github" {
		t.Errorf("validate: %v, format %q", err, vformat)
	}
	env["LCWH_FORMAT"] = "yaml" // no command takes it: an error
	aformat = "text"
	if err := f.ApplyConfig(actions); errText(err) != `LCWH_FORMAT="yaml": want text or json` {
		t.Errorf("unknown everywhere: %v", err)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
