// Package record defines the recording format shared by `lcwh listen`
// (which writes it) and `lcwh print` / `lcwh replay` (which read it):
// JSON Lines, one delivery per line, appended whole.
package record

import (
	"net/http"
	"time"
	"unicode/utf8"
)

// Entry is one recorded delivery.
type Entry struct {
	Time       time.Time   `json:"time"`
	RemoteAddr string      `json:"remote_addr"`
	Method     string      `json:"method"`
	Path       string      `json:"path"`
	Headers    http.Header `json:"headers"`
	// Body is the body exactly as received (secret_key redacted unless the
	// user asked to keep it). A body that is not valid UTF-8 cannot be a
	// JSON string without loss, so it goes to BodyBase64 instead.
	Body       string   `json:"body"`
	BodyBase64 []byte   `json:"body_base64,omitempty"`
	Action     string   `json:"action,omitempty"`
	Verdict    Verdict  `json:"verdict"`
	Response   Response `json:"response"`
	Forward    *Forward `json:"forward,omitempty"`
}

// Verdict is what lcwh concluded about a delivery.
type Verdict struct {
	// Kind is the verdict in one word (Classify); lines written before it
	// was recorded lack it: Entry.Kind works it out.
	Kind   Kind     `json:"kind,omitempty"`
	Parsed bool     `json:"parsed"`
	Valid  bool     `json:"valid"`
	Secret string   `json:"secret"` // "ok", "wrong", "missing" or "unchecked"
	Errors []string `json:"errors,omitempty"`
}

// Response is what lcwh answered.
type Response struct {
	Status     int     `json:"status"`
	DurationMS float64 `json:"duration_ms"`
}

// Forward is what the developer's app answered when forwarding was on.
type Forward struct {
	URL        string  `json:"url"`
	Status     int     `json:"status,omitempty"`
	DurationMS float64 `json:"duration_ms"`
	Error      string  `json:"error,omitempty"`
}

// SetBody stores raw in the entry without loss.
func (e *Entry) SetBody(raw []byte) {
	if utf8.Valid(raw) {
		e.Body, e.BodyBase64 = string(raw), nil
		return
	}
	e.Body, e.BodyBase64 = "", append([]byte(nil), raw...)
}

// RawBody returns the body bytes as recorded.
func (e *Entry) RawBody() []byte {
	if e.BodyBase64 != nil {
		return e.BodyBase64
	}
	return []byte(e.Body)
}
