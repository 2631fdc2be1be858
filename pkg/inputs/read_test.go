package inputs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
)

var kindNames = map[Kind]string{File: "file", Line: "line", Entry: "entry"}

// show is a decode that describes each document.
func show(d *Doc) string {
	if d.Err != nil {
		note := "error"
		if Tolerated(d.Err) {
			note = "note"
		}
		return fmt.Sprintf("%s %s: %v", d.Where(), note, d.Err)
	}
	return fmt.Sprintf("%s %s %q", d.Where(), kindNames[d.Kind], d.Raw)
}

func readAll[T any](s *Stream[T]) []T {
	var out []T
	for v, ok := s.Next(); ok; v, ok = s.Next() {
		out = append(out, v)
	}
	return out
}

func entryLine(status int, body string) string {
	e := &record.Entry{Method: "POST", Response: record.Response{Status: status}}
	e.SetBody([]byte(body))
	b, err := record.AppendLine(nil, e)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// What a file holds is told by its content, whatever its name.
func TestReadKinds(t *testing.T) {
	rec := entryLine(200, `{"a":1}`)
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"pretty document", "{\n  \"a\": 1\n}\n", []string{`f file "{\n  \"a\": 1\n}\n"`}},
		{"compact document", `{"a":1}`, []string{`f file "{\"a\":1}"`}},
		{"one line and blank lines", "\n{\"a\":1}\n\n", []string{`f file "\n{\"a\":1}\n\n"`}},
		{"empty", "", []string{`f file ""`}},
		{"broken document", "{\"a\":\n1,}\n", []string{`f file "{\"a\":\n1,}\n"`}},
		{"two values on a line", "{} {}\n{}\n", []string{`f file "{} {}\n{}\n"`}},
		{"JSON Lines", "{\"a\":1}\n\n[2]\n{bad\n3", []string{`f:1 line "{\"a\":1}"`, `f:3 line "[2]"`, `f:4 line "{bad"`, `f:5 line "3"`}},
		{"a recording", rec + "\n" + rec, []string{`f:1 entry ` + fmt.Sprintf("%q", strings.TrimSpace(rec)), `f:3 entry ` + fmt.Sprintf("%q", strings.TrimSpace(rec))}},
		{"a recording of one line", rec, []string{`f:1 entry ` + fmt.Sprintf("%q", strings.TrimSpace(rec))}},
		{"a recording, its last line cut", rec + rec[:20], []string{`f:1 entry ` + fmt.Sprintf("%q", strings.TrimSpace(rec)), `f:2 entry ` + fmt.Sprintf("%q", rec[:20])}},
		{"a recording without its last newline", rec + strings.TrimSpace(rec), []string{`f:1 entry ` + fmt.Sprintf("%q", strings.TrimSpace(rec)), `f:2 entry ` + fmt.Sprintf("%q", strings.TrimSpace(rec))}},
	} {
		for _, workers := range []int{1, 3} {
			t.Run(fmt.Sprint(tc.name, "/", workers), func(t *testing.T) {
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "f"), []byte(tc.in), 0o644); err != nil {
					t.Fatal(err)
				}
				t.Chdir(dir)
				got := readAll(Read([]Source{{Path: "f"}}, Options{Workers: workers}, show))
				if fmt.Sprint(got) != fmt.Sprint(tc.want) {
					t.Errorf("\n got %q\nwant %q", got, tc.want)
				}
				// stdin, a byte at a time, reads the same
				got = readAll(Read([]Source{{Path: Stdin}}, Options{Workers: workers, Stdin: iotest.OneByteReader(strings.NewReader(tc.in))}, show))
				if want := strings.ReplaceAll(fmt.Sprint(tc.want), "f", "<stdin>"); strings.ReplaceAll(fmt.Sprint(got), "f", "<stdin>") != want {
					t.Errorf("stdin:\n got %q\nwant %q", got, want)
				}
			})
		}
	}
}

// Many files and lines come out in input order across batches and
// workers, each with its name and line.
func TestReadOrder(t *testing.T) {
	t.Chdir(t.TempDir())
	var srcs []Source
	var want []string
	for i := range 300 {
		name := fmt.Sprintf("%03d.json", i)
		var b strings.Builder
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, "{\"n\": %d}\n", i)
			want = append(want, fmt.Sprintf("%s file %q", name, b.String()))
		case 1:
			for l := 1; l <= 100; l++ {
				fmt.Fprintf(&b, "{\"n\": %d}\n", l)
				want = append(want, fmt.Sprintf("%s:%d line %q", name, l, fmt.Sprintf("{\"n\": %d}", l)))
			}
		case 2:
			srcs = append(srcs, Source{Path: "missing-" + name})
			want = append(want, "missing-"+name+" error: open missing-"+name+": no such file or directory")
		}
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		if i%3 != 2 {
			srcs = append(srcs, Source{Path: name})
		}
	}
	s := Read(srcs, Options{Workers: 4}, show)
	got := readAll(s)
	if len(got) != len(want) {
		t.Fatalf("%d documents, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("document %d: got %s, want %s", i, got[i], want[i])
		}
	}
}

