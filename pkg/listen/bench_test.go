package listen

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
)

type discardRecorder struct{}

func (discardRecorder) Write(e *record.Entry) error { return nil }

// BenchmarkDelivery measures one delivery through the handler: read, parse,
// secret check, validate, record (to nowhere) and emit. LiveChat gives a
// receiver 10 s; this should stay well under a millisecond.
func BenchmarkDelivery(b *testing.B) {
	body, err := fixtures.Get("3.4", "incoming_chat")
	if err != nil {
		b.Fatal(err)
	}
	v, _ := payload.NewValidator("3.4")
	s, err := New(Config{Validator: v, Secrets: []string{"lcwh-example-secret"}, Recorder: discardRecorder{}})
	if err != nil {
		b.Fatal(err)
	}
	s.Subscribe(func(Delivery) {})
	deliverLoop(b, s, body)
}

// BenchmarkDeliveryRecorded is BenchmarkDelivery with a real recording
// file and a subscriber printing the --format json line, as `lcwh listen
// --record FILE --format json` does.
func BenchmarkDeliveryRecorded(b *testing.B) {
	body, err := fixtures.Get("3.4", "incoming_chat")
	if err != nil {
		b.Fatal(err)
	}
	w, err := record.Create(b.TempDir() + "/rec.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	v, _ := payload.NewValidator("3.4")
	s, err := New(Config{Validator: v, Recorder: w})
	if err != nil {
		b.Fatal(err)
	}
	var out []byte
	s.Subscribe(func(d Delivery) { out = d.AppendJSON(out[:0], false) })
	deliverLoop(b, s, body)
}

// deliverLoop posts body to s b.N times.
func deliverLoop(b *testing.B, s *Server, body []byte) {
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
