package render

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lcwh/lcwh/pkg/payload"
)

// Limits bound what one body renders to for a person. A hostile body (200
// KB of arrays nested thousands deep) would otherwise indent to gigabytes.
type Limits struct {
	Bytes int // text shown, colour codes not counted; 0 = no limit
	Depth int // containers nested deeper are shown as […] or {…}; 0 = no limit
}

// DefaultLimits bound a body in print, listen and the inspector: far more
// than a real webhook needs (LiveChat's deepest are about ten levels, and
// a 1 MiB body rarely indents to more), small enough for a terminal.
var DefaultLimits = Limits{Bytes: 1 << 20, Depth: 32}

// Cut is what a bounded rendering left out; the zero Cut: nothing.
type Cut struct {
	Bytes  int // bytes of the body after the last line shown
	Values int // containers nested deeper than Depth, shown as […] or {…}
	Depth  int // the depth limit they passed
}

// String says what was left out, for a note under the body ("" when nothing).
func (c Cut) String() string {
	var parts []string
	if c.Values > 0 {
		parts = append(parts, fmt.Sprintf("%d %s nested deeper than %d levels shown as […]", c.Values, plural(c.Values, "value", "values"), c.Depth))
	}
	if c.Bytes > 0 {
		parts = append(parts, fmt.Sprintf("the last %d bytes of the body not shown", c.Bytes))
	}
	if len(parts) == 0 {
		return ""
	}
	return "cut: " + strings.Join(parts, "; ")
}

// AppendPretty appends raw (JSON) to dst indented by two spaces, arrays
// that fit in 80 columns on one line (as tidwall/pretty lays it out), and
// coloured when asked, within lim: it stops at the last whole line within
// lim.Bytes and shows containers deeper than lim.Depth as […] or {…}. It
// takes time and memory in proportion to what it shows, whatever raw is.
// Control characters in strings (DEL, C1) are escaped, so the text is safe
// for a terminal; invalid JSON is shown as far as it can be read.
func AppendPretty(dst, raw []byte, color bool, lim Limits) ([]byte, Cut) {
	p := printer{in: raw, out: dst, color: color, depth: lim.Depth, max: lim.Bytes, lineOut: len(dst)}
	p.run()
	p.cut.Depth = lim.Depth
	return p.out, p.cut
}

// Indent pretty-prints JSON as AppendPretty does, whole: values nested
// deeper than DefaultLimits.Depth are written compactly, so the text stays
// the same JSON value and its size stays proportional to raw's.
func Indent(raw []byte) []byte {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	p := printer{in: raw, depth: DefaultLimits.Depth, flat: true}
	p.run()
	return p.out
}

// Terminal colours of JSON, as tidwall/pretty's TerminalStyle.
const (
	styleKey      = "\x1b[1m\x1b[94m"
	styleString   = "\x1b[32m"
	styleNumber   = "\x1b[33m"
	styleBool     = "\x1b[36m"
	styleNull     = "\x1b[2m"
	styleEscape   = "\x1b[35m"
	styleBrackets = "\x1b[1m"
	styleReset    = "\x1b[0m"
)

// width is the column up to which an array is laid out on one line.
const width = 80

// printer writes one JSON value; see AppendPretty.
type printer struct {
	in    []byte
	i     int // read position
	out   []byte
	color bool
	depth int  // deepest container shown; 0 = any
	flat  bool // deeper containers written compactly instead of as […]
	max   int  // visible bytes; 0 = any

	shown  int  // visible bytes written
	stopAt int  // shown at which writing stops (0 = never): max+1, or an attempted line's end
	halt   bool // stopAt was reached

	// the last newline: where to cut back to, and the column rule of
	// tidwall/pretty (an array fits in width-col-slack, slack 1 unless
	// the line follows an element separator)
	lineOut, lineShown, lineIn, slack int

	cut Cut
}

func (p *printer) run() {
	if p.max > 0 {
		p.stopAt = p.max + 1
	}
	p.value(0)
	p.space()
	if p.halt || p.max > 0 && p.shown > p.max {
		p.out = p.out[:p.lineOut]
		p.cut.Bytes = len(p.in) - p.lineIn
		return
	}
	if p.shown > 0 {
		p.out = append(p.out, '\n')
	}
}

func (p *printer) space() { p.i = payload.SpaceEnd(p.in, p.i) }

// visible writes text that shows.
func (p *printer) visible(s ...byte) {
	p.out = append(p.out, s...)
	p.shown += len(s)
	if p.stopAt > 0 && p.shown >= p.stopAt {
		p.halt = true
	}
}

func (p *printer) style(s string) {
	if p.color {
		p.out = append(p.out, s...)
	}
}

// punct writes a bracket, or a colon or comma of an object.
func (p *printer) punct(c byte) {
	p.style(styleBrackets)
	p.visible(c)
	p.style(styleReset)
}

