package record

import (
	"errors"
	"fmt"
	"os"
	"sync"
)

// Writer appends entries to a file. Concurrent writes are grouped: one
// goroutine writes every line queued while the previous write was in
// progress with a single write(2), so lines never interleave, a crash
// leaves whole lines, and each Write still returns only once its own line
// is in the file.
//
// A write is all or nothing: when one fails (a full disk, a file size
// limit) after part of it reached the file, the file is cut back to where
// the write began, so no partial line is left for the next one to be
// appended onto, and every line of it reports the error. On Unix the file
// is locked during each write, so another process appending to the same
// recording is never cut.
type Writer struct {
	f        file
	repaired bool          // the file ended in a partial line when opened
	wake     chan struct{} // cap 1: lines are pending
	ended    chan struct{} // the writing goroutine has stopped

	mu     sync.Mutex
	cur    *batch // lines queued for the next write
	spare  []byte // a written batch's buffer, to reuse
	closed bool
	broken error // a failed write could not be cut back: the file's end is not a line's
}

// file is what a Writer needs of an *os.File; tests inject faults.
type file interface {
	Write([]byte) (int, error)
	ReadAt([]byte, int64) (int, error)
	Stat() (os.FileInfo, error)
	Truncate(int64) error
	Sync() error
	Close() error
	Fd() uintptr
}

// batch is the lines of one write(2); done is closed once it was written.
type batch struct {
	buf  []byte
	done chan struct{}
	err  error
}

// Create opens (or creates) path for appending. A file whose last line
// has no newline (cut short by a crash, or written by hand) gets one
// first, so the next delivery starts a line of its own (see RepairedTail).
func Create(path string) (*Writer, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	w, err := newWriter(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return w, nil
}

func newWriter(f file) (*Writer, error) {
	w := &Writer{f: f, wake: make(chan struct{}, 1), ended: make(chan struct{})}
	if err := w.endLine(); err != nil {
		return nil, err
	}
	w.cur = w.newBatch()
	go w.loop()
	return w, nil
}

// endLine ends the file's last line when it has no newline.
func (w *Writer) endLine() error {
	unlock := lockFile(w.f)
	defer unlock()
	fi, err := w.f.Stat()
	if err != nil || fi.Size() == 0 {
		return err
	}
	last := make([]byte, 1)
	if _, err := w.f.ReadAt(last, fi.Size()-1); err != nil {
		return err
	}
	if last[0] == '\n' {
		return nil
	}
	if _, err := w.f.Write([]byte{'\n'}); err != nil {
		w.f.Truncate(fi.Size())
		return fmt.Errorf("cannot end its partial last line: %w", err)
	}
	w.repaired = true
	return nil
}

// RepairedTail tells whether the file's last line had no newline when it
// was opened (Create added one).
func (w *Writer) RepairedTail() bool { return w.repaired }

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

// ErrLineTooLong is returned for a line that readers would skip.
var ErrLineTooLong = fmt.Errorf("recording line longer than %d bytes, which readers skip", MaxLine)

// WriteLine appends one line already encoded by AppendLine (it must end
// in a newline and hold no other). The caller may reuse line at once. It
// returns once the line is in the file.
func (w *Writer) WriteLine(line []byte) error {
	if len(line) > MaxLine+1 {
		return ErrLineTooLong
	}
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
			broken := w.broken
			w.mu.Unlock()
			b.err = broken
			if b.err == nil {
				b.err = w.write(b.buf)
			}
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

// write appends buf whole, or not at all.
func (w *Writer) write(buf []byte) error {
	unlock := lockFile(w.f)
	defer unlock()
	n, err := w.f.Write(buf)
	if err == nil || n == 0 {
		return err
	}
	// part of buf is in the file, at its end (it is locked): cut it off
	fi, serr := w.f.Stat()
	if serr == nil && fi.Size() >= int64(n) {
		serr = w.f.Truncate(fi.Size() - int64(n))
	}
	if serr != nil {
		w.mu.Lock()
		w.broken = fmt.Errorf("the recording ends in a partial line that could not be removed (%v) after: %w", serr, err)
		w.mu.Unlock()
		return w.broken
	}
	return err
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
