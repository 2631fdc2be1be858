package test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/receivertest"
)

func TestNewCmdTest(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IO: ios, Getenv: func(string) string { return "" }, ConfigFile: "/dev/null"}
	var got *Options
	cmd := NewCmdTest(f, func(o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"--to", "http://127.0.0.1:3000/hooks", "--secret", "s", "--actions", "incoming_chat,thread_tagged",
		"--deadline", "2s", "--seed", "5", "--budget", "300", "-o", "junit", "--save", "out", "-H", "X-Env: ci", "--api-version", "3.4"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	d := got.Delivery
	if d.To != "http://127.0.0.1:3000/hooks" || d.Secret != "s" || d.Header.Get("X-Env") != "ci" ||
		!slices.Equal(got.Actions, []string{"incoming_chat", "thread_tagged"}) || got.Deadline != 2*time.Second ||
		got.Seed != 5 || got.Budget != 300 || got.Format != "junit" || got.Save != "out" || got.APIVersion != "3.4" || !got.SecretOnCommandLine {
		t.Errorf("options %+v", got)
	}
	cmd = NewCmdTest(f, func(o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{"--to", "http://127.0.0.1:3000/hooks"})
	if err := cmd.Execute(); err != nil || got.SecretOnCommandLine {
		t.Errorf("no --secret: err %v, secret on the command line %v", err, got.SecretOnCommandLine)
	}
	for _, args := range [][]string{
		{"--to", "ftp://x"}, {"--to", "http://x/", "--budget", "0"}, {"--to", "http://x/", "--deadline", "0s"},
		{"--to", "http://x/", "-o", "xml"}, {"--to", "http://x/", "--actions", "incoming_chta"}, {}, {"--to", "http://x/", "extra"},
	} {
		cmd := NewCmdTest(f, func(*Options) error { return nil })
		cmd.SetArgs(args)
		cmd.SilenceErrors, cmd.SilenceUsage = true, true
		if err := cmd.Execute(); err == nil {
			t.Errorf("%q: accepted", args)
		}
	}
}

func TestReproduce(t *testing.T) {
	opts := Options{APIVersion: "3.4", Deadline: 2 * time.Second, SecretOnCommandLine: true}
	opts.Delivery.To, opts.Delivery.Secret = "http://localhost:3000/web hooks", "s"
	opts.Delivery.Header = map[string][]string{"X-Env": {"it's ci"}}
	cases := []struct {
		f    receivertest.Finding
		want string
	}{
		{receivertest.Finding{Repeat: 1}, `lcwh send --file /tmp/a.json --to 'http://localhost:3000/web hooks' --api-version 3.4 --secret "$LCWH_SECRET" --timeout 2s -H 'X-Env: it'\''s ci'`},
		{receivertest.Finding{Repeat: 2}, `lcwh send --file /tmp/a.json --to 'http://localhost:3000/web hooks' --api-version 3.4 --secret "$LCWH_SECRET" --count 2 --timeout 2s -H 'X-Env: it'\''s ci'`},
		{receivertest.Finding{Repeat: 1, SecretAsIs: true}, `lcwh send --file /tmp/a.json --to 'http://localhost:3000/web hooks' --api-version 3.4 --secret lcwh-test-wrong-secret --timeout 2s -H 'X-Env: it'\''s ci'`},
		{receivertest.Finding{Repeat: 1, NoSecret: true}, `lcwh send --file /tmp/a.json --to 'http://localhost:3000/web hooks' --api-version 3.4 --unset secret_key --no-validate --timeout 2s -H 'X-Env: it'\''s ci'`},
	}
	for _, c := range cases {
		if got := reproduce(c.f, "/tmp/a.json", opts); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
	// a secret from LCWH_SECRET or the configuration: lcwh send finds it
	// where lcwh test did, and the command works as it is
	opts.SecretOnCommandLine = false
	want := `lcwh send --file /tmp/a.json --to 'http://localhost:3000/web hooks' --api-version 3.4 --timeout 2s -H 'X-Env: it'\''s ci'`
	if got := reproduce(receivertest.Finding{Repeat: 1}, "/tmp/a.json", opts); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	opts.ConfigFile = "ci/lcwh config.yaml"
	want = `lcwh send --file /tmp/a.json --to 'http://localhost:3000/web hooks' --api-version 3.4 --timeout 2s -H 'X-Env: it'\''s ci' --config 'ci/lcwh config.yaml'`
	if got := reproduce(receivertest.Finding{Repeat: 1}, "/tmp/a.json", opts); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// A secret given with --secret is never printed: every format says, once,
// to export LCWH_SECRET, which the reproduce commands read.
func TestReproduceNote(t *testing.T) {
	const secret = "s3cr3t-on-the-command-line"
	rep := &receivertest.Report{URL: "http://127.0.0.1:3000/", APIVersion: "3.6", Seed: 4, Deadline: time.Second,
		Tested: map[string][]string{receivertest.Duplicate: {"incoming_chat"}},
		Findings: []receivertest.Finding{{Check: receivertest.Duplicate, Action: "incoming_chat", Part: receivertest.Delivery,
			Status: 409, Message: "409 Conflict when the same webhook came again", Count: 1, Repeat: 2,
			Body: []byte(`{"secret_key":"<redacted>"}`)}}}
	for _, onCommandLine := range []bool{true, false} {
		for _, format := range []string{"text", "json", "junit"} {
			opts := Options{Format: format, Save: t.TempDir(), Deadline: time.Second, APIVersion: "3.6", SecretOnCommandLine: onCommandLine}
			opts.Delivery.To, opts.Delivery.Secret = rep.URL, secret
			ios, _, stdout, _ := iostreams.Test()
			out, err := save(rep, opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := render(ios, opts, out); err != nil {
				t.Fatal(err)
			}
			got := stdout.String()
			if strings.Contains(got, secret) {
				t.Errorf("%s: the secret is printed:\n%s", format, got)
			}
			note := strings.Count(got, "export LCWH_SECRET")
			switch {
			case onCommandLine && (note != 1 || !strings.Contains(got, `--secret \"$LCWH_SECRET\"`) && !strings.Contains(got, `--secret "$LCWH_SECRET"`) && !strings.Contains(got, `--secret &#34;$LCWH_SECRET&#34;`)):
				t.Errorf("%s, --secret: want the command to read $LCWH_SECRET and one note to export it:\n%s", format, got)
			case !onCommandLine && (note != 0 || strings.Contains(got, "--secret")):
				t.Errorf("%s, secret from the environment: want no --secret and no note:\n%s", format, got)
			}
		}
	}
}

func TestProgressOnlyOnATerminal(t *testing.T) {
	ios, _, _, errOut := iostreams.Test()
	p := newProgress(ios)
	p.draw(receivertest.Progress{Sent: 3, Planned: 10})
	p.clear()
	if errOut.Len() != 0 {
		t.Errorf("progress on a pipe: %q", errOut.String())
	}
	ios.ErrTTY = true
	p.draw(receivertest.Progress{Sent: 3, Planned: 10, Findings: 1})
	p.clear()
	if got, want := errOut.String(), "\r\033[Ktesting: 3/10 requests, 1 finding\r\033[K"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// A cause that failed several checks fails the JUnit case of each.
func TestJUnitFailsEveryCheckOfACause(t *testing.T) {
	rep := &receivertest.Report{URL: "http://127.0.0.1:3000/", APIVersion: "3.6",
		Tested: map[string][]string{receivertest.RejectsValid: {"incoming_chat"}, receivertest.Duplicate: {"incoming_chat"}, receivertest.Order: {"incoming_chat"}},
		Findings: []receivertest.Finding{{Check: receivertest.RejectsValid, Checks: []string{receivertest.RejectsValid, receivertest.Duplicate},
			Action: "incoming_chat", Actions: []string{"incoming_chat"}, Status: 409, Message: "409 Conflict", Count: 3, Repeat: 2}}}
	opts := Options{Format: "junit", Save: t.TempDir(), APIVersion: "3.6"}
	opts.Delivery.To = rep.URL
	out, err := save(rep, opts)
	if err != nil {
		t.Fatal(err)
	}
	suite := junitSuite(out)
	failed := map[string]bool{}
	for _, c := range suite.Cases {
		failed[c.Classname] = c.Failure != nil
	}
	if suite.Tests != 3 || suite.Failures != 2 || !failed[receivertest.RejectsValid] || !failed[receivertest.Duplicate] || failed[receivertest.Order] {
		t.Errorf("%d tests, %d failures: %v", suite.Tests, suite.Failures, failed)
	}
}
