package replay

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"

	"github.com/lcwh/lcwh/pkg/record"
)

// Workers is how many goroutines decode recording lines.
var Workers = runtime.GOMAXPROCS(0)

// A recording is decoded by a pipeline: one goroutine splits it into lines
// and groups them in batches, Workers goroutines decode the batches, and
// next hands the items out in recording order. At most window batches
// (each at most batchBytes of lines, or one longer line) are in flight, so
// memory stays bounded whatever the recording's size.
const (
	batchLines = 64
	batchBytes = 256 << 10
)

type batch struct {
	buf   []byte // the lines, back to back
	ends  []int  // end of each line in buf
	nums  []int  // line number of each line
	items []Item
	done  chan struct{} // closed once items is filled
}

type lines struct {
	name  string
	order chan *batch
	quit  chan struct{}
	once  sync.Once
	cur   *batch
	pos   int
}

func startLines(name string, r io.Reader, workers int) *lines {
	workers = max(workers, 1)
	l := &lines{name: name, order: make(chan *batch, 2*workers+2), quit: make(chan struct{})}
	work := make(chan *batch, workers)
	for range workers {
		go func() {
			for b := range work {
				l.decode(b)
				close(b.done)
			}
		}()
	}
	go l.read(r, work)
	return l
}

// next returns the next item in recording order; ok is false at the end.
func (l *lines) next() (Item, bool) {
	for l.cur == nil || l.pos >= len(l.cur.items) {
		select {
		case b, ok := <-l.order:
			if !ok {
				return Item{}, false
			}
			<-b.done
			l.cur, l.pos = b, 0
		case <-l.quit:
			return Item{}, false
		}
	}
	it := l.cur.items[l.pos]
	l.cur.items[l.pos] = Item{} // the sender owns the body now
	l.pos++
	return it, true
}

// stop ends the pipeline early.
func (l *lines) stop() { l.once.Do(func() { close(l.quit) }) }

func (l *lines) read(r io.Reader, work chan<- *batch) {
	defer close(l.order)
	defer close(work)
	br := bufio.NewReaderSize(r, 64<<10)
	b := newBatch()
	send := func(toWork bool) bool {
		select {
		case l.order <- b:
		case <-l.quit:
			return false
		}
		if toWork {
			select {
			case work <- b:
			case <-l.quit:
				return false
			}
		}
		b = newBatch()
		return true
	}
	fail := func(label string, err error) {
		if len(b.ends) > 0 && !send(true) {
			return
		}
		b.items = []Item{{Label: label, Err: err}}
		close(b.done)
		send(false)
	}
	n := 0
	var long []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long, chunk...)
			if len(long) > record.MaxLine {
				fail(fmt.Sprintf("%s:%d", l.name, n+1), fmt.Errorf("line longer than %d bytes", record.MaxLine))
				return
			}
			continue
		}
		line := chunk
		if long != nil {
			line = append(long, chunk...)
			long = nil
		}
		if len(line) > 0 {
			n++
			if t := bytes.TrimSpace(line); len(t) > 0 {
				b.buf = append(b.buf, t...)
				b.ends = append(b.ends, len(b.buf))
				b.nums = append(b.nums, n)
				if (len(b.ends) >= batchLines || len(b.buf) >= batchBytes) && !send(true) {
					return
				}
			}
		}
		if err != nil {
			if err != io.EOF {
				fail(l.name, err)
				return
			}
			if len(b.ends) > 0 {
				send(true)
			}
			return
		}
	}
}

func newBatch() *batch {
	return &batch{buf: make([]byte, 0, batchBytes+32<<10), done: make(chan struct{})}
}

func (l *lines) decode(b *batch) {
	b.items = make([]Item, len(b.ends))
	start := 0
	for i, end := range b.ends {
		label := l.name + ":" + strconv.Itoa(b.nums[i])
		action, body, err := decodeLine(b.buf[start:end])
		if err != nil {
			b.items[i] = Item{Label: label, Err: err}
		} else {
			b.items[i] = newItem(label, action, body)
		}
		start = end
	}
	b.buf = nil
}
