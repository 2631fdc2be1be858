// appendFloat and appendString follow encoding/json's encoders (encode.go),
// Copyright 2009 The Go Authors, BSD 3-Clause licence
// (LICENSES/BSD-3-Clause-Go.txt); changed by the lcwh authors as NOTICE says.

package record

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendLine appends e as one recording line (ending in '\n') to dst.
// The bytes are exactly what encoding/json's Encoder (HTML escaping off)
// writes for e, so Reader (and any JSON reader) reads the same entry back;
// it is written by hand because a recording line is mostly one long
// escaped body, which reflection-based encoding makes needlessly slow.
func AppendLine(dst []byte, e *Entry) ([]byte, error) {
	if y := e.Time.Year(); y < 0 || y > 9999 {
		// what time.Time.MarshalJSON refuses: let encoding/json word the error
		b, err := json.Marshal(e)
		if err != nil {
			return dst, err
		}
		return append(append(dst, b...), '\n'), nil
	}
	dst = append(dst, `{"time":"`...)
	dst = e.Time.AppendFormat(dst, time.RFC3339Nano)
	dst = append(dst, `","remote_addr":`...)
	dst = appendString(dst, e.RemoteAddr)
	dst = append(dst, `,"method":`...)
	dst = appendString(dst, e.Method)
	dst = append(dst, `,"path":`...)
	dst = appendString(dst, e.Path)
	dst = append(dst, `,"headers":`...)
	dst = appendHeaders(dst, e.Headers)
	dst = append(dst, `,"body":`...)
	dst = appendString(dst, e.Body)
	if len(e.BodyBase64) > 0 {
		dst = append(dst, `,"body_base64":"`...)
		dst = base64.StdEncoding.AppendEncode(dst, e.BodyBase64)
		dst = append(dst, '"')
	}
	if e.Action != "" {
		dst = append(dst, `,"action":`...)
		dst = appendString(dst, e.Action)
	}
	dst = append(dst, `,"verdict":{`...)
	if e.Verdict.Kind != "" {
		dst = append(dst, `"kind":`...)
		dst = appendString(dst, string(e.Verdict.Kind))
		dst = append(dst, ',')
	}
	dst = append(dst, `"parsed":`...)
	dst = strconv.AppendBool(dst, e.Verdict.Parsed)
	dst = append(dst, `,"valid":`...)
	dst = strconv.AppendBool(dst, e.Verdict.Valid)
	dst = append(dst, `,"secret":`...)
	dst = appendString(dst, e.Verdict.Secret)
	if len(e.Verdict.Errors) > 0 {
		dst = append(dst, `,"errors":`...)
		dst = appendStrings(dst, e.Verdict.Errors)
	}
	dst = append(dst, `},"response":{"status":`...)
	dst = strconv.AppendInt(dst, int64(e.Response.Status), 10)
	dst = append(dst, `,"duration_ms":`...)
	var err error
	if dst, err = appendFloat(dst, e.Response.DurationMS); err != nil {
		return dst, err
	}
	dst = append(dst, '}')
	if f := e.Forward; f != nil {
		dst = append(dst, `,"forward":{"url":`...)
		dst = appendString(dst, f.URL)
		if f.Status != 0 {
			dst = append(dst, `,"status":`...)
			dst = strconv.AppendInt(dst, int64(f.Status), 10)
		}
		dst = append(dst, `,"duration_ms":`...)
		if dst, err = appendFloat(dst, f.DurationMS); err != nil {
			return dst, err
		}
		if f.Error != "" {
			dst = append(dst, `,"error":`...)
			dst = appendString(dst, f.Error)
		}
		dst = append(dst, '}')
	}
	return append(dst, '}', '\n'), nil
}

func appendHeaders(dst []byte, h map[string][]string) []byte {
	if h == nil {
		return append(dst, "null"...)
	}
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, k)
		dst = append(dst, ':')
		dst = appendStrings(dst, h[k])
	}
	return append(dst, '}')
}

func appendStrings(dst []byte, ss []string) []byte {
	if ss == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, s)
	}
	return append(dst, ']')
}

// appendFloat formats f as encoding/json does.
func appendFloat(dst []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return dst, &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, 64)}
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// e-09 to e-9
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, nil
}

// safe marks the ASCII bytes written as they are inside a JSON string.
var safe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// safe8 tells whether 8 bytes are all safe ASCII, testing them at once
// (a long body is mostly such runs). A byte below 0x20 borrows into its
// high bit, a quote or backslash xored away becomes 0 and borrows, a byte
// of 0x80 or more has it already; a borrow can only spill into a higher
// byte from a byte that is itself unsafe.
func safe8(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	x := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	return (x|(x-0x20*ones)|((x^'"'*ones)-ones)|((x^'\\'*ones)-ones))&highs == 0
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string exactly as encoding/json does
// without HTML escaping: invalid UTF-8 becomes \ufffd, U+2028 and U+2029
// are escaped.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && safe8(s[i:i+8]) {
			i += 8
			continue
		}
		b := s[i]
		if b < utf8.RuneSelf {
			if safe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// ReplaceDuration appends line (a line of AppendLine) to dst with its
// response.duration_ms set to ms. It reports false, appending nothing,
// when line is not such a line.
func ReplaceDuration(dst, line []byte, ms float64) ([]byte, bool) {
	// `"response":{` cannot occur inside a string, where every quote is escaped
	const key = `,"response":{"status":`
	i := bytes.LastIndex(line, []byte(key))
	if i < 0 {
		return dst, false
	}
	j := bytes.Index(line[i+len(key):], []byte(`,"duration_ms":`))
	if j < 0 {
		return dst, false
	}
	start := i + len(key) + j + len(`,"duration_ms":`)
	end := bytes.IndexByte(line[start:], '}')
	if end < 0 {
		return dst, false
	}
	out, err := appendFloat(append(dst, line[:start]...), ms)
	if err != nil {
		return dst, false
	}
	return append(out, line[start+end:]...), true
}
