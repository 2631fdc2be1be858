package listen

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

// DefaultBodyTimeout bounds the reading of a body, from the end of its
// headers. LiveChat sends a body at once and waits 10 s for the answer: a
// sender still sending after 5 s is not LiveChat, and the answer needs the
// rest of the time (the app's included).
const DefaultBodyTimeout = 5 * time.Second

// minBodyBudget is the least memory the bodies in flight may take.
const minBodyBudget = 64 << 20

// BodyTimeoutError is a body not received whole within Config.BodyTimeout.
type BodyTimeoutError struct{ After time.Duration }

func (e *BodyTimeoutError) Error() string {
	return fmt.Sprintf("body not received within %s", e.After)
}

// errBusy is a body that could not be read: the bodies in flight took all
// the memory allowed (Config.MaxConcurrent × Config.MaxBody) until its
// deadline.
var errBusy = errors.New("lcwh is busy: too many bodies in flight")

// readBody reads r's body, at most Config.MaxBody+1 bytes (more means too
// large), before the delivery takes a slot: a slow sender holds a
// connection and what it sent, never a slot. The read ends at the body
// deadline. held is the budget the body takes: give it back once done.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) (body []byte, held int64, err error) {
	deadline := time.Now().Add(s.cfg.BodyTimeout)
	// a test's ResponseRecorder cannot: the server's ReadTimeout still holds
	_ = http.NewResponseController(w).SetReadDeadline(deadline)
	limit := s.cfg.MaxBody + 1
	size := int64(64 << 10) // a sender that claims a large body gets room as it sends it
	if n := r.ContentLength; n >= 0 && n < size {
		size = n + 1 // +1: to see EOF without growing
	}
	for {
		if len(body) == cap(body) {
			if int64(len(body)) >= limit {
				return body, held, nil
			}
			grow := min(max(size, 2*int64(cap(body))), limit) - int64(cap(body))
			if !s.budget.take(grow, deadline, r.Context().Done()) {
				return body, held, errBusy
			}
			held += grow
			body = append(make([]byte, 0, int64(cap(body))+grow), body...)
		}
		n, err := r.Body.Read(body[len(body):cap(body)])
		body = body[:len(body)+n]
		switch {
		case err == io.EOF:
			return body, held, nil
		case isTimeout(err):
			return body, held, &BodyTimeoutError{s.cfg.BodyTimeout}
		case err != nil:
			return body, held, err
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// budget bounds the bytes of the bodies in flight (being read, waiting for
// a slot or handled), so that reading bodies before taking a slot cannot
// take unbounded memory.
type budget struct {
	mu      sync.Mutex
	avail   int64
	waiting int
	wake    chan struct{} // closed when bytes come back and someone waits
}

func newBudget(n int64) *budget { return &budget{avail: n, wake: make(chan struct{})} }

// take reserves n bytes, waiting for them until deadline or done; it
// reports whether it got them.
func (b *budget) take(n int64, deadline time.Time, done <-chan struct{}) bool {
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		b.mu.Lock()
		if b.avail >= n {
			b.avail -= n
			b.mu.Unlock()
			return true
		}
		b.waiting++
		wake := b.wake
		b.mu.Unlock()
		if timer == nil {
			timer = time.NewTimer(time.Until(deadline))
		}
		var ok bool
		select {
		case <-wake:
			ok = true
		case <-timer.C:
		case <-done:
		}
		b.mu.Lock()
		b.waiting--
		b.mu.Unlock()
		if !ok {
			return false
		}
	}
}

// give returns n bytes.
func (b *budget) give(n int64) {
	if n == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.avail += n
	if b.waiting > 0 {
		close(b.wake)
		b.wake = make(chan struct{})
	}
}