// A line over the limit is skipped and reported, the lines after it read;
// a file over the limit that is not JSON Lines is skipped whole.
func TestReadTooLong(t *testing.T) {
	t.Chdir(t.TempDir())
	rec := entryLine(200, "{}")
	long := strings.Repeat(" ", 10) + `"` + strings.Repeat("x", MaxDocument) + `"`
	write := func(name string, parts ...string) {
		f, err := os.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range parts {
			f.WriteString(p)
		}
		f.Close()
	}
	write("rec.jsonl", rec, long, "\n", rec)
	write("first.jsonl", long, "\n", rec, rec)
	write("big.json", "{\"a\":\n", long, "}")
	got := readAll(Read([]Source{{Path: "rec.jsonl"}, {Path: "first.jsonl"}, {Path: "big.json"}}, Options{}, func(d *Doc) string {
		if d.Err == nil {
			return fmt.Sprintf("%s %s", d.Where(), kindNames[d.Kind])
		}
		return show(d)
	}))
	want := []string{
		"rec.jsonl:1 entry",
		fmt.Sprintf("rec.jsonl:2 error: line too long (%d bytes; the limit is 64 MiB)", len(long)),
		"rec.jsonl:3 entry",
		fmt.Sprintf("first.jsonl:1 error: line too long (%d bytes; the limit is 64 MiB)", len(long)),
		"first.jsonl:2 entry", "first.jsonl:3 entry",
		"big.json error: larger than the 64 MiB limit of a document",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("\n got %q\nwant %q", got, want)
	}
}

// Notes and errors found while expanding come out in their place.
func TestReadSourceErrors(t *testing.T) {
	boom := errors.New("boom")
	got := readAll(Read([]Source{{Path: "a", Err: boom}, {Path: "b", Err: &NotRegularError{os.ModeNamedPipe}}}, Options{}, show))
	if want := "[a error: boom b note: not a regular file (a named pipe)]"; fmt.Sprint(got) != want {
		t.Errorf("got %s", got)
	}
}

// A read error of a source is its document's error.
func TestReadError(t *testing.T) {
	boom := errors.New("boom")
	got := readAll(Read([]Source{{Path: Stdin}}, Options{Stdin: io.MultiReader(strings.NewReader("{}\n{}\n{"), iotest.ErrReader(boom))}, show))
	if want := `[<stdin>:1 line "{}" <stdin>:2 line "{}" <stdin> error: boom]`; fmt.Sprint(got) != want {
		t.Errorf("got %s", got)
	}
}

// Close stops the reading early; Next then ends.
func TestReadCloseEarly(t *testing.T) {
	var b bytes.Buffer
	for range 100000 {
		b.WriteString("{}\n")
	}
	s := Read([]Source{{Path: Stdin}}, Options{Stdin: &b}, show)
	if _, ok := s.Next(); !ok {
		t.Fatal("no first document")
	}
	s.Close()
	if _, ok := s.Next(); ok {
		t.Fatal("a document after Close")
	}
}

// Documents of stdin are handed out as they arrive, not once a batch is full.
func TestReadStdinEager(t *testing.T) {
	r, w := io.Pipe()
	s := Read([]Source{{Path: Stdin}}, Options{Stdin: r}, show)
	defer s.Close()
	go w.Write([]byte("{}\n{}\n"))
	if v, ok := s.Next(); !ok || v != `<stdin>:1 line "{}"` {
		t.Fatalf("got %q", v)
	}
	w.Close()
}

// A syntax error is placed in the file, and worded once.
func TestAtAndMessage(t *testing.T) {
	for _, tc := range []struct {
		doc  Doc
		want string
	}{
		{Doc{Name: "a.json", Raw: []byte("{\n  \"a\": 1,}")}, "a.json:2:10: syntax error: trailing comma before '}'"},
		{Doc{Name: "b.jsonl", Line: 6, Kind: Line, Raw: []byte("{broken")}, "b.jsonl:6:2: syntax error: object keys must be double-quoted strings"},
	} {
		_, err := payload.Parse(tc.doc.Raw)
		if got := tc.doc.At(err) + ": " + Message(err); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
	d := Doc{Name: "c.jsonl", Line: 3}
	if got := d.At(errors.New("x")); got != "c.jsonl:3" {
		t.Errorf("not a syntax error: %s", got)
	}
}
