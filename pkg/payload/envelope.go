package payload

import "strings"

// Envelope is what every webhook carries around its payload.
type Envelope struct {
	WebhookID      string         `json:"webhook_id"`
	SecretKey      string         `json:"secret_key"`
	Action         string         `json:"action"`
	OrganizationID string         `json:"organization_id"`
	Payload        any            `json:"payload"`
	AdditionalData map[string]any `json:"additional_data,omitempty"`
}

// Document is one parsed webhook body: the bytes as received, the decoded
// value (for validation) and the envelope fields that could be read.
type Document struct {
	Raw      []byte
	Value    any
	Envelope Envelope
}

// Decode parses raw bytes into a Document. It fails only on syntax errors
// (*SyntaxError); a body of the wrong shape decodes and fails validation.
func Decode(raw []byte) (*Document, error) {
	v, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	d := &Document{Raw: raw, Value: v}
	if obj, ok := v.(map[string]any); ok {
		// Cloned: the parsed strings share the document's memory, and the
		// envelope often outlives the document (in results, summaries).
		e := &d.Envelope
		e.WebhookID = cloneString(obj["webhook_id"])
		e.SecretKey = cloneString(obj["secret_key"])
		e.Action = cloneString(obj["action"])
		e.OrganizationID = cloneString(obj["organization_id"])
		e.Payload = obj["payload"]
		e.AdditionalData, _ = obj["additional_data"].(map[string]any)
	}
	return d, nil
}

// Object returns the document's top-level object, or nil when it is not one.
func (d *Document) Object() map[string]any {
	m, _ := d.Value.(map[string]any)
	return m
}

func cloneString(v any) string {
	s, _ := v.(string)
	return strings.Clone(s)
}
