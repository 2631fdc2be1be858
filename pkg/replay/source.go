// Package replay reads what `lcwh replay` sends: the documents of its
// sources (pkg/inputs: fixture files, folders, JSON Lines of bodies, `lcwh
// listen` recordings), each turned into a body to deliver with its label,
// action and summary, in order and in constant memory.
package replay

import (
	"bytes"
	"io"
	"os"

	"github.com/lcwh/lcwh/pkg/inputs"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
)

// Item is one body to deliver, or a part of a source that could not be read.
type Item struct {
	Label  string // "dir/a.json", "rec.jsonl:12"; "a.jsonl:6:2" for a body that is not JSON (Err)
	Action string
	Body   []byte
	// Summary is payload.Summarize of the body as one line, or "(not
	// JSON)" for a recorded body that is not JSON (sent as it came);
	// computed while reading, in parallel, so senders never wait for it.
	Summary string
	// Redacted tells that the body carries a redacted secret_key.
	Redacted bool
	// Err says why the item could not be read (Body is nil); when
	// inputs.Tolerated(Err), it is a note (a pipe in a folder, a line cut
	// short), not a failure.
	Err error
}

// Stream yields the items of the sources in order.
type Stream struct {
	s     *inputs.Stream[Item]
	Total int64 // bytes of the sources (0 when unknown, e.g. stdin)
}

// Open starts reading srcs; stdin is what "-" reads.
func Open(srcs []inputs.Source, stdin io.Reader) *Stream {
	s := &Stream{s: inputs.Read(srcs, inputs.Options{Stdin: stdin}, item)}
	for _, src := range srcs {
		if fi, err := os.Stat(src.Path); err == nil && src.Path != inputs.Stdin && src.Err == nil {
			s.Total += fi.Size()
		}
	}
	return s
}

// Next returns the next item, or io.EOF after the last.
func (s *Stream) Next() (Item, error) {
	if it, ok := s.s.Next(); ok {
		return it, nil
	}
	return Item{}, io.EOF
}

// BytesRead is how much of the sources was read so far, for progress.
func (s *Stream) BytesRead() int64 { return s.s.BytesRead() }

// Close stops reading.
func (s *Stream) Close() { s.s.Close() }

// item makes a document into an Item (on a worker goroutine).
func item(d *inputs.Doc) Item {
	label := d.Where()
	switch {
	case d.Err != nil:
		return Item{Label: label, Err: d.Err}
	case d.Kind == inputs.Entry:
		action, body, err := decodeLine(d.Raw)
		if err != nil {
			return Item{Label: label, Err: record.Cut(err)}
		}
		// a recorded body is sent as it came, JSON or not: it is what
		// LiveChat sent (listen records malformed deliveries too)
		it, _ := newItem(label, action, body)
		return it
	}
	// a body of its own is JSON, or reported where it breaks (as validate
	// and print report it) and not sent
	it, err := newItem(label, "", bytes.Clone(d.Raw))
	if err != nil {
		return Item{Label: d.At(err), Err: err}
	}
	return it
}

var (
	redacted       = []byte(payload.Redacted)
	redactedSpaced = []byte(`"secret_key": "` + payload.Redacted + `"`)
	redactedTight  = []byte(`"secret_key":"` + payload.Redacted + `"`)
)

// newItem parses the body once for its summary and, when none was
// recorded, its action; a body that is not JSON is summarised as "(not
// JSON)" and its syntax error returned.
func newItem(label, action string, body []byte) (Item, error) {
	it := Item{Label: label, Action: action, Body: body, Summary: "(not JSON)",
		Redacted: bytes.IndexByte(body, '<') >= 0 && bytes.Contains(body, redacted) &&
			(bytes.Contains(body, redactedSpaced) || bytes.Contains(body, redactedTight))}
	if a, sum, ok := fastSummary(body); ok {
		if it.Action == "" {
			it.Action = a
		}
		it.Summary = sum.String()
		return it, nil
	}
	d, err := payload.Decode(body)
	if err != nil {
		return it, err
	}
	if it.Action == "" {
		it.Action = d.Envelope.Action
	}
	it.Summary = payload.Summarize(d).String()
	return it, nil
}
