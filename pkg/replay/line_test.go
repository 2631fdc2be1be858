package replay

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/lcwh/lcwh/pkg/record"
)

// decodeLine must give exactly what json.Unmarshal into a record.Entry gives.
func checkLine(t *testing.T, line []byte) {
	t.Helper()
	var e record.Entry
	werr := json.Unmarshal(line, &e)
	action, body, err := decodeLine(line)
	if (err == nil) != (werr == nil) || (err != nil && err.Error() != werr.Error()) {
		t.Fatalf("%q: error %v, want %v", line, err, werr)
	}
	if werr == nil && (action != e.Action || !bytes.Equal(body, e.RawBody())) {
		t.Fatalf("%q: got %q %q, want %q %q", line, action, body, e.Action, e.RawBody())
	}
}

var lineSeeds = []string{
	`{"body":"{\"a\":1}","action":"x","verdict":{}}`,
	`{"time":"2026-03-02T10:15:04Z","headers":{"A":["b"]},"body":"\u003chi\u003e \"q\" \\ \/ \b\f\n\r\t é","action":"incoming_event","verdict":{"parsed":true}}`,
	`{"body":"","body_base64":"/w==","verdict":{}}`,
	`{"body":"x","body_base64":null,"verdict":{}}`,
	`{"body":"x","Body":"y","verdict":{}}`,
	`{"BODY":"y","body":"x"}`,
	`{"body":"x","body":"y"}`,
	`{"body":"\ud83d\ude00"}`,
	`{"body":"\ud800"}`,
	"{\"body\":\"\xff\"}",
	"{\"body\":\"a\tb\"}",
	`{"body":"\x"}`,
	`{"body":"\u12"}`,
	`{"body":5}`,
	`{"body":null}`,
	`{"time":5,"body":"x"}`,
	`{"time":"nope","body":"x"}`,
	`{"body":"x"} trailing`,
	`{"body":"x",}`,
	`{"a" "body":"x"}`,
	`{"b\u006fdy":"x"}`,
	`["body","x"]`,
	`{"headers":{"body":"n"},"action":["a"],"body":"x"}`,
	`{"response":{"status":200.5},"body":"x"}`,
	`{}`,
	`{"body":"x"`,
	`{"body":`,
	`{"body":"a\"b\\"}`,
	`{"body":"x\"`,
	`{"body":"{\"a\":\"\u00e9\"}","action":"y"}`,
	` { "body" : "x" , "action" : "a" } `,
}

func TestDecodeLineAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range lineSeeds {
		checkLine(t, []byte(s))
	}
	rec, err := os.ReadFile("../../cmd/lcwh/testdata/script/replay.txtar")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range bytes.Split(rec, []byte("\n")) {
		if bytes.HasPrefix(l, []byte(`{"time"`)) {
			checkLine(t, l)
			n++
		}
	}
	if n == 0 {
		t.Fatal("no recording lines found in replay.txtar")
	}
}

func FuzzDecodeLine(f *testing.F) {
	for _, s := range lineSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) { checkLine(t, line) })
}
