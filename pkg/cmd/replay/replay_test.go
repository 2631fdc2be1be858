package replay

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/lcwh/lcwh/internal/cmdtest"
)

// TestNewCmdReplay: argv -> options, without a process.
func TestNewCmdReplay(t *testing.T) {
	cmdtest.Cases(t, NewCmdReplay, nil, []cmdtest.Case[Options]{
		{Args: []string{"rec.jsonl", "--to", "http://localhost:3000/h", "--expect-status", "202", "--concurrency", "4"},
			Check: func(o *Options) bool {
				return o.Sources[0] == "rec.jsonl" && o.Delivery.ExpectStatus[0] == 202 && o.Concurrency == 4 && o.Delivery.Retries == 0
			}},
		{Args: []string{"rec.jsonl", "--expect-status", "999"}, WantErr: `want an HTTP status from 100 to 599`},
		{Args: []string{"rec.jsonl", "--expect-status", "0"}, WantErr: `want an HTTP status from 100 to 599`},
		{Args: []string{"rec.jsonl", "--rate", "fast"}, WantErr: `want N/s or N/m`},
	})
}

func TestLineBufferKeepsWholeLinesInOrder(t *testing.T) {
	var pipe bytes.Buffer
	b := newLineBuffer(&pipe, false)
	b.last = time.Now().Add(time.Hour) // no time-based flush in this test
	for i := range 3 {
		fmt.Fprintf(b, "line %d\n", i)
		b.lineDone()
	}
	if pipe.Len() != 0 {
		t.Fatalf("a pipe got %q before the flush; want the lines gathered", pipe.String())
	}
	b.Flush()
	if want := "line 0\nline 1\nline 2\n"; pipe.String() != want {
		t.Fatalf("got %q, want %q", pipe.String(), want)
	}

	var term bytes.Buffer
	b = newLineBuffer(&term, true)
	fmt.Fprintf(b, "line 0\n")
	b.lineDone()
	if term.String() != "line 0\n" {
		t.Fatalf("a terminal got %q; want each line at once", term.String())
	}
}
