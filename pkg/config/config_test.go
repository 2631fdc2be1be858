package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// TestPrecedence: flag > env > project file > user file > default, and
// --config/LCWH_CONFIG replaces both files.
func TestPrecedence(t *testing.T) {
	tests := []struct {
		name       string
		user       string // user file content ("" = no file)
		project    string
		explicit   string // content of a --config file
		env        map[string]string
		args       []string
		want       string // effective api_version
		wantSource string
	}{
		{name: "default", want: "3.4", wantSource: "default"},
		{name: "user file", user: "api_version: '3.5'", want: "3.5", wantSource: "USER"},
		{name: "project beats user", user: "api_version: '3.5'", project: "api_version: '3.6'", want: "3.6", wantSource: ".lcwh.yaml"},
		{name: "user still fills what project lacks", user: "api_version: '3.5'", project: "color: never", want: "3.5", wantSource: "USER"},
		{name: "env beats files", user: "api_version: '3.5'", project: "api_version: '3.6'", env: map[string]string{"LCWH_API_VERSION": "3.7"}, want: "3.7", wantSource: "env LCWH_API_VERSION"},
		{name: "flag beats env", project: "api_version: '3.6'", env: map[string]string{"LCWH_API_VERSION": "3.7"}, args: []string{"--api-version", "3.5"}, want: "3.5", wantSource: "flag --api-version"},
		{name: "explicit file replaces both", user: "api_version: '3.5'", project: "api_version: '3.6'", explicit: "color: never", want: "3.4", wantSource: "default"},
		{name: "explicit file is read", project: "api_version: '3.6'", explicit: "api_version: '3.7'", want: "3.7", wantSource: "EXPLICIT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			userPath := filepath.Join(dir, "xdg", "lcwh", "config.yaml")
			write(t, userPath, tt.user)
			write(t, filepath.Join(dir, ProjectFile), tt.project)
			explicit := ""
			if tt.explicit != "" {
				explicit = filepath.Join(dir, "ci.yaml")
				write(t, explicit, tt.explicit)
			}
			env := map[string]string{"XDG_CONFIG_HOME": filepath.Join(dir, "xdg")}
			for k, v := range tt.env {
				env[k] = v
			}
			c, err := Load(func(k string) string { return env[k] }, explicit)
			if err != nil {
				t.Fatal(err)
			}
			flags := pflag.NewFlagSet("test", pflag.ContinueOnError)
			version := flags.String("api-version", "3.4", "")
			flags.String("color", "auto", "")
			if err := flags.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			if err := c.Apply(flags, nil); err != nil {
				t.Fatal(err)
			}
			if *version != tt.want {
				t.Errorf("api_version = %q, want %q", *version, tt.want)
			}
			want := strings.NewReplacer("USER", userPath, "EXPLICIT", explicit).Replace(tt.wantSource)
			if got := SourceOf(flags.Lookup("api-version")).String(); got != want {
				t.Errorf("source = %q, want %q", got, want)
			}
		})
	}
}

// TestApplyNamesTheSource: a value that does not parse, or that the
// flag refuses, is blamed on the variable or the file's line that set it.
func TestApplyNamesTheSource(t *testing.T) {
	file, err := Parse(".lcwh.yaml", []byte("api_version: '3.6'\nforward_to: localhost:3000\nheader: [\"A: 1\", \"B: 2\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"LCWH_COUNT": "abc"}, `LCWH_COUNT="abc": want a whole number`},
		{map[string]string{"LCWH_RETRIES": "x"}, `LCWH_RETRIES="x": want a whole number`},
		{map[string]string{"LCWH_TIMEOUT": "10"}, `LCWH_TIMEOUT="10": want a duration such as 10s, 1m30s or 500ms`},
		{map[string]string{"LCWH_INSECURE": "yes"}, `LCWH_INSECURE="yes": want true or false`},
		{map[string]string{"LCWH_EXPECT_STATUS": "200,ok"}, `LCWH_EXPECT_STATUS="ok": want a whole number`},
		{nil, `config .lcwh.yaml:2:13: forward_to: "localhost:3000": want an http:// or https:// URL`},
	}
	for _, tt := range tests {
		c := New(func(k string) string { return tt.env[k] })
		if tt.env == nil {
			c = New(nil, file)
		}
		fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
		fs.Int("count", 1, "")
		fs.Int("retries", 0, "")
		fs.Duration("timeout", 0, "")
		fs.Bool("insecure", false, "")
		fs.IntSlice("expect-status", nil, "")
		fs.StringArray("header", nil, "")
		fs.Var(&urlValue{}, "forward-to", "")
		err := c.Apply(fs, nil)
		var ce *Error
		if !errors.As(err, &ce) || err.Error() != tt.want {
			t.Errorf("env %v: err = %v\nwant %s", tt.env, err, tt.want)
		}
	}
}

type urlValue struct{ s string }

func (u *urlValue) String() string { return u.s }
func (u *urlValue) Type() string   { return "string" }
func (u *urlValue) Set(s string) error {
	if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
		return errors.New("want an http:// or https:// URL")
	}
	u.s = s
	return nil
}

