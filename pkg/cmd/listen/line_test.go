package listen

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJSONViewMatchesRecording: with --format json and --record, every
// delivery is on stdout once, whole, at shutdown, and each stdout line is
// its recording line (the recording's duration stops before the answer,
// the view's after it: only duration_ms may differ).
func TestJSONViewMatchesRecording(t *testing.T) {
	for _, showSecrets := range []bool{false, true} {
		rec := filepath.Join(t.TempDir(), "rec.jsonl")
		var bodies [][]byte
		for i := range 40 {
			bodies = append(bodies, fixture(t, []string{"incoming_chat", "thread_tagged", "incoming_event"}[i%3]))
		}
		bodies = append(bodies, []byte(`{"secret_key":"s","x":"`+"\xff"+`"`), []byte("{]"))
		out, _, _ := run(t, false, "never", Options{Format: "json", Record: rec, ShowSecrets: showSecrets}, bodies...)
		file, err := os.ReadFile(rec)
		if err != nil {
			t.Fatal(err)
		}
		recorded := strings.SplitAfter(string(file), "\n")
		shown := strings.SplitAfter(out, "\n")
		if len(shown) != len(bodies)+1 || len(recorded) != len(bodies)+1 {
			t.Fatalf("%d lines shown, %d recorded, want %d", len(shown)-1, len(recorded)-1, len(bodies))
		}
		for i := range bodies {
			var s, r map[string]any
			if err := json.Unmarshal([]byte(shown[i]), &s); err != nil {
				t.Fatalf("stdout line %d: %v", i+1, err)
			}
			if err := json.Unmarshal([]byte(recorded[i]), &r); err != nil {
				t.Fatalf("recording line %d: %v", i+1, err)
			}
			delete(s["response"].(map[string]any), "duration_ms")
			delete(r["response"].(map[string]any), "duration_ms")
			sb, _ := json.Marshal(s)
			rb, _ := json.Marshal(r)
			if showSecrets == (string(sb) == string(rb)) && i < 40 {
				t.Fatalf("line %d (show secrets %v): stdout %.200s\nrecording %.200s", i+1, showSecrets, sb, rb)
			}
		}
	}
}
