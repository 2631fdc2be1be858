// Package jsonl splits JSON Lines into lines in bounded memory: a line
// longer than the limit is read past (never held whole) and reported, and
// the lines after it are still read.
package jsonl

import (
	"bytes"
	"fmt"
	"io"
)

// Scanner reads the non-blank lines of r, each at most max bytes.
type Scanner struct {
	r     io.Reader
	max   int
	buf   []byte
	start int   // buf[start:] is read but not yet returned
	line  int   // number of the line last returned
	err   error // the read error (io.EOF at the end), once r returned it
}

// NewScanner reads lines of at most max bytes (without the newline) from
// head, then from r; head becomes the scanner's buffer.
func NewScanner(r io.Reader, max int, head []byte) *Scanner {
	if cap(head) < 64<<10 {
		head = append(make([]byte, 0, 64<<10), head...)
	}
	return &Scanner{r: r, max: max, buf: head}
}

// TooLongError is a line over the limit, skipped.
type TooLongError struct {
	Line int   // its number
	Size int64 // its length in bytes
	Max  int
}

func (e *TooLongError) Error() string {
	return fmt.Sprintf("line too long (%d bytes; the limit is %s)", e.Size, Size(int64(e.Max)))
}

// Next returns the next non-blank line without its newline, valid until
// the next call; io.EOF after the last; a *TooLongError for a line over the
// limit (call Next again for the lines after it); or the error reading r.
func (s *Scanner) Next() ([]byte, error) {
	scanned := 0 // of buf[start:], bytes known to hold no newline
	for {
		rest := s.buf[s.start:]
		if i := bytes.IndexByte(rest[scanned:], '\n'); i >= 0 {
			line := rest[:scanned+i]
			s.start += scanned + i + 1
			s.line++
			if blank(line) {
				scanned = 0
				continue
			}
			if len(line) > s.max {
				return nil, &TooLongError{Line: s.line, Size: int64(len(line)), Max: s.max}
			}
			return line, nil
		}
		scanned = len(rest)
		if s.err != nil && s.err != io.EOF {
			return nil, s.err
		}
		if s.err != nil {
			s.start = len(s.buf)
			if len(rest) == 0 || blank(rest) {
				return nil, s.err
			}
			s.line++
			if len(rest) > s.max {
				return nil, &TooLongError{Line: s.line, Size: int64(len(rest)), Max: s.max}
			}
			return rest, nil // the last line, without its newline
		}
		if len(rest) > s.max {
			return nil, s.skip(int64(len(rest)))
		}
		s.fill()
	}
}

// skip reads past the rest of a line over the limit, n bytes of which are
// already read, reusing the buffer.
func (s *Scanner) skip(n int64) error {
	s.line++
	s.start = len(s.buf)
	for {
		s.fill()
		rest := s.buf[s.start:]
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			s.start += i + 1
			n += int64(i)
			break
		}
		n += int64(len(rest))
		s.start = len(s.buf)
		if s.err != nil {
			break
		}
	}
	if cap(s.buf) > 1<<20 { // give back what the long line took
		s.buf, s.start = append(make([]byte, 0, 64<<10), s.buf[s.start:]...), 0
	}
	if s.err != nil && s.err != io.EOF {
		return s.err
	}
	return &TooLongError{Line: s.line, Size: n, Max: s.max}
}

// fill reads more into buf, first moving what is unread to its front and
// growing it, when that is full, up to one byte over the limit.
func (s *Scanner) fill() {
	if s.start > 0 {
		s.buf = s.buf[:copy(s.buf, s.buf[s.start:])]
		s.start = 0
	}
	if len(s.buf) == cap(s.buf) {
		grown := make([]byte, len(s.buf), max(min(2*cap(s.buf), s.max+1), len(s.buf)+1))
		copy(grown, s.buf)
		s.buf = grown
	}
	n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
	s.buf = s.buf[:len(s.buf)+n]
	if err != nil {
		s.err = err
	}
}

// Line is the number of the line last returned (blank lines count).
func (s *Scanner) Line() int { return s.line }

func blank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// Size words a size in bytes for people: "70 MiB", "512 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<20:
		return trim(fmt.Sprintf("%.1f", float64(n)/(1<<20))) + " MiB"
	case n >= 1<<10:
		return trim(fmt.Sprintf("%.1f", float64(n)/(1<<10))) + " KiB"
	}
	return fmt.Sprintf("%d bytes", n)
}

func trim(s string) string { return string(bytes.TrimSuffix([]byte(s), []byte(".0"))) }
