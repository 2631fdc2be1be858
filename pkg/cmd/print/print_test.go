package print

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/internal/cmdtest"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/record"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func streams(tty bool, color string) (*iostreams.IOStreams, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	io := &iostreams.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, OutTTY: tty, ErrTTY: tty}
	io.SetColorMode(color, func(string) string { return "" })
	return io, &out, &errOut
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".golden")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

const fixture = "../../../fixtures/v3.4/incoming_chat.json"

func TestGolden(t *testing.T) {
	tests := []struct {
		name   string
		tty    bool
		color  string
		opts   Options
		failed bool
	}{
		{name: "terminal_color", tty: true, color: "always", opts: Options{Paths: []string{fixture}}},
		{name: "terminal_nocolor", tty: true, color: "never", opts: Options{Paths: []string{fixture}}},
		{name: "piped", tty: false, color: "auto", opts: Options{Paths: []string{fixture}}},
		{name: "piped_forced_color", tty: false, color: "always", opts: Options{Paths: []string{"testdata/stream.jsonl"}, Format: "summary"}, failed: true},
		{name: "stream_pretty", tty: true, color: "never", opts: Options{Paths: []string{"testdata/stream.jsonl"}}, failed: true},
		{name: "stream_compact", tty: false, color: "auto", opts: Options{Paths: []string{"testdata/stream.jsonl"}, Format: "compact"}, failed: true},
		{name: "stream_raw_secrets", tty: false, color: "auto", opts: Options{Paths: []string{"testdata/stream.jsonl"}, Format: "raw", ShowSecrets: true}, failed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			io, out, errOut := streams(tt.tty, tt.color)
			tt.opts.APIVersion = "3.4"
			err := Run(io, tt.opts)
			if code := cmdutil.ExitCode(err); (code == 1) != tt.failed || (code != 0 && code != 1) {
				t.Fatalf("exit code %d (err %v), want failure=%v", code, err, tt.failed)
			}
			golden(t, tt.name, append(out.Bytes(), append([]byte("--- stderr ---\n"), errOut.Bytes()...)...))
			if tt.color != "always" && bytes.Contains(out.Bytes(), []byte("\x1b[")) {
				t.Error("colour codes in uncoloured output")
			}
		})
	}
}

func TestSecretsRedacted(t *testing.T) {
	for _, format := range []string{"pretty", "json", "compact", "raw", "summary"} {
		io, out, _ := streams(false, "never")
		if err := Run(io, Options{Paths: []string{fixture}, Format: format, APIVersion: "3.4"}); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(out.Bytes(), []byte("lcwh-example-secret")) {
			t.Errorf("--format %s shows the secret", format)
		}
	}
	io, out, _ := streams(false, "never")
	if err := Run(io, Options{Paths: []string{fixture}, Format: "raw", ShowSecrets: true, APIVersion: "3.4"}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out.Bytes(), []byte("lcwh-example-secret")) {
		t.Error("--show-secrets hides the secret")
	}
}

func TestBrokenDocumentLocated(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{\n  \"action\": \"thread_tagged\",\n}\n"), 0o644)
	io, out, errOut := streams(false, "never")
	err := Run(io, Options{Paths: []string{bad, fixture}, APIVersion: "3.4"})
	if cmdutil.ExitCode(err) != 1 {
		t.Fatalf("exit %d, want 1", cmdutil.ExitCode(err))
	}
	if want := bad + ":3:1: error: syntax error:"; !strings.Contains(errOut.String(), want) {
		t.Errorf("stderr %q lacks %q", errOut.String(), want)
	}
	if !strings.Contains(out.String(), `"action": "incoming_chat"`) {
		t.Error("the input after the broken one was not printed")
	}
}

// TestNewCmdPrint: argv -> options; a format or version lcwh lacks is refused.
func TestNewCmdPrint(t *testing.T) {
	cmdtest.Cases(t, NewCmdPrint, nil, []cmdtest.Case[Options]{
		{Args: []string{"--api-version", "auto", "-o", "summary"}, Check: func(o *Options) bool {
			return o.APIVersion == "auto" && o.Format == "summary" && len(o.Paths) == 1 && o.Paths[0] == "-"
		}},
		{Args: []string{"--format", "yaml"}, WantErr: "want pretty, json, compact, summary or raw"},
		{Args: []string{"--api-version", "9.9"}, WantErr: "or auto"},
	})
}

func TestDirectoryAndStdin(t *testing.T) {
	io, out, errOut := streams(false, "never")
	io.In = strings.NewReader(`{"webhook_id":"w","secret_key":"s","action":"thread_untagged","organization_id":"o","payload":{"chat_id":"C","thread_id":"T","tag":"vip"},"additional_data":{}}`)
	err := Run(io, Options{Paths: []string{"../../../fixtures/v3.4", "-"}, Format: "summary", APIVersion: "3.4"})
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if n := strings.Count(out.String(), "✓ valid"); n != 37 {
		t.Errorf("%d valid webhooks printed, want 36 fixtures + stdin", n)
	}
	if !strings.HasSuffix(out.String(), "\n<stdin> thread_untagged ✓ valid  chat C untagged \"vip\"\n") {
		t.Errorf("stdin not printed last:\n%s", out.String()[max(0, out.Len()-200):])
	}
}

// A recording line says what happened to its delivery with the verdict
// listen recorded (record.Kind), the words the inspector's filter uses.
func TestEntryExtraNamesTheVerdict(t *testing.T) {
	for _, tt := range []struct {
		kind record.Kind
		want string
	}{
		{record.TooLarge, "too large"},
		{record.Unread, "body not received"},
		{record.WrongPath, "wrong path"},
		{record.Malformed, "malformed JSON"},
		{record.Rejected, "secret wrong"},
		{record.Valid, ""},
	} {
		e := &record.Entry{Method: "POST", Path: "/", Verdict: record.Verdict{Kind: tt.kind, Secret: "wrong"}}
		got := entryExtra(e, false)
		if tt.want != "" && !strings.HasSuffix(got, " "+tt.want) || tt.want == "" && got != "POST / → 0 in 0s" {
			t.Errorf("%s: %q", tt.kind, got)
		}
	}
}
