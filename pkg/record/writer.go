package record

import (
	"errors"
	"os"
	"sync"
)

// Writer appends entries to a file. Concurrent writes are grouped: one
// goroutine writes every line queued while the previous write was in
// progress with a single write(2), so lines never interleave, a crash
// leaves whole lines, and each Write still returns only once its own line
// is in the file.
type Writer struct {
	f     *os.File
	wake  chan struct{} // cap 1: lines are pending
	ended chan struct{} // the writing goroutine has stopped

	mu     sync.Mutex
	cur    *batch // lines queued for the next write
	spare  []byte // a written batch's buffer, to reuse
	closed bool
}

// batch is the lines of one write(2); done is closed once it was written.
type batch struct {
	buf  []byte
	done chan struct{}
	err  error
}

// Create opens (or creates) path for appending.
func Create(path string) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	w := &Writer{f: f, wake: make(chan struct{}, 1), ended: make(chan struct{})}
	w.cur = w.newBatch()
	go w.loop()
	return w, nil
}

func (w *Writer) newBatch() *batch {
	b := &batch{buf: w.spare, done: make(chan struct{})}
	w.spare = nil
	return b
}

// lineBufs recycles encoding buffers.
var lineBufs = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// Write appends one entry. It returns once the line is in the file.
func (w *Writer) Write(e *Entry) error {
	bp := lineBufs.Get().(*[]byte)
	defer lineBufs.Put(bp)
	line, err := AppendLine((*bp)[:0], e)
	*bp = line[:0]
	if err != nil {
		return err
	}
	return w.WriteLine(line)
}

// ErrClosed is returned by a write after Close.
var ErrClosed = errors.New("recording closed")

// WriteLine appends one line already encoded by AppendLine (it must end
// in a newline and hold no other). The caller may reuse line at once. It
// returns once the line is in the file.
func (w *Writer) WriteLine(line []byte) error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return ErrClosed
	}
	b := w.cur
	b.buf = append(b.buf, line...)
	select {
	case w.wake <- struct{}{}:
	default: // the writer is already due to look
	}
	w.mu.Unlock()
	<-b.done
	return b.err
}

// loop writes the queued lines, a batch per write, until Close.
func (w *Writer) loop() {
	defer close(w.ended)
	for range w.wake {
		for {
			w.mu.Lock()
			b := w.cur
			if len(b.buf) == 0 {
				w.mu.Unlock()
				break
			}
			w.cur = w.newBatch()
			w.mu.Unlock()
			_, b.err = w.f.Write(b.buf)
			buf := b.buf[:0]
			close(b.done)
			if cap(buf) <= 4<<20 {
				w.mu.Lock()
				w.spare = buf
				w.mu.Unlock()
			}
		}
	}
}

// Close waits for the lines queued, flushes the file to disk and closes it.
func (w *Writer) Close() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return ErrClosed
	}
	w.closed = true
	close(w.wake)
	w.mu.Unlock()
	<-w.ended
	if err := w.f.Sync(); err != nil {
		w.f.Close()
		return err
	}
	return w.f.Close()
}
