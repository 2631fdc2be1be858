package cmdutil

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/lcwh/lcwh/pkg/config"
)

// TestSettingsPrecedence: flag > env > project file > user file > default,
// and --config/LCWH_CONFIG replaces both files.
func TestSettingsPrecedence(t *testing.T) {
	tests := []struct {
		name       string
		user       string // user file content ("" = no file)
		project    string
		explicit   string // content of a --config file
		env        map[string]string
		args       []string
		want       string // effective api_version
		wantOrigin string
	}{
		{name: "default", want: "3.4", wantOrigin: "default"},
		{name: "user file", user: "api_version: '3.5'", want: "3.5", wantOrigin: "USER"},
		{name: "project beats user", user: "api_version: '3.5'", project: "api_version: '3.6'", want: "3.6", wantOrigin: ".lcwh.yaml"},
		{name: "user still fills what project lacks", user: "api_version: '3.5'", project: "color: never", want: "3.5", wantOrigin: "USER"},
		{name: "env beats files", user: "api_version: '3.5'", project: "api_version: '3.6'", env: map[string]string{"LCWH_API_VERSION": "3.7"}, want: "3.7", wantOrigin: "env LCWH_API_VERSION"},
		{name: "flag beats env", project: "api_version: '3.6'", env: map[string]string{"LCWH_API_VERSION": "3.7"}, args: []string{"--api-version", "3.5"}, want: "3.5", wantOrigin: "flag --api-version"},
		{name: "explicit file replaces both", user: "api_version: '3.5'", project: "api_version: '3.6'", explicit: "color: never", want: "3.4", wantOrigin: "default"},
		{name: "explicit file is read", project: "api_version: '3.6'", explicit: "api_version: '3.7'", want: "3.7", wantOrigin: "EXPLICIT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			userPath := filepath.Join(dir, "xdg", "lcwh", "config.yaml")
			write(t, userPath, tt.user)
			write(t, filepath.Join(dir, config.ProjectFile), tt.project)
			explicit := ""
			if tt.explicit != "" {
				explicit = filepath.Join(dir, "ci.yaml")
				write(t, explicit, tt.explicit)
			}
			env := map[string]string{"XDG_CONFIG_HOME": filepath.Join(dir, "xdg")}
			for k, v := range tt.env {
				env[k] = v
			}
			f := &Factory{Getenv: func(k string) string { return env[k] }}
			flags := pflag.NewFlagSet("test", pflag.ContinueOnError)
			flags.String("api-version", "3.4", "")
			flags.String("color", "auto", "")
			if err := flags.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			if err := f.LoadSettings(flags, explicit); err != nil {
				t.Fatal(err)
			}
			if got := f.Settings.GetString("api_version"); got != tt.want {
				t.Errorf("api_version = %q, want %q", got, tt.want)
			}
			want := strings.NewReplacer("USER", userPath, "EXPLICIT", explicit).Replace(tt.wantOrigin)
			if got := f.Origin("api_version"); got != want {
				t.Errorf("Origin(api_version) = %q, want %q", got, want)
			}
		})
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if content == "" {
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestParseConfigErrorsAreLocated(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"syntax", "api_version: '3.6'\ncolor: never: x\n", "config c.yaml:2: mapping values are not allowed in this context"},
		{"not a mapping", "- a\n- b\n", "config c.yaml:1:1: the file must be a mapping"},
		{"unknown version", "api_version: '9.9'\n", "config c.yaml:1:14: api_version: unknown version \"9.9\""},
		{"bad color", "color: blue\n", "config c.yaml:1:8: color: must be auto, always or never"},
		{"routes not a map", "routes: http://x\n", "config c.yaml:1:9: routes: want a mapping"},
		{"unknown action", "routes:\n  incoming_chta: http://localhost:3000\n", "config c.yaml:2:3: routes: unknown action \"incoming_chta\" (did you mean \"incoming_chat\"?)"},
		{"bad url", "routes:\n  incoming_chat: localhost:3000\n", "config c.yaml:2:18: routes.incoming_chat: \"localhost:3000\" is not an http:// or https:// URL"},
		{"secrets not strings", "secrets:\n  - {a: b}\n", "config c.yaml:2:5: secrets: want a list of strings"},
		{"duplicate key", "color: auto\ncolor: never\n", "config c.yaml:2:1: \"color\" is already set on line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("c.yaml", []byte(tt.src))
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *ConfigError", err)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %q\nwant prefix %q", err, tt.want)
			}
		})
	}
}

func TestRouteAndSecrets(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	write(t, filepath.Join(dir, "secrets.txt"), "# team secrets\nfrom-file\n\nshared")
	write(t, filepath.Join(dir, "conf", "lcwh.yaml"), `
forward_to: http://localhost:3000/all
secrets: [shared, listed]
secret_file: ../secrets.txt
routes:
  incoming_chat: http://localhost:3000/chats
`)
	f := &Factory{Getenv: func(string) string { return "" }}
	if err := f.LoadSettings(pflag.NewFlagSet("x", pflag.ContinueOnError), filepath.Join(dir, "conf", "lcwh.yaml")); err != nil {
		t.Fatal(err)
	}
	if got := Route(f.Settings, "incoming_chat"); got != "http://localhost:3000/chats" {
		t.Errorf("Route(incoming_chat) = %q", got)
	}
	if got := Route(f.Settings, "thread_tagged"); got != "http://localhost:3000/all" {
		t.Errorf("Route(thread_tagged) = %q, want forward_to", got)
	}
	got, err := Secrets(f.Settings)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"shared", "listed", "from-file"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Secrets = %q, want %q", got, want)
	}

	write(t, filepath.Join(dir, "star.yaml"), "routes:\n  '*': http://localhost:9/any\n  incoming_event: http://localhost:9/events\n")
	if err := f.LoadSettings(pflag.NewFlagSet("x", pflag.ContinueOnError), "star.yaml"); err != nil {
		t.Fatal(err)
	}
	if got := Route(f.Settings, "incoming_chat"); got != "http://localhost:9/any" {
		t.Errorf(`Route falls back to "*": got %q`, got)
	}
	if got := Route(f.Settings, "incoming_event"); got != "http://localhost:9/events" {
		t.Errorf("Route(incoming_event) = %q", got)
	}
}

func TestFormatFallsBackForConfiguredFormats(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	write(t, filepath.Join(dir, config.ProjectFile), "format: github")
	for _, tt := range []struct {
		args []string
		want string
	}{{nil, "text"}, {[]string{"--format", "github"}, "github"}, {[]string{"--format", "json"}, "json"}} {
		flags := pflag.NewFlagSet("x", pflag.ContinueOnError)
		flags.String("format", "text", "")
		if err := flags.Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		f := &Factory{Getenv: func(string) string { return "" }}
		if err := f.LoadSettings(flags, ""); err != nil {
			t.Fatal(err)
		}
		if got := f.Format("text", "json"); got != tt.want {
			t.Errorf("%v: Format = %q, want %q", tt.args, got, tt.want)
		}
	}
}

func TestFormatsFromUsage(t *testing.T) {
	for usage, want := range map[string][]string{
		"output format: text, json, github or junit":                                                           {"text", "json", "github", "junit"},
		"output format: pretty, json, compact, summary or raw (default pretty on a terminal, json when piped)": {"pretty", "json", "compact", "summary", "raw"},
		"output format: text or json":                                                                          {"text", "json"},
		"how to print things":                                                                                  nil,
	} {
		if got := formatsFromUsage(usage); !reflect.DeepEqual(got, want) {
			t.Errorf("formatsFromUsage(%q) = %q, want %q", usage, got, want)
		}
	}
}
