package listen

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

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

// delivered collects what a subscriber got. Subscribers get a delivery after
// its answer has left, so a test waits for them.
type delivered struct {
	mu   sync.Mutex
	list []Delivery
}

// wait returns the first n deliveries in the order they arrived (by Seq),
// once there are n; the bound is against a hang, not a timing.
func (g *delivered) wait(t *testing.T, n int) []Delivery {
	t.Helper()
	waitFor(t, fmt.Sprintf("%d deliveries", n), func() bool { return len(g.now()) >= n })
	list := g.now()
	slices.SortFunc(list, func(a, b Delivery) int { return cmp.Compare(a.Seq, b.Seq) })
	return list[:n]
}

// now is what was delivered so far.
func (g *delivered) now() []Delivery {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.list)
}

func newServer(t *testing.T, cfg Config) (*Server, *httptest.Server, *delivered) {
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
	got := &delivered{}
	s.Subscribe(func(d Delivery) { got.mu.Lock(); got.list = append(got.list, d); got.mu.Unlock() })
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs, got
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
	ds := got.wait(t, len(tests))
	if len(rec.entries) != len(tests) {
		t.Fatalf("%d recorded, want %d", len(rec.entries), len(tests))
	}
	for i, e := range rec.entries {
		if strings.Contains(string(e.RawBody()), "lcwh-example-secret") {
			t.Errorf("entry %d records the secret in clear: %.80s", i, e.RawBody())
		}
	}
	d := ds[3]
	if !d.BodyTooLarge || len(d.Body) != 4096 {
		t.Errorf("too large: BodyTooLarge=%v len=%d", d.BodyTooLarge, len(d.Body))
	}
	if ds[1].SyntaxError == nil || ds[1].SyntaxError.Column != 8 {
		t.Errorf("malformed: syntax error %v", ds[1].SyntaxError)
	}
	if ds[0].Secret != SecretOK || !ds[0].Valid() {
		t.Errorf("valid: %+v", ds[0])
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
	if n := len(got.now()); n != 0 {
		t.Errorf("%d deliveries emitted for non-POST requests", n)
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
	if ds := got.wait(t, 2); !ds[0].Filtered || ds[1].Filtered {
		t.Errorf("Filtered flags wrong: %+v", ds)
	}
}

func TestRecordFailureAnswers500(t *testing.T) {
	_, hs, got := newServer(t, Config{Recorder: &memRecorder{err: errors.New("disk full")}})
	if status, _ := post(t, hs.URL, fixture(t, "thread_tagged")); status != 500 {
		t.Errorf("status %d, want 500 so LiveChat retries", status)
	}
	if got.wait(t, 1)[0].RecordError == nil {
		t.Error("RecordError not set")
	}
}

func TestSubscribers(t *testing.T) {
	s, hs, got := newServer(t, Config{})
	ch, dropped, unsub := s.SubscribeChan(1)
	// Subscribers get a delivery after its answer has left: wait for them.
	post(t, hs.URL, fixture(t, "thread_tagged"))
	waitFor(t, "the first delivery buffered", func() bool { return len(ch) == 1 })
	post(t, hs.URL, fixture(t, "thread_untagged"))
	waitFor(t, "the second delivery dropped", func() bool { return dropped() == 1 })
	if d := <-ch; d.Summary.Action != "thread_tagged" || d.Seq != 1 {
		t.Errorf("channel got %s #%d", d.Summary.Action, d.Seq)
	}
	unsub()
	if _, open := <-ch; open {
		t.Error("channel still open after unsubscribe")
	}
	post(t, hs.URL, fixture(t, "thread_tagged"))
	got.wait(t, 3)
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
	if f := got.wait(t, 1)[0].Forward; f == nil || f.Status != 202 || string(f.Body) != "accepted" {
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
	// a negative limit is an error, not the default in disguise; 0 is an
	// unset Config's and means DefaultMaxBody
	if _, err := New(Config{MaxBody: -5}); err == nil || !strings.Contains(err.Error(), "max body -5: must be at least 1") {
		t.Fatalf("New(MaxBody -5): %v", err)
	}
	if s, err := New(Config{}); err != nil || s.cfg.MaxBody != DefaultMaxBody {
		t.Fatalf("New(Config{}): %v, MaxBody %d", err, s.cfg.MaxBody)
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

// A subscriber that is slow (the inspector busy, a view behind) must not
// hold the answer: the sender has its 200 while the subscriber still waits.
func TestAnswerNeverWaitsForSubscribers(t *testing.T) {
	s, hs, _ := newServer(t, Config{})
	release := make(chan struct{})
	s.Subscribe(func(Delivery) { <-release })
	defer close(release)
	answered := make(chan int, 1)
	go func() {
		resp, err := http.Post(hs.URL, "application/json", bytes.NewReader(fixture(t, "incoming_event")))
		if err != nil {
			answered <- 0
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	select {
	case status := <-answered:
		if status != http.StatusOK {
			t.Fatalf("status %d, want 200", status)
		}
	case <-time.After(20 * time.Second): // a bound against the hang, not a timing
		t.Fatal("the sender got no answer while a subscriber was busy")
	}
}

// waitFor polls cond until it holds; the bound is against a hang, not a timing.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
	}
}