// newline starts a line indented by tabs levels, unless the text passed
// the byte limit (then it halts: the line just ended is cut).
func (p *printer) newline(tabs, slack int) {
	if p.max > 0 && p.shown > p.max {
		p.halt = true
		return
	}
	p.out = append(p.out, '\n')
	p.shown++
	p.lineOut, p.lineShown, p.lineIn, p.slack = len(p.out), p.shown, p.i, slack
	for range tabs {
		p.visible(' ', ' ')
	}
}

func (p *printer) value(tabs int) {
	p.space()
	if p.i >= len(p.in) || p.halt {
		return
	}
	switch c := p.in[p.i]; c {
	case '{', '[':
		p.container(tabs, c)
	case '"':
		p.str(styleString)
	default:
		p.scalar()
	}
}

// container writes the object or array at p.i, whose members are
// indented by tabs+1 levels.
func (p *printer) container(tabs int, open byte) {
	if p.depth > 0 && tabs >= p.depth {
		if p.flat {
			p.compact()
			return
		}
		p.skip()
		p.cut.Values++
		p.style(styleNull)
		p.visible(open)
		p.visible([]byte("…")...)
		p.visible(open + 2) // ] or }
		p.style(styleReset)
		return
	}
	if open == '[' && p.oneLine(tabs) {
		return
	}
	close := open + 2
	p.punct(open)
	p.i++
	n := 0
	for !p.halt {
		p.space()
		if p.i >= len(p.in) {
			break // truncated: close what is open
		}
		c := p.in[p.i]
		if c == close {
			p.i++
			break
		}
		if c == ',' && n > 0 {
			p.i++
			continue
		}
		if open == '{' {
			if c != '"' {
				p.i++ // not JSON: skip what cannot be a key
				continue
			}
			if n > 0 {
				p.punct(',')
			}
			p.newline(tabs+1, 1)
			if p.halt {
				return
			}
			p.str(styleKey)
			p.space()
			if p.i < len(p.in) && p.in[p.i] == ':' {
				p.i++
			}
			p.punct(':')
			p.visible(' ')
		} else {
			slack := 1
			if n > 0 {
				p.visible(',')
				slack = 0
			}
			p.newline(tabs+1, slack)
			if p.halt {
				return
			}
		}
		start := p.i
		p.value(tabs + 1)
		if p.i == start && !p.halt {
			p.i++ // not JSON: make progress
		}
		n++
	}
	if p.halt {
		return
	}
	if n > 0 {
		p.newline(tabs, 1)
		if p.halt {
			return
		}
	}
	p.punct(close)
}

// oneLine tries the array at p.i on the rest of the line; it reports
// false, having written nothing, when the array holds an object, nests
// past the depth limit or does not fit.
func (p *printer) oneLine(tabs int) bool {
	room := width - (p.shown - p.lineShown) - p.slack
	if room <= 3 {
		return false
	}
	i, outLen, shown, stopAt := p.i, len(p.out), p.shown, p.stopAt
	if p.stopAt == 0 || shown+room+1 < p.stopAt {
		p.stopAt = shown + room + 1
	}
	ok := p.lineArray(tabs) && !p.halt
	p.stopAt = stopAt
	if ok {
		return true
	}
	p.i, p.out, p.shown, p.halt = i, p.out[:outLen], shown, false
	return false
}

// lineArray writes the array at p.i on one line: [1, "a", [2]].
func (p *printer) lineArray(tabs int) bool {
	if p.depth > 0 && tabs >= p.depth {
		return false
	}
	p.punct('[')
	p.i++
	for n := 0; ; n++ {
		p.space()
		if p.i >= len(p.in) || p.halt {
			return false
		}
		if p.in[p.i] == ']' {
			p.i++
			p.punct(']')
			return !p.halt
		}
		if n > 0 {
			if p.in[p.i] != ',' {
				return false
			}
			p.i++
			p.space()
			p.visible(',', ' ')
			if p.i >= len(p.in) {
				return false
			}
		}
		switch p.in[p.i] {
		case '{', ',', ']':
			return false
		case '[':
			if !p.lineArray(tabs + 1) {
				return false
			}
		case '"':
			p.str(styleString)
		default:
			start := p.i
			p.scalar()
			if p.i == start {
				return false
			}
		}
	}
}

// scalar writes the number, true, false or null at p.i.
func (p *printer) scalar() {
	start := p.i
	for p.i < len(p.in) {
		c := p.in[p.i]
		if c <= ' ' || c == ',' || c == ':' || c == ']' || c == '}' || c == '"' || c == '[' || c == '{' {
			break
		}
		p.i++
	}
	tok := p.in[start:p.i]
	if len(tok) == 0 {
		return
	}
	switch c := tok[0]; {
	case c == 't' || c == 'f':
		p.style(styleBool)
	case c == 'n':
		p.style(styleNull)
	default:
		p.style(styleNumber)
	}
	p.token(tok)
	p.style(styleReset)
}

