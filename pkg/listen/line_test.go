package listen

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/lcwh/lcwh/pkg/record"
)

// TestRecordedLineShared: with a line recorder, the line recorded is the
// Entry's encoding, and AppendJSON gives the same line with the full
// duration, whether it reuses the recorded line or encodes anew.
func TestRecordedLineShared(t *testing.T) {
	for _, recordSecrets := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "rec.jsonl")
		w, err := record.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		_, hs, delivered := newServer(t, Config{Secrets: []string{"lcwh-example-secret"}, Recorder: w, RecordSecrets: recordSecrets})
		bodies := [][]byte{fixture(t, "incoming_chat"), []byte(`{"secret_key":"lcwh-example-secret","x":"` + "\xff" + `"`), []byte(`{"action":"incoming_chat","secret_key":"lcwh-example-secret"}`)}
		for _, b := range bodies {
			post(t, hs.URL, b)
		}
		hs.Close() // waits for the handlers, and so for their subscribers
		got := delivered.wait(t, len(bodies))
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		file, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := bytes.SplitAfter(file, []byte("\n"))
		if len(got) != len(bodies) || len(lines) != len(bodies)+1 {
			t.Fatalf("%d deliveries, %d lines", len(got), len(lines)-1)
		}
		for i, d := range got {
			if d.line == nil {
				t.Fatalf("delivery %d: no line kept", i)
			}
			if !bytes.Contains(file, d.line) {
				t.Errorf("delivery %d: kept line not in the recording", i)
			}
			for _, keep := range []bool{false, true} {
				var want bytes.Buffer
				enc := json.NewEncoder(&want)
				enc.SetEscapeHTML(false)
				enc.Encode(d.Entry(keep))
				if got := d.AppendJSON(nil, keep); !bytes.Equal(got, want.Bytes()) {
					t.Errorf("delivery %d, keepSecret %v:\n got  %.300q\n want %.300q", i, keep, got, want.Bytes())
				}
			}
		}
	}
}
