package jsonl

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

type got struct {
	line int
	text string
	err  string
}

func scanAll(t *testing.T, s *Scanner) []got {
	t.Helper()
	var out []got
	for range 1000 {
		b, err := s.Next()
		if err == io.EOF {
			return out
		}
		g := got{line: s.Line(), text: string(b)}
		if err != nil {
			g = got{line: s.Line(), err: err.Error()}
		}
		out = append(out, g)
	}
	t.Fatal("no end")
	return nil
}

func TestScanner(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		max      int
		want     []got
	}{
		{"lines", "a\nbb\n", 10, []got{{1, "a", ""}, {2, "bb", ""}}},
		{"blank lines count", "\n  \na\r\n\t\nb\n\n", 10, []got{{3, "a\r", ""}, {5, "b", ""}}},
		{"no final newline", "a\nb", 10, []got{{1, "a", ""}, {2, "b", ""}}},
		{"blank tail", "a\n  ", 10, []got{{1, "a", ""}}},
		{"empty", "", 10, nil},
		{"exactly max", "12345\n", 5, []got{{1, "12345", ""}}},
		{"over max, then more", "a\n123456\nb\n", 5, []got{{1, "a", ""}, {2, "", "line too long (6 bytes; the limit is 5 bytes)"}, {3, "b", ""}}},
		{"over max at the end", "a\n1234567", 5, []got{{1, "a", ""}, {2, "", "line too long (7 bytes; the limit is 5 bytes)"}}},
	} {
		for _, r := range []struct {
			name string
			wrap func(io.Reader) io.Reader
		}{{"whole", func(r io.Reader) io.Reader { return r }}, {"byte by byte", iotest.OneByteReader}, {"data with EOF", iotest.DataErrReader}} {
			t.Run(tc.name+"/"+r.name, func(t *testing.T) {
				g := scanAll(t, NewScanner(r.wrap(strings.NewReader(tc.in)), tc.max, nil))
				if fmt.Sprint(g) != fmt.Sprint(tc.want) {
					t.Errorf("got  %v\nwant %v", g, tc.want)
				}
			})
		}
	}
}

// The head given is read first; a line may continue from it into r.
func TestScannerHead(t *testing.T) {
	s := NewScanner(strings.NewReader("c\nd\n"), 10, []byte("a\nb"))
	if g := fmt.Sprint(scanAll(t, s)); g != "[{1 a } {2 bc } {3 d }]" {
		t.Error(g)
	}
}

// A line far over the limit is read past without growing the buffer past
// the limit, and the lines after it are read.
func TestScannerLongLineBoundedMemory(t *testing.T) {
	const max = 1 << 20
	r := io.MultiReader(strings.NewReader("first\n"), &repeat{n: 50 * max}, strings.NewReader("\nlast\n"))
	s := NewScanner(r, max, nil)
	b, err := s.Next()
	if string(b) != "first" || err != nil {
		t.Fatal(string(b), err)
	}
	_, err = s.Next()
	var tl *TooLongError
	if !errors.As(err, &tl) || tl.Line != 2 || tl.Size != 50*max {
		t.Fatalf("%v", err)
	}
	if cap(s.buf) > max+1 {
		t.Errorf("buffer grew to %d bytes", cap(s.buf))
	}
	b, err = s.Next()
	if string(b) != "last" || err != nil || s.Line() != 3 {
		t.Fatal(string(b), err)
	}
}

type repeat struct{ n int }

func (r *repeat) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	n := min(len(p), r.n)
	for i := range p[:n] {
		p[i] = 'x'
	}
	r.n -= n
	return n, nil
}

func TestScannerReadError(t *testing.T) {
	boom := errors.New("boom")
	s := NewScanner(io.MultiReader(strings.NewReader("a\nhalf"), iotest.ErrReader(boom)), 10, nil)
	if b, err := s.Next(); string(b) != "a" || err != nil {
		t.Fatal(string(b), err)
	}
	for range 2 {
		if _, err := s.Next(); err != boom {
			t.Fatalf("got %v", err)
		}
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1023: "1023 bytes", 1024: "1 KiB", 1536: "1.5 KiB", 64 << 20: "64 MiB", 70*1<<20 + 1<<19: "70.5 MiB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
