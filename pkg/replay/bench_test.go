package replay

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/inputs"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
)

// benchRecording writes a recording of n deliveries, incoming_chat and
// incoming_event in turn, as listen writes them.
func benchRecording(b *testing.B, n int) (string, int64) {
	b.Helper()
	var bodies [][]byte
	for _, a := range []string{"incoming_chat", "incoming_event"} {
		body, err := fixtures.Get("3.6", a)
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, body)
	}
	var buf []byte
	for i := range n {
		e := &record.Entry{Method: "POST", Path: "/", Action: "incoming_chat", Verdict: record.Verdict{Parsed: true, Valid: true, Secret: "ok"}, Response: record.Response{Status: 200}}
		e.SetBody(bodies[i%2])
		var err error
		if buf, err = record.AppendLine(buf, e); err != nil {
			b.Fatal(err)
		}
	}
	path := filepath.Join(b.TempDir(), "rec.jsonl")
	if err := os.WriteFile(path, buf, 0o600); err != nil {
		b.Fatal(err)
	}
	return path, int64(len(buf))
}

// BenchmarkStreamRecording reads a recording as replay does: every line
// decoded, its body unescaped and summarised.
func BenchmarkStreamRecording(b *testing.B) {
	path, size := benchRecording(b, 2000)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		s := Open([]inputs.Source{{Path: path}}, nil)
		n := 0
		for {
			it, err := s.Next()
			if err == io.EOF {
				break
			}
			if err != nil || it.Err != nil || it.Summary == "(not JSON)" {
				b.Fatal(err, it.Err)
			}
			n++
		}
		s.Close()
		if n != 2000 {
			b.Fatalf("%d items", n)
		}
	}
}

// BenchmarkDecodeLine and BenchmarkUnmarshalLine: decodeLine's fast path
// against json.Unmarshal into a record.Entry, on the same lines.
func BenchmarkDecodeLine(b *testing.B) { benchLines(b, func(l []byte) { decodeLine(l) }) }

func BenchmarkUnmarshalLine(b *testing.B) {
	benchLines(b, func(l []byte) {
		var e record.Entry
		json.Unmarshal(l, &e)
	})
}

func benchLines(b *testing.B, decode func([]byte)) {
	path, size := benchRecording(b, 200)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			decode(l)
		}
	}
}

// BenchmarkFastSummary and BenchmarkDecodeSummarize: replay's summary of a
// body, fastSummary against the shared parse + payload.Summarize, on the
// bodies of the benchmark recording.
func BenchmarkFastSummary(b *testing.B) {
	benchBodies(b, func(body []byte) { fastSummary(body) })
}

func BenchmarkDecodeSummarize(b *testing.B) {
	benchBodies(b, func(body []byte) {
		if d, err := payload.Decode(body); err == nil {
			payload.Summarize(d)
		}
	})
}

func benchBodies(b *testing.B, summarize func([]byte)) {
	var bodies [][]byte
	size := 0
	for _, a := range []string{"incoming_chat", "incoming_event"} {
		body, err := fixtures.Get("3.6", a)
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, body)
		size += len(body)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, body := range bodies {
			summarize(body)
		}
	}
}
