package replay

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

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
