package inputs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/lcwh/lcwh/pkg/jsonl"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
)

// MaxDocument bounds one document: a whole file, or one line of JSON Lines
// or of a recording. A longer one is skipped and reported, never held whole.
const MaxDocument = record.MaxLine

// Kind is what a document is.
type Kind uint8

const (
	File  Kind = iota // the whole file is one JSON document
	Line              // one line of JSON Lines: a webhook body
	Entry             // one line of an `lcwh listen` recording
)

// Doc is one document of the inputs, or a part of them that was not read.
type Doc struct {
	Name string // the file as given or found; "<stdin>" for standard input
	Line int    // the line the document is on; 0 when it is the whole file
	Kind Kind
	// Raw is the document's bytes, valid only while decode runs: decode
	// copies what it keeps.
	Raw []byte
	// Err says why this part was not read (Raw is nil): a read error, a
	// *TooLargeError, a line over the limit (*jsonl.TooLongError), or a note
	// that Tolerated tells apart (a pipe in a folder).
	Err error
}

// Where is "name" for a whole file, "name:line" for a line of one.
func (d *Doc) Where() string {
	if d.Line == 0 {
		return d.Name
	}
	return d.Name + ":" + strconv.Itoa(d.Line)
}

// At is where err, an error of decoding the document, is in its file:
// "name:line:col" for a *payload.SyntaxError (the line counted from the
// top of the file, as an editor shows it), Where() for anything else.
func (d *Doc) At(err error) string {
	var se *payload.SyntaxError
	if !errors.As(err, &se) {
		return d.Where()
	}
	return fmt.Sprintf("%s:%d:%d", d.Name, max(d.Line, 1)+se.Line-1, se.Column)
}

// TooLargeError is a file over MaxDocument that is not JSON Lines.
type TooLargeError struct{ Max int }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("larger than the %s limit of a document", jsonl.Size(int64(e.Max)))
}

// Options tune Read.
type Options struct {
	Stdin   io.Reader // what "-" reads
	Workers int       // goroutines running decode; 0 means GOMAXPROCS
}

// Stream hands out decode's results for every document of the sources,
// in input order.
//
// One goroutine reads the sources and groups their documents in batches;
// Workers goroutines decode the batches; Next hands the results out in
// order. Batches in flight hold at most about MaxDocument bytes of input
// (or one larger batch), so memory stays bounded whatever the inputs.
type Stream[T any] struct {
	order  chan *batch[T]
	quit   chan struct{}
	once   sync.Once
	budget budget
	cur    *batch[T]
	pos    int
	read   atomic.Int64
}

const (
	batchDocs  = 64
	batchBytes = 64 << 10
)

type batch[T any] struct {
	buf  []byte // the documents, back to back
	docs []Doc  // their Raw is set from ends when decoded
	ends []int  // end of each document in buf
	out  []T
	size int           // bytes counted against the budget
	done chan struct{} // closed once out is filled
}

// Read starts reading srcs; decode runs on each document (in parallel,
// so it must be safe for concurrent use).
func Read[T any](srcs []Source, opts Options, decode func(*Doc) T) *Stream[T] {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	s := &Stream[T]{order: make(chan *batch[T], 2*workers+2), quit: make(chan struct{})}
	s.budget.init(MaxDocument)
	work := make(chan *batch[T], workers)
	for range workers {
		go func() {
			for b := range work {
				b.decode(decode)
			}
		}()
	}
	go s.split(srcs, opts.Stdin, work)
	return s
}

// Next returns the next result; false after the last, or after Close.
func (s *Stream[T]) Next() (T, bool) {
	var zero T
	select {
	case <-s.quit:
		return zero, false
	default:
	}
	for s.cur == nil || s.pos >= len(s.cur.out) {
		if s.cur != nil {
			s.budget.release(s.cur.size)
			s.cur = nil
		}
		select {
		case b, ok := <-s.order:
			if !ok {
				return zero, false
			}
			<-b.done
			s.cur, s.pos = b, 0
		case <-s.quit:
			return zero, false
		}
	}
	v := s.cur.out[s.pos]
	s.cur.out[s.pos] = zero // the caller owns it now
	s.pos++
	return v, true
}

// Close stops reading; Next then returns false.
func (s *Stream[T]) Close() {
	s.once.Do(func() {
		close(s.quit)
		s.budget.close()
	})
}

// BytesRead is how many bytes of the sources were read so far.
func (s *Stream[T]) BytesRead() int64 { return s.read.Load() }

