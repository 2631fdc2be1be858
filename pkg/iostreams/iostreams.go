// Package iostreams owns the process's standard streams: which of them are
// terminals and whether each gets colour. Commands and renderers take an
// *IOStreams (or just a Palette) instead of touching os.Stdout, so tests
// run them with buffers. It imports no other lcwh package.
package iostreams

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/fatih/color"
	"github.com/mattn/go-isatty"
)

// IOStreams owns the process's streams so commands can be tested with buffers.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	InTTY, OutTTY, ErrTTY bool
	colorOut, colorErr    bool
}

// System returns the process's real streams with TTY detection.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		InTTY:  isTerminal(os.Stdin),
		OutTTY: isTerminal(os.Stdout),
		ErrTTY: isTerminal(os.Stderr),
	}
}

// Test returns streams over buffers (stdin empty, no terminals, no colour)
// and the buffers holding stdout and stderr.
func Test() (ios *IOStreams, in *bytes.Buffer, out *bytes.Buffer, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// ColorModes are the values of --color.
var ColorModes = []string{"auto", "always", "never"}

// SetColorMode decides colour once per stream: "always", "never" or "auto"
// (a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces it on).
func (s *IOStreams) SetColorMode(mode string, getenv func(string) string) {
	switch mode {
	case "always":
		s.colorOut, s.colorErr = true, true
	case "never":
		s.colorOut, s.colorErr = false, false
	default:
		switch {
		case getenv("NO_COLOR") != "":
			s.colorOut, s.colorErr = false, false
		case getenv("CLICOLOR_FORCE") != "" && getenv("CLICOLOR_FORCE") != "0":
			s.colorOut, s.colorErr = true, true
		default:
			s.colorOut, s.colorErr = s.OutTTY, s.ErrTTY
		}
	}
}

// ColorOut and ColorErr tell whether each stream gets colour.
func (s *IOStreams) ColorOut() bool { return s.colorOut }
func (s *IOStreams) ColorErr() bool { return s.colorErr }

// Palette colours text for one stream, or leaves it plain.
type Palette struct{ on bool }

// NewPalette returns a palette that colours only when on.
func NewPalette(on bool) Palette { return Palette{on} }

func (p Palette) paint(s string, attrs ...color.Attribute) string {
	if !p.on {
		return s
	}
	c := color.New(attrs...)
	c.EnableColor()
	return c.Sprint(s)
}

func (p Palette) Red(s string) string    { return p.paint(s, color.FgRed) }
func (p Palette) Green(s string) string  { return p.paint(s, color.FgGreen) }
func (p Palette) Yellow(s string) string { return p.paint(s, color.FgYellow) }
func (p Palette) Cyan(s string) string   { return p.paint(s, color.FgCyan) }
func (p Palette) Bold(s string) string   { return p.paint(s, color.Bold) }
func (p Palette) Faint(s string) string  { return p.paint(s, color.Faint) }
func (p Palette) On() bool               { return p.on }

// Progress is a status line on stderr while a long run goes on, drawn only
// when stderr is a terminal, at most every 100ms, and cleared before other
// output (Clear) and at the end. Safe for concurrent use.
type Progress struct {
	on    bool
	w     io.Writer
	mu    sync.Mutex
	shown bool
	last  time.Time
}

// NewProgress returns a progress line on s's stderr.
func (s *IOStreams) NewProgress() *Progress {
	return &Progress{on: s.ErrTTY, w: s.ErrOut}
}

// Show redraws the line with the text of format and args, unless it was
// drawn less than 100ms ago.
func (p *Progress) Show(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.on || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\r\033[K"+format, args...)
	p.shown = true
}

// Clear erases the line, if drawn.
func (p *Progress) Clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