// TestApplyLists: a YAML list gives a list flag its items; a variable is
// split by commas, or as the flag's annotation says.
func TestApplyLists(t *testing.T) {
	file, err := Parse("c.yaml", []byte("actions: [incoming_chat, incoming_event]\nheader: 'X-One: 1'\n"))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"LCWH_SECRET": "a b,c", "LCWH_EXPECT_STATUS": "200, 204"}
	c := New(func(k string) string { return env[k] }, file)
	fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
	actions := fs.StringSlice("actions", nil, "")
	header := fs.StringArray("header", nil, "")
	secret := fs.StringArray("secret", nil, "")
	fs.Lookup("secret").Annotations = map[string][]string{SplitAnnotation: {"fields"}}
	status := fs.IntSlice("expect-status", nil, "")
	for range 2 { // a second time adds nothing to the lists
		if err := c.Apply(fs, nil); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct{ got, want any }{
		{*actions, []string{"incoming_chat", "incoming_event"}},
		{*header, []string{"X-One: 1"}},
		{*secret, []string{"a", "b", "c"}},
		{*status, []int{200, 204}},
	} {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	if err := New(nil, mustParse(t, "count: [1, 2]")).Apply(fs2("count"), nil); err == nil || !strings.Contains(err.Error(), "want a single value, not a list") {
		t.Errorf("a list for a single value: %v", err)
	}
}

func fs2(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
	fs.Int(name, 0, "")
	return fs
}

func mustParse(t *testing.T, src string) *File {
	t.Helper()
	f, err := Parse("c.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestParseErrorsAreLocated(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"syntax", "api_version: '3.6'\ncolor: never: x\n", "config c.yaml:2: mapping values are not allowed in this context"},
		{"not a mapping", "- a\n- b\n", "config c.yaml:1:1: the file must be a mapping"},
		{"routes not a map", "routes: http://x\n", "config c.yaml:1:9: routes: want a mapping"},
		{"route not a URL", "routes:\n  incoming_chat: [a]\n", "config c.yaml:2:18: routes.incoming_chat: want a URL, not a list"},
		{"secrets not strings", "secrets:\n  - {a: b}\n", "config c.yaml:2:5: secrets: want a list of single values"},
		{"nested value", "addr: {a: b}\n", "config c.yaml:1:7: addr: want a value or a list, not a mapping"},
		{"duplicate key", "color: auto\ncolor: never\n", "config c.yaml:2:1: \"color\" is already set on line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.src))
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a *FileError", err)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %q\nwant prefix %q", err, tt.want)
			}
		})
	}
}

func TestTargetAndSecrets(t *testing.T) {
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
	c, err := Load(func(string) string { return "" }, filepath.Join(dir, "conf", "lcwh.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := c.Target("incoming_chat"); got.Text != "http://localhost:3000/chats" || got.Key != "routes.incoming_chat" || got.Source.At() != filepath.Join(dir, "conf", "lcwh.yaml")+":6:18" {
		t.Errorf("Target(incoming_chat) = %+v", got)
	}
	if got, _ := c.Target("thread_tagged"); got.Text != "http://localhost:3000/all" || got.Key != "forward_to" {
		t.Errorf("Target(thread_tagged) = %+v, want forward_to", got)
	}
	secrets, err := c.Secrets()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range secrets {
		got = append(got, s.Value)
	}
	if want := []string{"shared", "listed", "from-file"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Secrets = %q, want %q", got, want)
	}
	if src := secrets[2].Source.At(); src != filepath.Join(dir, "secrets.txt")+":2" {
		t.Errorf("secret from the file is from %s", src)
	}

	write(t, filepath.Join(dir, "star.yaml"), "routes:\n  '*': http://localhost:9/any\n  incoming_event: http://localhost:9/events\nsecret_file: missing.txt\n")
	if c, err = Load(func(string) string { return "" }, "star.yaml"); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.Target("incoming_chat"); got.Text != "http://localhost:9/any" {
		t.Errorf(`Target falls back to "*": got %q`, got.Text)
	}
	if got, _ := c.Target("incoming_event"); got.Text != "http://localhost:9/events" {
		t.Errorf("Target(incoming_event) = %q", got.Text)
	}
	if _, ok := New(nil).Target("incoming_event"); ok {
		t.Error("Target with nothing configured")
	}
	if _, err := c.Secrets(); err == nil || err.Error() != `config star.yaml:4:14: secret_file: "missing.txt": no such file or directory` {
		t.Errorf("missing secret_file: %v", err)
	}

}

func TestSkip(t *testing.T) {
	c := New(nil, mustParse(t, "format: github\n"))
	fs := pflag.NewFlagSet("x", pflag.ContinueOnError)
	format := fs.String("format", "text", "")
	if err := c.Apply(fs, func(fl *pflag.Flag, v Value) bool { return v.Text == "github" }); err != nil || *format != "text" {
		t.Errorf("skipped value applied: %q, %v", *format, err)
	}
	if SourceOf(fs.Lookup("format")).Kind != Default {
		t.Error("a skipped value is not the source")
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
