package inspect

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/listen"
)

// TestSearchDoesNotHoldTheLock: four text searches and a filtered event
// stream over a full history are stopped in the middle of their search;
// meanwhile a delivery is answered and added, and the searches then
// report the history as it was when they started.
func TestSearchDoesNotHoldTheLock(t *testing.T) {
	const full = 50
	in, err := New(Config{History: full})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := listen.New(listen.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv.Subscribe(in.Add)
	lst := httptest.NewServer(srv)
	defer lst.Close()
	ui := httptest.NewServer(in)
	defer ui.Close()
	body, err := fixtures.Get("3.6", "incoming_event")
	if err != nil {
		t.Fatal(err)
	}
	post := func() int {
		resp, err := http.Post(lst.URL+"/", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Error(err)
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for range full {
		post()
	}
	get := func(path string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, ui.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+in.Token())
		resp, err := http.DefaultClient.Do(req)
		if err != nil { // in a goroutine: no Fatal
			t.Error(err)
			return &http.Response{Body: http.NoBody}
		}
		return resp
	}

	// subscribers get a delivery just after its answer: wait for the last
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		var p Page
		resp := get("/api/deliveries?limit=1")
		json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		if p.Newest == full {
			break
		}
		if time.Now().After(deadline) { // a bound against a hang, not a timing
			t.Fatalf("the inspector has %d of the %d deliveries answered", p.Newest, full)
		}
	}

	// every text search stops at its first match until released
	searching := make(chan struct{}, 100)
	release := make(chan struct{})
	matchHook = func(f Filter) {
		if f.Text != "" {
			select {
			case searching <- struct{}{}:
			default: // released: the rest of the search
			}
			<-release
		}
	}
	defer func() { matchHook = nil }()
	stuck := func(format string, args ...any) {
		t.Helper()
		close(release)
		ui.CloseClientConnections() // ends the stream, so the server can close
		t.Fatalf(format, args...)
	}
	const searches = 4
	pages := make(chan Page, searches)
	for range searches {
		go func() {
			resp := get("/api/deliveries?q=INCOMING_event")
			defer resp.Body.Close()
			var p Page
			json.NewDecoder(resp.Body).Decode(&p)
			pages <- p
		}()
	}
	streams := make(chan *http.Response, 1)
	go func() { streams <- get("/api/events?q=incoming_event") }() // its headers follow the backlog
	for n := range searches + 1 {
		select {
		case <-searching:
		case <-time.After(10 * time.Second): // a deadlock detector, not a speed limit
			stuck("only %d of %d searches run at once: they wait for each other", n, searches+1)
		}
	}

	// all five are mid-search: a delivery is still answered and kept
	answered := make(chan int, 1)
	go func() { answered <- post() }()
	select {
	case status := <-answered:
		if status != 200 {
			t.Fatalf("the delivery was answered %d", status)
		}
	case <-time.After(10 * time.Second): // a deadlock detector, not a speed limit
		stuck("a delivery waited for the searches")
	}
	// kept: it comes to the inspector just after its answer
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		resp := get("/api/deliveries/51")
		resp.Body.Close()
		if resp.StatusCode == 200 {
			break
		}
		if time.Now().After(deadline) { // a deadlock detector, not a speed limit
			stuck("the delivery that arrived during the searches: %d", resp.StatusCode)
		}
	}
	select {
	case <-pages:
		t.Fatal("a search ended while it was held")
	default:
	}

	close(release)
	for range searches {
		p := <-pages
		if p.Matched != full || p.Newest != full || len(p.Items) != full || p.Items[0].ID != full {
			t.Errorf("a search saw matched %d newest %d: want the %d kept when it started", p.Matched, p.Newest, full)
		}
	}
	// the stream then sends its backlog and the one that arrived meanwhile
	stream := <-streams
	defer stream.Body.Close()
	buf := make([]byte, 64<<10)
	var got strings.Builder
	for !strings.Contains(got.String(), "id: 51\n") {
		n, err := stream.Body.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			t.Fatalf("the stream ended: %v\n%s", err, got.String())
		}
	}
}

func TestTextMatcher(t *testing.T) {
	for _, c := range []struct {
		text, in string
		want     bool
	}{
		{"busy", `"status":"BUSY"`, true},
		{"Łukasz", "łukasz wrote", true},
		{"aab", "aaaaaaaaaaaab", true}, // the prefix restarts KMP needs
		{"abab", "abaabab", true},
		{"abac", "ababab", false},
		{"é", "cafÉ", true},
		{"x", "", false},
		{"", "anything", true},
	} {
		m := newTextMatcher(c.text)
		if got := m.in([]byte(c.in)); got != c.want || m.inString(c.in) != c.want {
			t.Errorf("%q in %q: %v, want %v", c.text, c.in, got, c.want)
		}
	}
}

// BenchmarkSearchWorstCase: a text that almost matches everywhere costs
// about as much per byte as any other (KMP: linear in the body), measured
// against bytes.Contains.
func BenchmarkSearchWorstCase(b *testing.B) {
	body := bytes.Repeat([]byte("a"), 1<<20)
	b.Run("baseline-bytes.Contains", func(b *testing.B) { // case-sensitive, the standard library's
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if bytes.Contains(body, []byte("b")) {
				b.Fatal("matched")
			}
		}
	})
	for _, text := range []string{"b", strings.Repeat("a", 1000) + "b", "é"} {
		m := newTextMatcher(text)
		b.Run("text-len-"+strconv.Itoa(len(text)), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if m.in(body) {
					b.Fatal("matched")
				}
			}
		})
	}
}
