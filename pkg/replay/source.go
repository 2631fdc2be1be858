// Package replay reads what `lcwh replay` sends: fixture files, directories
// of them and `lcwh listen` recordings, streamed one delivery at a time so a
// recording of any size is replayed in constant memory.
package replay

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"sync/atomic"

	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
	"github.com/lcwh/lcwh/pkg/validate"
)

// MaxDocument bounds a single webhook file.
const MaxDocument = 64 << 20

// Item is one body to deliver, or a part of a source that could not be read.
type Item struct {
	Label  string // "dir/a.json", "rec.jsonl:12"
	Action string
	Body   []byte
	// Summary is payload.Summarize of the body as one line, or "(not JSON)";
	// computed while reading, in parallel, so senders never wait for it.
	Summary string
	// Redacted tells that the body carries a redacted secret_key.
	Redacted bool
	Err      error // the item could not be read; Body is nil
}

// Stream yields the items of the sources in order.
type Stream struct {
	paths []string
	stdin io.Reader
	i     int
	cur   io.Closer
	rec   *lines
	name  string
	Read  atomic.Int64 // bytes consumed so far, for progress
	Total int64        // total bytes of the sources (0 when unknown, e.g. stdin)
}

// Open expands the sources (directories recursively, *.json in lexical
// order; "-" is stdin) without reading them.
func Open(sources []string, stdin io.Reader) (*Stream, error) {
	paths, err := validate.Expand(sources)
	if err != nil {
		return nil, err
	}
	s := &Stream{paths: paths, stdin: stdin}
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && p != validate.Stdin {
			s.Total += fi.Size()
		}
	}
	return s, nil
}

// Files is the number of files the stream will read.
func (s *Stream) Files() int { return len(s.paths) }

// Next returns the next item, or io.EOF after the last.
func (s *Stream) Next() (Item, error) {
	for {
		if s.rec != nil {
			if it, ok := s.rec.next(); ok {
				return it, nil
			}
			s.closeCur()
			continue
		}
		if s.i >= len(s.paths) {
			return Item{}, io.EOF
		}
		p := s.paths[s.i]
		s.i++
		if it, ok := s.open(p); ok {
			return it, nil
		}
	}
}

// open starts a source: a recording becomes the current reader (ok=false);
// a single document is returned whole (ok=true).
func (s *Stream) open(p string) (Item, bool) {
	var r io.Reader
	s.name = p
	if p == validate.Stdin {
		r, s.name = s.stdin, "stdin"
	} else {
		f, err := os.Open(p)
		if err != nil {
			return Item{Label: p, Err: err}, true
		}
		s.cur, r = f, f
	}
	br := bufio.NewReaderSize(&counter{r: r, n: &s.Read}, 64<<10)
	var head []byte
	for {
		line, err := br.ReadBytes('\n')
		head = append(head, line...)
		if len(bytes.TrimSpace(line)) > 0 || err != nil {
			if isEntryLine(line) {
				s.rec = startLines(s.name, io.MultiReader(bytes.NewReader(head), br), Workers)
				return Item{}, false
			}
			break
		}
	}
	rest, err := io.ReadAll(io.LimitReader(br, MaxDocument))
	s.closeCur()
	if err != nil {
		return Item{Label: s.name, Err: err}, true
	}
	return newItem(s.name, "", append(head, rest...)), true
}

func (s *Stream) closeCur() {
	if s.cur != nil {
		s.cur.Close()
		s.cur = nil
	}
	if s.rec != nil {
		s.rec.stop()
		s.rec = nil
	}
}

// Close releases the file being read.
func (s *Stream) Close() { s.closeCur() }

// isEntryLine tells a recording from a document by its first line: a
// recording's is a whole JSON object with a body and a verdict.
func isEntryLine(line []byte) bool {
	var obj map[string]any
	if json.Unmarshal(bytes.TrimSpace(line), &obj) != nil {
		return false
	}
	return record.IsEntry(obj)
}

var (
	redacted       = []byte(payload.Redacted)
	redactedSpaced = []byte(`"secret_key": "` + payload.Redacted + `"`)
	redactedTight  = []byte(`"secret_key":"` + payload.Redacted + `"`)
)

// newItem parses the body once for its summary and, when none was
// recorded, its action.
func newItem(label, action string, body []byte) Item {
	it := Item{Label: label, Action: action, Body: body, Summary: "(not JSON)",
		Redacted: bytes.IndexByte(body, '<') >= 0 && bytes.Contains(body, redacted) &&
			(bytes.Contains(body, redactedSpaced) || bytes.Contains(body, redactedTight))}
	if a, sum, ok := fastSummary(body); ok {
		if it.Action == "" {
			it.Action = a
		}
		it.Summary = sum.String()
	} else if d, err := payload.Decode(body); err == nil {
		if it.Action == "" {
			it.Action = d.Envelope.Action
		}
		it.Summary = payload.Summarize(d).String()
	}
	return it
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
