package types

import (
	"strings"
	"testing"

	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload"
)

func TestNewCmdTypes(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IO: ios, Getenv: func(string) string { return "" }, ConfigFile: "/dev/null"}
	var got *Options
	cmd := NewCmdTypes(f, func(o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"--lang", "go", "--package", "hooks", "--api-version", "3.4"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if *got != (Options{Lang: "go", Package: "hooks", APIVersion: "3.4"}) {
		t.Errorf("options %+v", got)
	}
	cmd = NewCmdTypes(f, func(o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"--lang", "ts"})
	if err := cmd.Execute(); err != nil || got.APIVersion != payload.DefaultVersion {
		t.Errorf("defaults: %v, %+v", err, got)
	}
	for _, args := range [][]string{
		{}, {"--lang", "rust"}, {"--lang", "ts", "--package", "hooks"}, {"--lang", "go", "--package", "func"},
		{"--lang", "go", "--package", "my-hooks"}, {"--lang", "go", "--api-version", "2.0"}, {"--lang", "go", "extra"},
	} {
		cmd := NewCmdTypes(f, func(*Options) error { return nil })
		cmd.SetArgs(args)
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		if err := cmd.Execute(); err == nil {
			t.Errorf("%q: accepted", args)
		}
	}
}

func TestRun(t *testing.T) {
	for _, c := range []struct {
		opts Options
		want string
	}{
		{Options{Lang: "ts", APIVersion: "3.6"}, "export type Webhook =\n"},
		{Options{Lang: "go", Package: "hooks", APIVersion: "3.4"}, "package hooks\n"},
	} {
		ios, _, out, _ := iostreams.Test()
		if err := Run(ios, c.opts); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), c.want) {
			t.Errorf("%+v: output lacks %q", c.opts, c.want)
		}
	}
}
