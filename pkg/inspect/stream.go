package inspect

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"
)

// HeartbeatInterval is how often an idle event stream sends a comment, so
// proxies and the browser keep it open.
var HeartbeatInterval = 15 * time.Second

// stream is one open event stream with its filter. Add offers it every
// item without blocking (the filter runs in the stream's goroutine, not
// under the lock); one that falls behind is closed with a "reset" event
// so that the page reloads the list instead of missing deliveries.
type stream struct {
	filter   Filter
	ch       chan *item
	overflow chan struct{}
	full     bool // guarded by Inspector.mu
}

// offer is called with Inspector.mu held.
func (s *stream) offer(it *item) {
	if s.full {
		return
	}
	select {
	case s.ch <- it:
	default:
		s.full = true
		close(s.overflow)
	}
}

// serveEvents streams new deliveries as server-sent events:
//
//	id: 42
//	event: delivery
//	data: {"id":42,"action":"incoming_event",...}
//
// Deliveries already kept with an id after ?after= (or the Last-Event-ID
// of a reconnecting EventSource) are sent first, so a page that loaded the
// list and then opened the stream misses nothing. ?action=, ?validity= and
// ?q= filter as the list does.
func (in *Inspector) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	after, _ := strconv.ParseUint(r.URL.Query().Get("after"), 10, 64)
	if id, err := strconv.ParseUint(r.Header.Get("Last-Event-ID"), 10, 64); err == nil {
		after = id
	}
	s := &stream{filter: filterOf(r.URL.Query()), ch: make(chan *item, streamBuffer), overflow: make(chan struct{})}

	// register and take the backlog at once, so nothing falls between
	in.mu.Lock()
	backlog := in.snapshotLocked(after)
	in.streams[s] = struct{}{}
	in.mu.Unlock()
	defer func() {
		in.mu.Lock()
		delete(in.streams, s)
		in.mu.Unlock()
	}()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives any server write time-out
	fmt.Fprint(w, "retry: 2000\n\n")
	for _, it := range backlog {
		if s.filter.match(it) && in.writeEvent(w, it) != nil {
			return
		}
	}
	if rc.Flush() != nil {
		return
	}
	tick := time.NewTicker(HeartbeatInterval)
	defer tick.Stop()
	for {
		var err error
		select {
		case <-r.Context().Done():
			return
		case it := <-s.ch:
			err = in.writeMatch(w, s, it)
		drain: // send what else is waiting before one flush
			for err == nil {
				select {
				case it := <-s.ch:
					err = in.writeMatch(w, s, it)
				default:
					break drain
				}
			}
		case <-s.overflow:
			// the page fell behind: tell it to reload, then end the stream
			fmt.Fprint(w, "event: reset\ndata: {}\n\n")
			rc.Flush()
			return
		case <-tick.C:
			_, err = fmt.Fprint(w, ": keep-alive\n\n")
		}
		if err == nil {
			err = rc.Flush()
		}
		if err != nil {
			return
		}
	}
}

// writeMatch writes it when the stream's filter wants it.
func (in *Inspector) writeMatch(w http.ResponseWriter, s *stream, it *item) error {
	if !s.filter.match(it) {
		return nil
	}
	return in.writeEvent(w, it)
}

func (in *Inspector) writeEvent(w http.ResponseWriter, it *item) error {
	in.mu.Lock()
	sv := it.summaryView()
	in.mu.Unlock()
	data, err := json.Marshal(sv)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "id: %d\nevent: delivery\ndata: %s\n\n", it.id, data)
	return err
}

// Serve serves the inspector on ln until ctx is done, then closes the open
// event streams and returns (nil after a clean stop).
func (in *Inspector) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           in,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return ctx }, // ends the streams
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		srv.Close()
	}
	if serr := <-errc; serr != nil && serr != http.ErrServerClosed {
		return serr
	}
	return err
}