func (b *batch[T]) decode(decode func(*Doc) T) {
	b.out = make([]T, len(b.docs))
	start := 0
	for i := range b.docs {
		d := &b.docs[i]
		if d.Err == nil {
			d.Raw = b.buf[start:b.ends[i]:b.ends[i]]
		}
		b.out[i] = decode(d)
		d.Raw = nil
		start = b.ends[i]
	}
	putBuf(b.buf)
	b.buf, b.docs, b.ends = nil, nil, nil
	close(b.done)
}

// splitter is the reading goroutine's state: the batch being filled.
type splitter[T any] struct {
	s     *Stream[T]
	work  chan<- *batch[T]
	b     *batch[T]
	eager bool // send each document at once (a pipe may be slow to give the next)
}

func (s *Stream[T]) split(srcs []Source, stdin io.Reader, work chan<- *batch[T]) {
	defer close(s.order)
	defer close(work)
	sp := &splitter[T]{s: s, work: work}
	sp.b = newBatch[T]()
	for _, src := range srcs {
		if !sp.source(src, stdin) {
			return
		}
	}
	if len(sp.b.docs) > 0 {
		sp.send()
	}
}

func newBatch[T any]() *batch[T] {
	return &batch[T]{buf: getBuf(), done: make(chan struct{})}
}

// add appends a document (raw is copied) and sends the batch when full.
func (sp *splitter[T]) add(d Doc, raw []byte) bool {
	sp.b.buf = append(sp.b.buf, raw...)
	return sp.added(d)
}

// added records a document whose bytes are already at the end of the buffer.
func (sp *splitter[T]) added(d Doc) bool {
	sp.b.docs = append(sp.b.docs, d)
	sp.b.ends = append(sp.b.ends, len(sp.b.buf))
	if sp.eager || len(sp.b.docs) >= batchDocs || len(sp.b.buf) >= batchBytes {
		return sp.send()
	}
	return true
}

// send hands the batch to the workers and to Next; false once closed.
func (sp *splitter[T]) send() bool {
	b := sp.b
	sp.b = newBatch[T]()
	b.size = len(b.buf)
	if !sp.s.budget.acquire(b.size) {
		return false
	}
	select {
	case sp.s.order <- b:
	case <-sp.s.quit:
		return false
	}
	select {
	case sp.work <- b:
	case <-sp.s.quit:
		return false
	}
	return true
}

// source reads one source into the batches.
func (sp *splitter[T]) source(src Source, stdin io.Reader) bool {
	name := src.Path
	if src.Path == Stdin {
		name = "<stdin>"
	}
	if src.Err != nil {
		return sp.add(Doc{Name: name, Err: src.Err}, nil)
	}
	var r io.Reader
	size := int64(-1)
	if src.Path == Stdin {
		if stdin == nil {
			stdin = bytes.NewReader(nil)
		}
		r = stdin
	} else {
		f, n, err := openFile(src.Path)
		if err != nil {
			return sp.add(Doc{Name: name, Err: err}, nil)
		}
		defer f.Close()
		r, size = f, n
	}
	sp.eager = src.Path == Stdin
	return sp.read(name, &counter{r: r, n: &sp.s.read}, size)
}

// read tells a document from JSON Lines by the first lines of r: a
// recording's first line is an entry; JSON Lines have a whole JSON value
// on the first line and more after it; anything else is one document.
// Only what it takes to decide is read before the lines are handed out.
func (sp *splitter[T]) read(name string, r io.Reader, size int64) bool {
	start := len(sp.b.buf)
	if size >= 0 && size <= 1<<20 {
		sp.b.buf = grow(sp.b.buf, int(size)+1) // one read, for most files
	}
	var err error
	first := -1 // where the first non-blank line starts
	eol := -1   // its end
	more := false
	for {
		data := sp.b.buf[start:]
		if first < 0 {
			first = nonBlank(data, 0)
		}
		if first >= 0 && eol < 0 {
			if i := bytes.IndexByte(data[first:], '\n'); i >= 0 {
				eol = first + i
			}
		}
		if eol >= 0 && nonBlank(data, eol+1) >= 0 {
			more = true
		}
		if more || err != nil || len(data) > MaxDocument {
			break
		}
		if len(sp.b.buf) == cap(sp.b.buf) {
			sp.b.buf = grow(sp.b.buf, 64<<10)
		}
		var n int
		n, err = r.Read(sp.b.buf[len(sp.b.buf):cap(sp.b.buf)])
		sp.b.buf = sp.b.buf[:len(sp.b.buf)+n]
	}
	data := sp.b.buf[start:]
	if err != nil && err != io.EOF {
		sp.b.buf = sp.b.buf[:start]
		return sp.add(Doc{Name: name, Err: err}, nil)
	}
	switch {
	case eol < 0 && len(data) > MaxDocument, eol-first > MaxDocument:
		return sp.lines(name, r, start, 0) // the first line is over the limit
	case !more:
		if first >= 0 && err == io.EOF && record.IsEntry(data) {
			return sp.lines(name, r, start, Entry) // a recording of one line
		}
		if err == nil { // over the limit
			sp.b.buf = sp.b.buf[:start]
			return sp.add(Doc{Name: name, Err: &TooLargeError{MaxDocument}}, nil)
		}
		return sp.added(Doc{Name: name, Kind: File})
	case record.IsEntry(data[first:eol]):
		return sp.lines(name, r, start, Entry)
	case json.Valid(data[first:eol]):
		return sp.lines(name, r, start, Line)
	}
	return sp.document(name, r, start)
}

