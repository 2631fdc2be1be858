package payload

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"sync"
)

// Redacted replaces secret values in everything lcwh shows or records.
const Redacted = "<redacted>"

// Redact returns raw with the value of every top-level secret_key member,
// whatever its type, replaced by "<redacted>", every other byte kept as it
// was. JSON lets a name occur twice (and parsers keep the last), so each
// occurrence is redacted, however its name is escaped. A secret_key deeper
// down is the payload's own data, not LiveChat's secret: it is kept. When
// raw holds no top-level secret_key, raw itself is returned. A body cut
// short is redacted as far as it reads as JSON.
func Redact(raw []byte) []byte {
	spans := SecretSpans(raw)
	if len(spans) == 0 {
		return raw
	}
	return Splice(raw, spans, []byte(`"`+Redacted+`"`))
}

// Splice returns raw with each span (in order, not overlapping) replaced by with.
func Splice(raw []byte, spans [][2]int, with []byte) []byte {
	n := len(raw)
	for _, sp := range spans {
		n += len(with) - (sp[1] - sp[0])
	}
	out := make([]byte, 0, n)
	at := 0
	for _, sp := range spans {
		out = append(out, raw[at:sp[0]]...)
		out = append(out, with...)
		at = sp[1]
	}
	return append(out, raw[at:]...)
}

// SecretSpans finds the value of every top-level secret_key member,
// whatever its type (a string with its quotes), to the end of raw when it
// is cut short, in order. It reads raw as far as it is JSON: a truncated
// body's members before the cut are found.
func SecretSpans(raw []byte) [][2]int {
	at := SpaceEnd(raw, 0)
	if at >= len(raw) || raw[at] != '{' {
		return nil
	}
	// without \u escapes a name reads as written: when "secret_key" occurs
	// at most once, the first such member is the only one (the common case,
	// found without scanning the rest of the body)
	single := !bytes.Contains(raw, []byte(`\u`))
	if single {
		switch bytes.Count(raw, []byte("secret_key")) {
		case 0:
			return nil
		case 1:
		default:
			single = false
		}
	}
	var spans [][2]int
	for m := ObjectMembers(raw, at); m.Next(); {
		if m.Name() != "secret_key" {
			continue
		}
		end := SkipValue(raw, m.Value)
		if end > m.Value {
			spans = append(spans, [2]int{m.Value, end})
			if single {
				return spans
			}
		}
		m.ValueEndsAt(end)
	}
	return spans
}

// RedactBody hides the secret_key of a body that parsed (exactly, with
// Redact) or did not (with Redact as far as it reads, then RedactLoose).
func RedactBody(raw []byte, parsed bool) []byte {
	if parsed {
		return Redact(raw)
	}
	return RedactLoose(Redact(raw))
}

// looseSecret matches the name and colon of a secret_key member in text
// that is not valid JSON (past a syntax error), its name written plainly or
// with the underscore escaped. Compiled on first use: most runs never see
// a malformed body.
var looseSecret = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`"secret(?:_|\\u005[fF])key"\s*:\s*`)
})

// RedactLoose hides secret_key values in a body that did not parse, where
// Redact cannot see past the error: the value of every "secret_key": member,
// whatever its type, to the end of the body when it is cut short, is
// replaced at any depth (which member is the top-level one cannot be told).
func RedactLoose(body []byte) []byte {
	if !bytes.Contains(body, []byte(`"secret`)) {
		return body
	}
	var spans [][2]int
	for _, m := range looseSecret().FindAllIndex(body, -1) {
		start := m[1]
		if len(spans) > 0 && start < spans[len(spans)-1][1] {
			continue // inside the value just redacted
		}
		if end := SkipValue(body, start); end > start {
			spans = append(spans, [2]int{start, end})
		}
	}
	if len(spans) == 0 {
		return body
	}
	return Splice(body, spans, []byte(`"`+Redacted+`"`))
}

// SecretHeaders are the request headers that carry credentials. LiveChat
// sends none, but a proxy, a tunnel or a test client may add them.
var SecretHeaders = []string{"Authorization", "Cookie", "Proxy-Authorization"}

// RedactHeaders returns h with the values of SecretHeaders (any case)
// replaced by "<redacted>", or h itself when it holds none. h is not changed.
func RedactHeaders(h http.Header) http.Header {
	var out http.Header
	for k := range h {
		for _, secret := range SecretHeaders {
			if strings.EqualFold(k, secret) {
				if out == nil {
					out = h.Clone()
				}
				out[k] = []string{Redacted}
			}
		}
	}
	if out == nil {
		return h
	}
	return out
}
