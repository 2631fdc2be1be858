package record

import "strings"

// Kind is what happened to a delivery, in one word: the one verdict that
// listen's terminal view and summary, the recording, the inspector's list
// and its page's filter all show. Classify decides it; nothing else does.
type Kind string

// The verdicts, in the order Classify tests them: the first that applies.
const (
	Filtered  Kind = "filtered"   // its action is not in --actions: answered 200, neither recorded nor shown
	Unread    Kind = "unread"     // the body did not arrive whole (a time-out, a hang-up, lcwh too busy)
	TooLarge  Kind = "too_large"  // larger than --max-body (413)
	WrongPath Kind = "wrong_path" // not sent to --path (404)
	Malformed Kind = "malformed"  // not JSON (400)
	Rejected  Kind = "rejected"   // secret_key wrong or missing (401)
	Unchecked Kind = "unchecked"  // the schema check could not run (500)
	Invalid   Kind = "invalid"    // breaks its action's schema (answered 200 all the same)
	Valid     Kind = "valid"      // parsed, secret accepted, schema kept
)

// Facts are what a verdict is decided from: what listen saw, or what a
// recording line holds.
type Facts struct {
	Filtered  bool
	Unread    bool // the body could not be read whole
	TooLarge  bool
	WrongPath bool
	Parsed    bool // the body is JSON
	Rejected  bool // the secret check refused it
	Checked   bool // the schema check ran
	Errors    int  // schema errors it found
}

// Classify is the one place that decides a delivery's verdict.
func Classify(f Facts) Kind {
	switch {
	case f.Filtered:
		return Filtered
	case f.Unread:
		return Unread
	case f.TooLarge:
		return TooLarge
	case f.WrongPath:
		return WrongPath
	case !f.Parsed:
		return Malformed
	case f.Rejected:
		return Rejected
	case !f.Checked:
		return Unchecked
	case f.Errors > 0:
		return Invalid
	}
	return Valid
}

// KindInfo names a verdict for people.
type KindInfo struct {
	Name  Kind   `json:"name"`
	Label string `json:"label"`
}

// Kinds are the verdicts a recorded (so shown) delivery can have, in the
// order a filter lists them.
var Kinds = []KindInfo{
	{Valid, "valid"},
	{Invalid, "schema errors"},
	{Malformed, "malformed JSON"},
	{Rejected, "secret rejected"},
	{TooLarge, "too large"},
	{WrongPath, "wrong path"},
	{Unread, "body not received"},
	{Unchecked, "not checked"},
}

// Label names the verdict for people ("secret rejected"); the name itself
// for one Kinds does not list.
func (k Kind) Label() string {
	for _, i := range Kinds {
		if i.Name == k {
			return i.Label
		}
	}
	return string(k)
}

// Kind is the entry's verdict: as recorded or, for a line written before
// lcwh recorded it, worked out from what the line holds.
func (e *Entry) Kind() Kind {
	v := e.Verdict
	if v.Kind != "" {
		return v.Kind
	}
	status := e.Response.Status
	return Classify(Facts{
		Unread: status == 408 || status == 503 ||
			len(v.Errors) > 0 && strings.HasPrefix(v.Errors[0], "cannot read the body"),
		TooLarge:  status == 413,
		WrongPath: status == 404,
		Parsed:    v.Parsed,
		Rejected:  v.Secret == "wrong" || v.Secret == "missing",
		Checked:   v.Valid || len(v.Errors) > 0,
		Errors:    len(v.Errors),
	})
}