// document reads the rest of a one-document source.
func (sp *splitter[T]) document(name string, r io.Reader, start int) bool {
	for len(sp.b.buf)-start <= MaxDocument {
		if len(sp.b.buf) == cap(sp.b.buf) {
			sp.b.buf = grow(sp.b.buf, len(sp.b.buf)-start)
		}
		n, err := r.Read(sp.b.buf[len(sp.b.buf):cap(sp.b.buf)])
		sp.b.buf = sp.b.buf[:len(sp.b.buf)+n]
		if err == io.EOF {
			return sp.added(Doc{Name: name, Kind: File})
		}
		if err != nil {
			sp.b.buf = sp.b.buf[:start]
			return sp.add(Doc{Name: name, Err: err}, nil)
		}
	}
	sp.b.buf = sp.b.buf[:start]
	return sp.add(Doc{Name: name, Err: &TooLargeError{MaxDocument}}, nil)
}

// lines reads a source line by line, its first bytes from the batch
// buffer at start; kind 0 (File) means the first line read decides.
func (sp *splitter[T]) lines(name string, r io.Reader, start int, kind Kind) bool {
	head := append(getBuf(), sp.b.buf[start:]...)
	sp.b.buf = sp.b.buf[:start]
	sc := jsonl.NewScanner(r, MaxDocument, head)
	for {
		line, err := sc.Next()
		var tl *jsonl.TooLongError
		switch {
		case err == io.EOF:
			return true
		case errors.As(err, &tl):
			if !sp.add(Doc{Name: name, Line: tl.Line, Err: err}, nil) {
				return false
			}
			continue
		case err != nil:
			return sp.add(Doc{Name: name, Err: err}, nil)
		}
		if kind == File {
			kind = Line
			if record.IsEntry(line) {
				kind = Entry
			}
		}
		if !sp.add(Doc{Name: name, Line: sc.Line(), Kind: kind}, line) {
			return false
		}
	}
}

// nonBlank is the index of the first byte of b from i on that is not
// JSON white space, or -1.
func nonBlank(b []byte, i int) int {
	for ; i < len(b); i++ {
		if c := b[i]; c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return i
		}
	}
	return -1
}

// grow makes room for at least n more bytes after len(b).
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) >= n {
		return b
	}
	return append(b, make([]byte, n)...)[:len(b)]
}

// Batch buffers are recycled: decode keeps nothing of Raw, so a long run
// allocates no memory per document for reading.
var bufs = sync.Pool{New: func() any { b := make([]byte, 0, batchBytes+64<<10); return &b }}

func getBuf() []byte { return (*bufs.Get().(*[]byte))[:0] }

func putBuf(b []byte) {
	if cap(b) <= 4*batchBytes {
		b = b[:0]
		bufs.Put(&b)
	}
}

type counter struct {
	r io.Reader
	n *atomic.Int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// budget bounds the bytes of the batches between the reader and Next.
type budget struct {
	mu     sync.Mutex
	cond   sync.Cond
	used   int
	limit  int
	closed bool
}

func (b *budget) init(limit int) { b.cond.L, b.limit = &b.mu, limit }

// acquire waits until n bytes fit (a batch always fits alone); false once closed.
func (b *budget) acquire(n int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.used > 0 && b.used+n > b.limit && !b.closed {
		b.cond.Wait()
	}
	b.used += n
	return !b.closed
}

func (b *budget) release(n int) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	b.cond.Broadcast()
}

func (b *budget) close() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.cond.Broadcast()
}
