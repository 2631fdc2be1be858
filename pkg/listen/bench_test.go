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
