package payload

// Redacted replaces secret values in everything lcwh shows or records.
const Redacted = "<redacted>"

// Redact returns raw with the top-level secret_key string replaced by
// "<redacted>", every other byte kept as it was. raw must be valid JSON;
// when it holds no secret_key string, raw itself is returned.
func Redact(raw []byte) []byte {
	start, end, ok := secretSpan(raw)
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

// secretSpan finds the bytes of the top-level secret_key string token.
func secretSpan(raw []byte) (start, end int, ok bool) {
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
