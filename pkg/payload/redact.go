package payload

import (
	"bytes"
	"regexp"
	"sync"
)

// Redacted replaces secret values in everything lcwh shows or records.
const Redacted = "<redacted>"

// Redact returns raw with the top-level secret_key string replaced by
// "<redacted>", every other byte kept as it was. raw must be valid JSON;
// when it holds no secret_key string, raw itself is returned.
func Redact(raw []byte) []byte {
	start, end, ok := SecretSpan(raw)
	if !ok {
		return raw
	}
	out := make([]byte, 0, len(raw)-(end-start)+len(Redacted)+2)
	out = append(out, raw[:start]...)
	out = append(out, '"')
	out = append(out, Redacted...)
	out = append(out, '"')
	return append(out, raw[end:]...)
}

// SecretSpan finds the bytes of the top-level secret_key string token,
// quotes included (to the end of raw when the string is not terminated).
func SecretSpan(raw []byte) (start, end int, ok bool) {
	s := scanner{data: raw}
	s.space()
	if s.peek() != '{' || !s.findMember("secret_key") || s.peek() != '"' {
		return 0, 0, false
	}
	start = s.pos
	s.skipString()
	return start, s.pos, true
}

// RedactValue does the same on a decoded document's top-level object, in place.
func RedactValue(v any) {
	if m, ok := v.(map[string]any); ok {
		if _, has := m["secret_key"].(string); has {
			m["secret_key"] = Redacted
		}
	}
}

// RedactBody hides the secret_key of a body that parsed (exactly, with
// Redact) or did not (with RedactLoose).
func RedactBody(raw []byte, parsed bool) []byte {
	if parsed {
		return Redact(raw)
	}
	return RedactLoose(raw)
}

// looseSecret matches a secret_key member in text that is not valid JSON
// (a truncated or malformed body), up to the end of its string or the body.
// Compiled on first use: most runs never see a malformed body.
var looseSecret = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`("secret_key"\s*:\s*)"(?:[^"\\]|\\.)*"?`)
})

// RedactLoose hides secret_key values in a body that did not parse, where
// Redact cannot be used: every "secret_key": "..." is replaced.
func RedactLoose(body []byte) []byte {
	if !bytes.Contains(body, []byte(`"secret_key"`)) {
		return body
	}
	return looseSecret().ReplaceAll(body, []byte(`${1}"`+Redacted+`"`))
}
