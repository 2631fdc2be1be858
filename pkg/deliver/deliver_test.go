package deliver

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRetriesUntilSuccess(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Content-Type") != "application/json" || r.Method != http.MethodPost {
			t.Errorf("got %s %s", r.Method, r.Header.Get("Content-Type"))
		}
		if n.Add(1) <= 2 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	c := New(Options{Retries: 2, Backoff: time.Millisecond})
	r := c.Deliver(context.Background(), Request{URL: srv.URL, Body: []byte(`{}`)})
	if !r.OK || len(r.Attempts) != 3 || string(r.Body) != "ok" {
		t.Fatalf("got ok=%v attempts=%d body=%q", r.OK, len(r.Attempts), r.Body)
	}
	r = New(Options{Retries: 0}).Deliver(context.Background(), Request{URL: srv.URL, Body: []byte(`{}`)})
	if !r.OK {
		t.Fatal("fourth request failed")
	}
}

func TestNoRetryOn4xxButLiveChatRetries(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(http.StatusBadRequest)
	}))
	defer srv.Close()
	r := New(Options{Retries: 2, Backoff: time.Millisecond}).Deliver(context.Background(), Request{URL: srv.URL})
	if r.OK || len(r.Attempts) != 1 {
		t.Fatalf("400 retried: %d attempts", len(r.Attempts))
	}
	r = New(Options{LiveChat: true, Backoff: time.Millisecond}).Deliver(context.Background(), Request{URL: srv.URL})
	if len(r.Attempts) != 1+LiveChatRetries || LiveChatVerdict(r) != "LiveChat would give up after 4 attempts" {
		t.Fatalf("livechat: %d attempts, %q", len(r.Attempts), LiveChatVerdict(r))
	}
}

func TestBackoffCappedAndRetryAfter(t *testing.T) {
	c := New(Options{Backoff: time.Second, MaxBackoff: 3 * time.Second})
	for n := range 6 {
		d := c.backoff(n, 0)
		if d > 3*time.Second || d < (time.Second<<n)/2 && d < 3*time.Second/2 {
			t.Errorf("backoff(%d) = %s", n, d)
		}
	}
	if d := c.backoff(0, 2*time.Second); d != 2*time.Second {
		t.Errorf("Retry-After not honoured: %s", d)
	}
	if d := retryAfter("7", time.Now()); d != 7*time.Second {
		t.Errorf("retryAfter = %s", d)
	}
}

// TestUnreachableIsNoConnectionOrNoAnswerInTime: exit 3 is for a target
// that could not be reached (connection refused, no answer within the
// time-out); a receiver that took the connection and closed it without
// answering failed the delivery (exit 1, as a 5xx does).
func TestUnreachableIsNoConnectionOrNoAnswerInTime(t *testing.T) {
	drop := dropServer(t)
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // then the server sees the client hang up
		<-r.Context().Done()
	}))
	defer hang.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()

	c := New(Options{Timeout: 200 * time.Millisecond})
	defer c.Close()
	var tally Tally
	for _, tt := range []struct {
		url                    string
		connected, unreachable bool
	}{
		{drop, true, false},
		{refused, false, true},
		{strings.Replace(drop, "http:", "https:", 1), false, true}, // no TLS handshake, no connection
		{hang.URL, true, true},
	} {
		r := c.Deliver(context.Background(), Request{URL: tt.url, Body: []byte(`{}`)})
		tally.Add(r)
		if r.OK || !r.NoResponse() || r.Connected != tt.connected || r.Unreachable() != tt.unreachable {
			t.Errorf("%s: ok %v, no response %v, connected %v, unreachable %v (%v); want connected %v, unreachable %v",
				tt.url, r.OK, r.NoResponse(), r.Connected, r.Unreachable(), r.Err, tt.connected, tt.unreachable)
		}
	}
	if s := tally.Summary(time.Second); s.Failed != 4 || s.NoResponse != 4 || s.Unreachable != 3 {
		t.Errorf("summary: %d failed, %d without a response, %d unreachable", s.Failed, s.NoResponse, s.Unreachable)
	}
}

// dropServer reads each request and closes the connection without answering.
func dropServer(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			if req, err := http.ReadRequest(bufio.NewReader(conn)); err == nil {
				io.Copy(io.Discard, req.Body)
			}
			conn.Close()
		}
	}()
	return "http://" + ln.Addr().String()
}

func TestPercentiles(t *testing.T) {
	var l Latencies
	for i := 1; i <= 1000; i++ {
		l.Add(time.Duration(i) * time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 500 * time.Millisecond, 90: 900 * time.Millisecond, 99: 990 * time.Millisecond} {
		got := l.Percentile(p)
		if diff := float64(got-want) / float64(want); diff < -0.011 || diff > 0.011 {
			t.Errorf("p%v = %s, want %s ±1%%", p, got, want)
		}
	}
	if l.Snapshot().Max != time.Second {
		t.Errorf("max = %s", l.Snapshot().Max)
	}
}

// BenchmarkSend measures the send path (request building, POST, response
// read) against a local no-op server at concurrency 1 and 32.
func BenchmarkSend(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	body := []byte(`{"webhook_id":"w","secret_key":"s","action":"incoming_event","organization_id":"o","payload":{}}`)
	for _, conc := range []int{1, 32} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			c := New(Options{})
			defer c.Close()
			var i atomic.Int64
			start := time.Now()
			c.Batch(context.Background(), BatchOptions{Concurrency: conc}, func() (Job, bool) {
				if i.Add(1) > int64(b.N) {
					return Job{}, false
				}
				return Job{Request: Request{URL: srv.URL, Body: body}}, true
			}, func(o Outcome) {
				if !o.Result.OK {
					b.Errorf("status %d: %v", o.Result.Status, o.Result.Err)
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
		})
	}
}
