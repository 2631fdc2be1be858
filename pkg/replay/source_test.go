package replay

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/pkg/inputs"
	"github.com/lcwh/lcwh/pkg/record"
)

func items(t *testing.T, srcs ...string) []Item {
	t.Helper()
	var in []inputs.Source
	for _, p := range srcs {
		in = append(in, inputs.Source{Path: p})
	}
	s := Open(in, nil)
	defer s.Close()
	var out []Item
	for {
		it, err := s.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, it)
	}
}

// A recording is read in order, every line labelled with its number; a bad
// line is an error item, a line cut short a note.
func TestRecordingOrderAndLabels(t *testing.T) {
	var b strings.Builder
	const n = 1000
	for i := 1; i <= n; i++ {
		switch {
		case i%97 == 0:
			b.WriteString("\n") // blank: skipped, but counted
		case i%101 == 0:
			b.WriteString("{not json\n")
		case i%103 == 0:
			b.WriteString(`{"body":"{\"action\":\"a` + "\n") // cut short, then ended
		default:
			fmt.Fprintf(&b, `{"body":"{\"action\":\"a%d\",\"payload\":{\"chat_id\":\"c%d\"}}","verdict":{}}`+"\n", i, i)
		}
	}
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	got := items(t, path)
	i := 1
	for _, it := range got {
		for i%97 == 0 {
			i++
		}
		if want := fmt.Sprintf("%s:%d", path, i); it.Label != want {
			t.Fatalf("got %s, want %s", it.Label, want)
		}
		switch {
		case i%101 == 0:
			if it.Err == nil || inputs.Tolerated(it.Err) {
				t.Fatalf("line %d: %v, want an error", i, it.Err)
			}
		case i%103 == 0:
			if it.Err != record.ErrCut || !inputs.Tolerated(it.Err) {
				t.Fatalf("line %d: %v, want a line cut short", i, it.Err)
			}
		case it.Err != nil || it.Action != fmt.Sprintf("a%d", i) || it.Summary != fmt.Sprintf("a%d chat=c%d", i, i):
			t.Fatalf("line %d: %+v", i, it)
		}
		i++
	}
	if i != n+1 {
		t.Fatalf("read up to line %d of %d", i-1, n)
	}
}

// JSON Lines of bodies are one delivery per line, each body its line.
func TestJSONLinesOfBodies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bodies.jsonl")
	if err := os.WriteFile(path, []byte("{\"action\":\"a1\"}\n\n {\"action\":\"a2\"} \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got := items(t, path)
	if len(got) != 2 || got[0].Label != path+":1" || string(got[0].Body) != `{"action":"a1"}` ||
		got[1].Label != path+":3" || got[1].Action != "a2" || string(got[1].Body) != ` {"action":"a2"} ` {
		t.Fatalf("%+v", got)
	}
}

// A file of one document is sent byte for byte.
func TestDocumentByteForByte(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.json")
	doc := "\n{\n  \"action\": \"a\"\n}\n\n"
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	got := items(t, path)
	if len(got) != 1 || got[0].Label != path || string(got[0].Body) != doc || got[0].Action != "a" {
		t.Fatalf("%+v", got)
	}
}
