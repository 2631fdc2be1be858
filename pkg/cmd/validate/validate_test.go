package validate

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/iostreams"
)

func run(t *testing.T, opts Options) (string, int) {
	t.Helper()
	var out bytes.Buffer
	io := &iostreams.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &out}
	if opts.APIVersion == "" {
		opts.APIVersion = "3.4"
	}
	if opts.Format == "" {
		opts.Format = "json"
	}
	err := Run(t.Context(), io, opts)
	return out.String(), cmdutil.ExitCode(err)
}

// Hostile inputs get a located message each and never stop the run.
func TestHostileInputs(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	good, _ := fixtures.Get("3.4", "incoming_event")
	write("bom.json", append([]byte("\xef\xbb\xbf"), good...))
	write("deep.json", []byte(`{"action":"incoming_event","payload":`+strings.Repeat("[", 10000)+strings.Repeat("]", 10000)+`}`))
	write("deeper.json", []byte(strings.Repeat("[", 20000)))
	write("string.json", []byte(`"incoming_chat"`))
	// A 5 MB webhook: a message with a huge text is still a valid webhook.
	var big map[string]any
	json.Unmarshal(good, &big)
	big["payload"].(map[string]any)["event"].(map[string]any)["text"] = strings.Repeat("ż", 5<<20/2)
	b, _ := json.Marshal(big)
	write("big.json", b)
	if err := os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "dangling.json")); err != nil {
		t.Fatal(err)
	}
	write("z-good.json", good)

	out, code := run(t, Options{Paths: []string{dir}})
	if code != cmdutil.ExitFailure {
		t.Errorf("exit %d, want 1", code)
	}
	var got struct {
		Files []struct {
			Path   string
			Valid  bool
			Errors []struct {
				Pointer, Keyword, Message string
				Line, Column              int
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	want := map[string]string{
		"big.json":      "",
		"bom.json":      "byte order mark",
		"dangling.json": "cannot read",
		"deep.json":     `"payload" must be object, got array`,
		"deeper.json":   "nesting deeper than 10000 levels",
		"string.json":   "must be a JSON object, got string",
		"z-good.json":   "",
	}
	if len(got.Files) != len(want) {
		t.Fatalf("got %d results, want %d:\n%s", len(got.Files), len(want), out)
	}
	for _, f := range got.Files {
		msg, ok := want[filepath.Base(f.Path)]
		if !ok {
			t.Errorf("unexpected result for %s", f.Path)
			continue
		}
		if msg == "" {
			if !f.Valid {
				t.Errorf("%s: invalid: %+v", f.Path, f.Errors)
			}
			continue
		}
		found := false
		for _, e := range f.Errors {
			found = found || strings.Contains(e.Message, msg)
		}
		if f.Valid || !found {
			t.Errorf("%s: got %+v, want an error containing %q", f.Path, f.Errors, msg)
		}
	}
}

func TestColourOnlyWhenAsked(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.json"), []byte(`{"action": 1}`), 0o644)
	for _, tc := range []struct {
		colour bool
		want   bool
	}{{false, false}, {true, true}} {
		var out bytes.Buffer
		io := &iostreams.IOStreams{Out: &out, ErrOut: &out}
		mode := "never"
		if tc.colour {
			mode = "always"
		}
		io.SetColorMode(mode, func(string) string { return "" })
		Run(t.Context(), io, Options{Paths: []string{dir}, APIVersion: "3.4", Format: "text"})
		if got := strings.Contains(out.String(), "\x1b["); got != tc.want {
			t.Errorf("colour %v: escape codes present = %v:\n%q", tc.colour, got, out.String())
		}
	}
}

// TestNothingRawOnATerminal: a file name or a body's text holding what a
// terminal acts on (ESC, C1) or reorders text by (U+202E) is escaped in
// the text a person reads, and in JSON on a terminal (the same value).
func TestNothingRawOnATerminal(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "b\u202ea\x1b[31m.json"), []byte(`{"action":"x`+"\u0085\u202e"+`","payload":{"`+"\u2066"+`k":1}}`), 0o644)
	const raw = "\x1b\u0085\u202e\u2066"
	for _, tc := range []struct {
		format string
		tty    bool
	}{{"text", false}, {"json", true}} {
		var out, errOut bytes.Buffer
		io := &iostreams.IOStreams{Out: &out, ErrOut: &errOut, OutTTY: tc.tty}
		Run(t.Context(), io, Options{Paths: []string{dir}, APIVersion: "3.6", Format: tc.format, Strict: true})
		if tc.format == "json" {
			var v struct{ Files []struct{ Path string } }
			if err := json.Unmarshal(out.Bytes(), &v); err != nil || len(v.Files) != 1 || !strings.HasSuffix(v.Files[0].Path, "b\u202ea\x1b[31m.json") {
				t.Errorf("json: %v %+v", err, v)
			}
		}
		for _, b := range [][]byte{out.Bytes(), errOut.Bytes()} {
			if i := bytes.IndexAny(b, raw); i >= 0 {
				t.Errorf("%s: raw control at %d: %q", tc.format, i, b)
			}
		}
		if tc.format == "text" && !strings.Contains(out.String(), `b\u202ea\u001b[31m.json:1:11: error: /action: unknown action "x\u0085\u202e"`) {
			t.Errorf("text: %s", out.String())
		}
	}
}
