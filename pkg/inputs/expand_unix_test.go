//go:build unix

package inputs

import (
	"os"
	"syscall"
	"testing"
)

// A named pipe in a folder is noted and skipped; given by name, it is an
// error (reading it could block for ever); "-" stays allowed.
func TestExpandNamedPipe(t *testing.T) {
	tree(t, "d/a.json")
	if err := syscall.Mkfifo("d/pipe.json", 0o600); err != nil {
		t.Skip(err)
	}
	got, err := Expand([]string{"d"})
	if want := "d/a.json, d/pipe.json (not a regular file (a named pipe))"; err != nil || describe(got) != want {
		t.Errorf("got %s, %v; want %s", describe(got), err, want)
	}
	if !Tolerated(got[1].Err) {
		t.Error("a pipe in a folder is not a note")
	}
	_, err = Expand([]string{"d/pipe.json"})
	if want := "d/pipe.json: not a regular file (a named pipe); give - to read standard input"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	if err := os.Remove("d/a.json"); err != nil {
		t.Fatal(err)
	}
	_, err = Expand([]string{"d"})
	if want := "d: no *.json, *.jsonl, *.ndjson files in this folder"; err == nil || err.Error() != want {
		t.Errorf("a folder holding only a pipe: %v", err)
	}
}
