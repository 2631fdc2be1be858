package listen

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/internal/cmdtest"
	"github.com/lcwh/lcwh/pkg/iostreams"
)

// run starts Run on a free port, posts bodies, stops it and returns what it printed.
func run(t *testing.T, tty bool, color string, opts Options, bodies ...[]byte) (stdout, stderr string, statuses []int) {
	t.Helper()
	var out, errOut bytes.Buffer
	io := &iostreams.IOStreams{Out: &out, ErrOut: &errOut, OutTTY: tty, ErrTTY: tty}
	io.SetColorMode(color, func(string) string { return "" })
	opts.Addr = "127.0.0.1:0"
	opts.ReadyFile = filepath.Join(t.TempDir(), "ready")
	if opts.APIVersion == "" {
		opts.APIVersion = "3.4"
	}
	if opts.Path == "" {
		opts.Path = "/"
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, io, opts) }()
	var url string
	for deadline := time.Now().Add(5 * time.Second); ; {
		if b, err := os.ReadFile(opts.ReadyFile); err == nil {
			url = strings.TrimSpace(string(b))
			break
		}
		select {
		case err := <-done:
			t.Fatalf("Run returned early: %v\n%s", err, errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("listen did not become ready")
		}
		time.Sleep(5 * time.Millisecond) // the ready file is the signal
	}
	for _, b := range bodies {
		resp, err := http.Post(url+"/", "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out.String(), errOut.String(), statuses
}

func fixture(t *testing.T, action string) []byte {
	b, err := fixtures.Get("3.4", action)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTerminalOneLine is #13's listen on a terminal: one line per
// delivery, in words, its body only with -v.
func TestTerminalOneLine(t *testing.T) {
	out, errOut, statuses := run(t, true, "never", Options{}, fixture(t, "incoming_chat"), fixture(t, "incoming_event"), []byte("{]"))
	if statuses[0] != 200 || statuses[1] != 200 || statuses[2] != 400 {
		t.Errorf("statuses %v", statuses)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines for 3 deliveries:\n%s", len(lines), out)
	}
	for i, want := range []string{
		` incoming_chat ✓ valid.* → 200 in .*  customer Jane Cooper started chat PJ0MRSHTDG: "Hi! Does the Oak Standing Desk come in a 160 cm width, and c… \(8 events\)$`,
		// named from the incoming_chat before it
		` incoming_event ✓ valid.* → 200 in .*  customer Jane Cooper wrote "Great, I've filled in the delivery details. Can you add the … in chat PJ0MRSHTDG$`,
		` \(unparsable body\) → 400 in .* malformed JSON: body:1:2: `,
	} {
		if !regexp.MustCompile(`^\d\d:\d\d:\d\d\.\d{3}` + want).MatchString(lines[i]) {
			t.Errorf("line %d: %q\nwant %s", i+1, lines[i], want)
		}
	}
	if strings.Contains(out, "\x1b[") || strings.Contains(errOut, "\x1b[") {
		t.Error("colour codes with --color never")
	}
	if !strings.Contains(errOut, "Stopped after 3 deliveries: 0 invalid, 1 malformed, 0 rejected, 0 forwarded") {
		t.Errorf("summary missing:\n%s", errOut)
	}
}

func TestVerboseIsPretty(t *testing.T) {
	out, _, _ := run(t, true, "never", Options{Verbose: true}, fixture(t, "incoming_event"))
	for _, want := range []string{
		"incoming_event ", "✓ valid → 200 in ",
		`  customer 3f9c2a4e-6b1d-4e8a-9c57-0d2e8b4f1a63 wrote "Great, I've filled in the delivery details.`,
		`  "secret_key": "<redacted>",`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
}

func TestColourForced(t *testing.T) {
	out, _, _ := run(t, false, "always", Options{Format: "summary"}, fixture(t, "thread_tagged"))
	if !strings.Contains(out, "\x1b[32m→ 200\x1b[0m") {
		t.Errorf("no coloured status:\n%q", out)
	}
}

func TestPipedDefaultsToJSONLines(t *testing.T) {
	out, _, _ := run(t, false, "auto", Options{}, fixture(t, "thread_tagged"), fixture(t, "thread_untagged"))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], `{"time":`) || strings.Contains(out, "lcwh-example-secret") {
		t.Errorf("want 2 redacted JSON lines, got:\n%s", out)
	}
}

func TestUsageErrors(t *testing.T) {
	cmdtest.Cases(t, NewCmdListen, nil, []cmdtest.Case[Options]{
		{Args: []string{"--format", "yaml"}, WantErr: "want pretty, json"},
		{Args: []string{"--api-version", "9.9"}, WantErr: "want 3.4"},
		{Args: []string{"--actions", "incoming_chatt"}, WantErr: "unknown action"},
		{Args: []string{"--forward-to", "localhost:3000"}, WantErr: "want an http"},
		{Args: []string{"-v", "--format", "json"}, WantErr: "shows each delivery whole"},
	})
}

// A delivery with a warning is still valid; the terminal counts it on the
// delivery's line, and -v shows it under it like an error, dimmed.
func TestTerminalShowsWarnings(t *testing.T) {
	typo := []byte(`{"webhook_id":"w","secret_key":"s","action":"chat_deactivated","organization_id":"o","additional_data":{},
		"payload":{"chat_id":"PJ0MRSHTDG","thread_id":"K600PKZON8","usr_id":"jane@example.com"}}`)
	if out, _, _ := run(t, true, "never", Options{}, typo); !strings.Contains(out, " chat_deactivated ✓ valid (1 warning) → 200 in ") {
		t.Errorf("the line does not count the warning:\n%s", out)
	}
	out, errOut, statuses := run(t, true, "always", Options{Verbose: true}, typo)
	if statuses[0] != 200 {
		t.Errorf("status %d", statuses[0])
	}
	want := "\x1b[33m!\x1b[0m \x1b[2m/payload/usr_id: unknown property \"usr_id\", did you mean \"user_id\"?\x1b[22m"
	if !strings.Contains(out, "✓ valid") || !strings.Contains(out, want) {
		t.Errorf("stdout lacks the valid mark and the dimmed warning %q:\n%q", want, out)
	}
	if !strings.Contains(errOut, "0 invalid") {
		t.Errorf("a warning counted as invalid:\n%s", errOut)
	}
}