// token writes bytes of the input that hold no quote, escaping what a
// terminal would act on.
func (p *printer) token(tok []byte) {
	for len(tok) > 0 && !p.halt {
		n := safeRun(tok)
		p.visible(tok[:n]...)
		tok = tok[n:]
		if len(tok) > 0 {
			size := controlSize(tok)
			p.escaped(tok[:size])
			tok = tok[size:]
		}
	}
}

// str writes the string at p.i in style s (key or string), its escapes
// marked as tidwall/pretty marks them.
func (p *printer) str(s string) {
	p.style(s)
	p.visible('"')
	p.i++
	for p.i < len(p.in) && !p.halt {
		rest := p.in[p.i:]
		n := 0
		for n < len(rest) && rest[n] != '"' && rest[n] != '\\' && n < 4096 {
			n++
		}
		if n == 4096 {
			n = runeStart(rest[:n]) // keep a control character in one piece
		}
		run := safeRun(rest[:n])
		p.visible(rest[:run]...)
		p.i += run
		if p.i >= len(p.in) || p.halt {
			break
		}
		switch c := p.in[p.i]; {
		case c == '"':
			p.i++
			p.visible('"')
			p.style(styleReset)
			return
		case c == '\\':
			end := p.i + 2
			if p.i+1 < len(p.in) && p.in[p.i+1] == 'u' {
				end = p.i + 6
			}
			end = min(end, len(p.in))
			end = p.i + 1 + safeRun(p.in[p.i+1:end]) // a broken escape's control character: escaped next
			p.style(styleReset)
			p.style(styleEscape)
			p.visible(p.in[p.i:end]...)
			p.style(styleReset)
			p.style(s)
			p.i = end
		case run < n:
			size := controlSize(p.in[p.i:])
			p.style(styleReset)
			p.escaped(p.in[p.i : p.i+size])
			p.style(s)
			p.i += size
		}
	}
	p.style(styleReset)
}

// escaped writes a control character as a JSON escape.
func (p *printer) escaped(b []byte) {
	e := escape(b)
	p.style(styleEscape)
	p.visible(e[:]...)
	p.style(styleReset)
}

const hexDigits = "0123456789abcdef"

// safeRun is the length of the start of b that holds no control
// character (controlAt).
func safeRun[T string | []byte](b T) int {
	for i := 0; i < len(b); i++ {
		if c := b[i]; (c < ' ' || c == 0x7f || c == 0xc2 || c == 0xe2) && controlAt(b, i) > 0 {
			return i
		}
	}
	return len(b)
}

// controlAt is the size in bytes of the control character at b[i], 0 when
// there is none there: a character a terminal acts on (C0, DEL, C1: U+0080
// to U+009F, 0xC2 0x80-0x9F in UTF-8) or one that reorders the text it
// shows, a bidirectional embedding, override or isolate (U+202A to U+202E,
// U+2066 to U+2069: "Trojan Source"). Marks (U+200E, U+200F) only place
// neutral characters, and are kept.
func controlAt[T string | []byte](b T, i int) int {
	switch c := b[i]; {
	case c < ' ' || c == 0x7f:
		return 1
	case c == 0xc2 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9f:
		return 2
	case c == 0xe2 && i+2 < len(b) && (b[i+1] == 0x80 && b[i+2] >= 0xaa && b[i+2] <= 0xae || b[i+1] == 0x81 && b[i+2] >= 0xa6 && b[i+2] <= 0xa9):
		return 3
	}
	return 0
}

// controlSize is the size of the control character at the start of b.
func controlSize(b []byte) int { return controlAt(b, 0) }

// escape is the JSON escape (\u001b, \u202e) of the control character c.
func escape[T string | []byte](c T) [6]byte {
	var r rune
	switch len(c) {
	case 1:
		r = rune(c[0])
	case 2:
		r = rune(c[0]&0x1f)<<6 | rune(c[1]&0x3f)
	default:
		r = rune(c[0]&0x0f)<<12 | rune(c[1]&0x3f)<<6 | rune(c[2]&0x3f)
	}
	return [6]byte{'\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf]}
}

// runeStart is len(b), or where the character its end cuts begins.
func runeStart(b []byte) int {
	for i := len(b) - 1; i >= max(0, len(b)-3); i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return i
			}
			break
		}
	}
	return len(b)
}

// compact writes the container at p.i without insignificant space.
func (p *printer) compact() {
	depth := 0
	for p.i < len(p.in) && !p.halt {
		c := p.in[p.i]
		switch c {
		case ' ', '\t', '\n', '\r':
			p.i++
			continue
		case '"':
			p.str(styleString)
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
		p.i++
		p.token([]byte{c})
		if depth <= 0 {
			return
		}
	}
}

// skip moves past the container at p.i.
func (p *printer) skip() { p.i = payload.SkipValue(p.in, p.i) }
