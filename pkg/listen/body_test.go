package listen

import (
	"bufio"
	"bytes"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// drip sends a request's headers and the start of its body, then a byte
// every 100 ms, as a slow (or hostile) sender does; the channel receives
// the status line of the answer.
func drip(t *testing.T, addr string) <-chan string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if _, err := c.Write([]byte("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"a\":\"")); err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			time.Sleep(100 * time.Millisecond)
			if _, err := c.Write([]byte("x")); err != nil {
				return
			}
		}
	}()
	answered := make(chan string, 1)
	go func() {
		status, _ := bufio.NewReader(c).ReadString('\n')
		answered <- strings.TrimSpace(status)
	}()
	return answered
}

// TestSlowSendersHoldNoSlot is #12 item 4: senders that drip their body
// took every slot, and real deliveries waited for them. Now a body is read
// before its delivery takes a slot, and within BodyTimeout.
func TestSlowSendersHoldNoSlot(t *testing.T) {
	const timeout = 3 * time.Second
	_, hs, delivered := newServer(t, Config{MaxConcurrent: 2, BodyTimeout: timeout})
	var drippers []<-chan string
	for range 20 {
		drippers = append(drippers, drip(t, hs.Listener.Addr().String()))
	}
	time.Sleep(200 * time.Millisecond) // let their handlers start (before the fix, they took the slots)

	client := &http.Client{Timeout: 20 * time.Second}
	for range 3 {
		resp, err := client.Post(hs.URL, "application/json", bytes.NewReader(fixture(t, "thread_tagged")))
		if err != nil {
			t.Fatalf("a real delivery behind slow senders: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	for i, d := range drippers {
		select {
		case status := <-d:
			t.Fatalf("slow sender %d answered (%s) before the real deliveries were", i, status)
		default:
		}
	}
	for i, d := range drippers {
		select {
		case status := <-d:
			if status != "HTTP/1.1 408 Request Timeout" {
				t.Errorf("slow sender %d: %q", i, status)
			}
		case <-time.After(timeout + 15*time.Second):
			t.Fatalf("slow sender %d still not answered", i)
		}
	}
	hs.Close()
	timedOut := 0
	for _, d := range delivered.now() { // hs.Close waited for every handler
		if _, ok := d.ReadError.(*BodyTimeoutError); ok && d.Status == 408 {
			timedOut++
		}
	}
	if timedOut != len(drippers) {
		t.Errorf("%d deliveries timed out, want %d", timedOut, len(drippers))
	}
}

func TestBudget(t *testing.T) {
	b := newBudget(100)
	far := time.Now().Add(time.Hour)
	if !b.take(60, far, nil) || !b.take(40, far, nil) {
		t.Fatal("could not take what is there")
	}
	if b.take(1, time.Now().Add(50*time.Millisecond), nil) {
		t.Fatal("took more than there is")
	}
	got := make(chan bool)
	go func() { got <- b.take(50, far, nil) }()
	b.give(60) // wakes the waiter
	if !<-got {
		t.Fatal("the waiter did not get what came back")
	}
	done := make(chan struct{})
	go func() { got <- b.take(1000, far, done) }()
	close(done)
	if <-got {
		t.Fatal("took after done")
	}
}
