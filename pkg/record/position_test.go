package record

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/payload"
)

// BodyColumn points at the escaped form, in the recording line, of every
// character of the body.
func TestBodyColumn(t *testing.T) {
	bodies := []string{
		"{\n  \"a\": \"caf\u00e9 \U0001F600 \\\"q\\\" \\\\ \t tab\",\n\t\"b\": \"\u2028 \u0001 <&>\"\r\n}",
		`{"x":1}`,
		"\n\n{}",
	}
	err := fs.WalkDir(fixtures.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") && len(bodies) < 12 {
			b, err := fs.ReadFile(fixtures.FS(), path)
			bodies = append(bodies, string(b))
			return err
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, body := range bodies {
		e := &Entry{Method: "POST", Action: "a", Verdict: Verdict{Secret: "ok"}}
		e.SetBody([]byte(body))
		line, err := AppendLine(nil, e)
		if err != nil {
			t.Fatal(err)
		}
		line = line[:len(line)-1]
		for off, want := range body {
			l, c := payload.Position([]byte(body), off)
			col := BodyColumn(line, l, c)
			if got := charAt(t, line, col); got != want {
				t.Fatalf("body %.30q, offset %d (%d:%d): column %d of the line holds %q, want %q", body, off, l, c, col, got, want)
			}
		}
	}
}

// charAt decodes the character (escaped or not) at column col of a JSON string.
func charAt(t *testing.T, line []byte, col int) rune {
	i := 0
	for range col - 1 {
		_, n := utf8.DecodeRune(line[i:])
		i += n
	}
	if line[i] != '\\' {
		r, _ := utf8.DecodeRune(line[i:])
		return r
	}
	n := 2
	if line[i+1] == 'u' {
		n = 6
		if i+12 <= len(line) && line[i+6] == '\\' && line[i+7] == 'u' && line[i+2] == 'd' {
			n = 12
		}
	}
	var s string
	if err := json.Unmarshal([]byte(`"`+string(line[i:i+n])+`"`), &s); err != nil {
		t.Fatalf("%q: %v", line[i:i+n], err)
	}
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func TestBodyColumnEdges(t *testing.T) {
	line := []byte(`{"time":"2026-01-01T00:00:00Z","body":"","body_base64":"/w==","verdict":{}}`)
	if got := BodyColumn(line, 1, 1); got != 56 {
		t.Errorf("base64 body: column %d, want 56 (its value)", got)
	}
	line = []byte(`{"body":"{}","verdict":{}}`)
	if got := BodyColumn(line, 0, 0); got != 9 {
		t.Errorf("unlocated: column %d, want 9", got)
	}
	if got := BodyColumn([]byte(`{"verdict":{}}`), 1, 1); got != 0 {
		t.Errorf("no body: column %d", got)
	}
}

func TestErrorColumn(t *testing.T) {
	for _, tc := range []struct {
		line string
		want int
	}{
		{`{"body":"é", x}`, 14},
		{`{"method":5,"body":""}`, 11},
	} {
		_, err := DecodeLine([]byte(tc.line))
		if got := ErrorColumn([]byte(tc.line), err); got != tc.want {
			t.Errorf("%s (%v): column %d, want %d", tc.line, err, got, tc.want)
		}
	}
}
