package replay

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The pipeline hands out every line in recording order, with its line
// number, across many batches and workers; bad lines become error items.
func TestRecordingOrderAndLabels(t *testing.T) {
	var b strings.Builder
	const n = 1000
	for i := 1; i <= n; i++ {
		switch {
		case i%97 == 0:
			b.WriteString("\n") // blank: skipped, but counted
		case i%101 == 0:
			b.WriteString("{not json\n")
		default:
			fmt.Fprintf(&b, `{"body":"{\"action\":\"a%d\",\"payload\":{\"chat_id\":\"c%d\"}}","verdict":{}}`+"\n", i, i)
		}
	}
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	old := Workers
	Workers = 4
	defer func() { Workers = old }()
	s, err := Open([]string{path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 1; i <= n; i++ {
		if i%97 == 0 {
			continue
		}
		it, err := s.Next()
		if err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if want := fmt.Sprintf("%s:%d", path, i); it.Label != want {
			t.Fatalf("got %s, want %s", it.Label, want)
		}
		if i%101 == 0 {
			if it.Err == nil {
				t.Fatalf("line %d: no error", i)
			}
			continue
		}
		if it.Err != nil || it.Action != fmt.Sprintf("a%d", i) || it.Summary != fmt.Sprintf("a%d chat=c%d", i, i) {
			t.Fatalf("line %d: %+v", i, it)
		}
	}
	if _, err := s.Next(); err != io.EOF {
		t.Fatalf("after the last line: %v", err)
	}
	if s.Read.Load() != int64(b.Len()) {
		t.Fatalf("read %d of %d bytes", s.Read.Load(), b.Len())
	}
}

// Closing early stops the pipeline without waiting for the rest.
func TestRecordingCloseEarly(t *testing.T) {
	line := `{"body":"{}","verdict":{}}` + "\n"
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	if err := os.WriteFile(path, []byte(strings.Repeat(line, 5000)), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open([]string{path}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Next(); err != nil {
		t.Fatal(err)
	}
	s.Close()
}
