package listen

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
)

type memRecorder struct {
	mu      sync.Mutex
	entries []*record.Entry
	err     error
}

func (m *memRecorder) Write(e *record.Entry) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return m.err
	}
	m.entries = append(m.entries, e)
	return nil
}

func newServer(t *testing.T, cfg Config) (*Server, *httptest.Server, *[]Delivery) {
	t.Helper()
	if cfg.Validator == nil {
		v, err := payload.NewValidator("3.4")
		if err != nil {
			t.Fatal(err)
		}
		cfg.Validator = v
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []Delivery
	s.Subscribe(func(d Delivery) { mu.Lock(); got = append(got, d); mu.Unlock() })
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs, &got
}

func post(t *testing.T, url string, body []byte) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func fixture(t *testing.T, action string) []byte {
	b, err := fixtures.Get("3.4", action)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestStatuses(t *testing.T) {
	rec := &memRecorder{}
	_, hs, got := newServer(t, Config{Secrets: []string{"old", "lcwh-example-secret"}, MaxBody: 4096, Recorder: rec})
	big := append([]byte(`{"secret_key":"lcwh-example-secret","x":"`), bytes.Repeat([]byte("a"), 5000)...)
	tests := []struct {
		name string
		body []byte
		want int
	}{
		{"valid", fixture(t, "thread_tagged"), 200},
		{"malformed", []byte(`{"a":1,}`), 400},
		{"wrong secret", bytes.Replace(fixture(t, "thread_tagged"), []byte("lcwh-example-secret"), []byte("nope"), 1), 401},
		{"too large", big, 413},
	}
	for _, tt := range tests {
		if status, body := post(t, hs.URL+"/any/path", tt.body); status != tt.want {
			t.Errorf("%s: status %d (%s), want %d", tt.name, status, body, tt.want)
		}
	}
	if len(*got) != len(tests) || len(rec.entries) != len(tests) {
		t.Fatalf("%d deliveries, %d recorded, want %d", len(*got), len(rec.entries), len(tests))
	}
	for i, e := range rec.entries {
		if strings.Contains(string(e.RawBody()), "lcwh-example-secret") {
			t.Errorf("entry %d records the secret in clear: %.80s", i, e.RawBody())
		}
	}
	d := (*got)[3]
	if !d.BodyTooLarge || len(d.Body) != 4096 {
		t.Errorf("too large: BodyTooLarge=%v len=%d", d.BodyTooLarge, len(d.Body))
	}
	if (*got)[1].SyntaxError == nil || (*got)[1].SyntaxError.Column != 8 {
		t.Errorf("malformed: syntax error %v", (*got)[1].SyntaxError)
	}
	if (*got)[0].Secret != SecretOK || !(*got)[0].Valid() {
		t.Errorf("valid: %+v", (*got)[0])
	}
}

func TestMethodsAndHealth(t *testing.T) {
	_, hs, got := newServer(t, Config{})
	for _, c := range []struct {
		method, path string
		want         int
	}{{"GET", "/healthz", 200}, {"GET", "/", 405}, {"PUT", "/x", 405}} {
		req, _ := http.NewRequest(c.method, hs.URL+c.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, resp.StatusCode, c.want)
		}
	}
	if len(*got) != 0 {
		t.Errorf("%d deliveries emitted for non-POST requests", len(*got))
	}
}

func TestActionsFilter(t *testing.T) {
	rec := &memRecorder{}
	_, hs, got := newServer(t, Config{Actions: []string{"incoming_event"}, Recorder: rec})
	if status, _ := post(t, hs.URL, fixture(t, "thread_tagged")); status != 200 {
		t.Errorf("filtered action answered %d", status)
	}
	post(t, hs.URL, fixture(t, "incoming_event"))
	if len(rec.entries) != 1 || rec.entries[0].Action != "incoming_event" {
		t.Errorf("recorded %d entries", len(rec.entries))
	}
	if len(*got) != 2 || !(*got)[0].Filtered || (*got)[1].Filtered {
		t.Errorf("Filtered flags wrong: %+v", *got)
	}
}

func TestRecordFailureAnswers500(t *testing.T) {
	_, hs, got := newServer(t, Config{Recorder: &memRecorder{err: errors.New("disk full")}})
	if status, _ := post(t, hs.URL, fixture(t, "thread_tagged")); status != 500 {
		t.Errorf("status %d, want 500 so LiveChat retries", status)
	}
	if (*got)[0].RecordError == nil {
		t.Error("RecordError not set")
	}
}

func TestSubscribers(t *testing.T) {
	s, hs, got := newServer(t, Config{})
	ch, dropped, unsub := s.SubscribeChan(1)
	post(t, hs.URL, fixture(t, "thread_tagged"))
	post(t, hs.URL, fixture(t, "thread_untagged"))
	if d := <-ch; d.Summary.Action != "thread_tagged" || d.Seq != 1 {
		t.Errorf("channel got %s #%d", d.Summary.Action, d.Seq)
	}
	if dropped() != 1 {
		t.Errorf("dropped %d, want 1 (buffer of 1)", dropped())
	}
	unsub()
	if _, open := <-ch; open {
		t.Error("channel still open after unsubscribe")
	}
	post(t, hs.URL, fixture(t, "thread_tagged"))
	if len(*got) != 3 {
		t.Errorf("callback subscriber got %d, want 3", len(*got))
	}
}

func TestForwardKeepsBytesAndHeaders(t *testing.T) {
	var gotBody []byte
	var gotHeader string
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotBody, _ = io.ReadAll(r.Body)
		gotHeader = r.Header.Get("X-Custom")
		w.WriteHeader(202)
		io.WriteString(w, "accepted")
	}))
	defer app.Close()
	_, hs, got := newServer(t, Config{ForwardTo: app.URL})
	body := fixture(t, "incoming_event")
	req, _ := http.NewRequest("POST", hs.URL, bytes.NewReader(body))
	req.Header.Set("X-Custom", "kept")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 202 || !bytes.Equal(gotBody, body) || gotHeader != "kept" {
		t.Errorf("status %d, body equal %v, header %q", resp.StatusCode, bytes.Equal(gotBody, body), gotHeader)
	}
	if f := (*got)[0].Forward; f == nil || f.Status != 202 || string(f.Body) != "accepted" {
		t.Errorf("forward result %+v", f)
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	s, err := New(Config{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	addr, err := s.Listen()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Serve(ctx) }()
	if status, _ := post(t, "http://"+addr.String()+"/", fixture(t, "thread_tagged")); status != 200 {
		t.Errorf("status %d", status)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// TestMaxBodyFitsARecordingLine: a body limit whose line readers would
// skip is refused, and the longest body, escaped, with the most errors,
// still makes a line readers accept.
func TestMaxBodyFitsARecordingLine(t *testing.T) {
	if _, err := New(Config{MaxBody: MaxBodyLimit + 1}); err == nil || !strings.Contains(err.Error(), "at most 10485760 (10 MiB)") {
		t.Fatalf("New(MaxBody %d): %v", MaxBodyLimit+1, err)
	}
	body := bytes.Repeat([]byte{0x01}, MaxBodyLimit) // \u0001: six bytes each
	d := Delivery{Method: "POST", Path: "/", Body: body, Headers: http.Header{"X": {strings.Repeat("\x02", 64<<10)}}}
	for range 5000 {
		d.Errors = append(d.Errors, payload.Error{Pointer: "/x", Message: strings.Repeat("\x03", 5000)})
	}
	line, err := record.AppendLine(nil, d.Entry(false))
	if err != nil {
		t.Fatal(err)
	}
	if len(line)-1 > record.MaxLine {
		t.Fatalf("a %d-byte line: readers skip lines over %d", len(line), record.MaxLine)
	}
	if e := d.Entry(false); len(e.Verdict.Errors) != 101 || e.Verdict.Errors[100] != "and 4900 more errors" {
		t.Fatalf("%d errors recorded, the last %.40q", len(e.Verdict.Errors), e.Verdict.Errors[len(e.Verdict.Errors)-1])
	}
}
