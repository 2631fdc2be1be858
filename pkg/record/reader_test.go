package record

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/pkg/jsonl"
)

func line(t *testing.T, status int, body string) []byte {
	t.Helper()
	e := &Entry{Method: "POST", Response: Response{Status: status}}
	e.SetBody([]byte(body))
	b, err := AppendLine(nil, e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A line over MaxLine is skipped and reported with its number, without
// holding it, and the entries after it are read; a cut-off last line is
// reported as such.
func TestReaderSkipsLongLinesAndCutTail(t *testing.T) {
	long := line(t, 2, strings.Repeat("x", MaxLine+10))
	last := line(t, 4, `{"a":1}`)
	rec := io.MultiReader(bytes.NewReader(line(t, 1, `{}`)), bytes.NewReader(long), strings.NewReader("\n"),
		bytes.NewReader(line(t, 3, `{}`)), bytes.NewReader(last[:len(last)/2]))
	r := NewReader(rec)
	var statuses []int
	var errs []error
	for {
		e, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		statuses = append(statuses, e.Response.Status)
	}
	if len(statuses) != 2 || statuses[0] != 1 || statuses[1] != 3 {
		t.Errorf("read %v, want [1 3]", statuses)
	}
	var le0, le1 *LineError
	var tl *jsonl.TooLongError
	if len(errs) != 2 || !errors.As(errs[0], &le0) || le0.Line != 2 || !errors.As(errs[0], &tl) ||
		!errors.As(errs[1], &le1) || le1.Line != 5 || !errors.Is(errs[1], ErrCut) {
		t.Fatalf("errors: %v", errs)
	}
	if want := fmt.Sprintf("line 2: line too long (%d bytes; the limit is 64 MiB)", len(long)-1); errs[0].Error() != want {
		t.Errorf("got %q, want %q", errs[0], want)
	}
}

// A last line without its newline that is whole is read (a file edited by hand).
func TestReaderWholeLastLineWithoutNewline(t *testing.T) {
	l := line(t, 7, `{}`)
	e, err := NewReader(bytes.NewReader(l[:len(l)-1])).Next()
	if err != nil || e.Response.Status != 7 {
		t.Fatal(e, err)
	}
}

// IsEntry tells recording entries from webhook bodies, on one line or many.
func TestIsEntry(t *testing.T) {
	for doc, want := range map[string]bool{
		`{"time":"2026-03-02T10:15:05Z","body":"{}","verdict":{"parsed":true}}`: true,
		"{\n  \"body_base64\": \"/w==\",\n  \"verdict\": {}\n}":                 true,
		`{"action":"incoming_chat","payload":{"chat":{}}}`:                      false,
		`{"action":"x","payload":{"verdict":"no body"}}`:                        false,
		`{"body":"{}","verdict":{"parsed":tr`:                                   false, // cut short: not told by its keys alone
		`{"payload":{"body":"x","verdict":{}}}`:                                 false, // nested, not the entry's own
	} {
		if got := IsEntry([]byte(doc)); got != want {
			t.Errorf("IsEntry(%s) = %v", doc, got)
		}
	}
}
