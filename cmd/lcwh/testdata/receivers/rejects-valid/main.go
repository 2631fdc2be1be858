// Planted flaw (rejects-valid): the receiver parses events strictly and
// refuses a field it does not know with 400, so the first field LiveChat
// adds to events breaks it.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"github.com/lcwh/lcwh/cmd/lcwh/testdata/receivers/receiver"
)

// known are the event fields of the documentation, every type's.
var known = []string{
	"id", "custom_id", "created_at", "type", "author_id", "visibility", "properties", "deleted",
	"text", "postback", "system_message_type", "text_vars", "name", "url", "content_type", "size", "width", "height",
	"thumbnail_url", "thumbnail2x_url", "alternative_text", "template_id", "elements", "form_id", "form_type", "fields",
	"content", "source", "subtype", "version", "details",
}

func main() {
	receiver.Main(&receiver.Receiver{Flaw: func(_ context.Context, h receiver.Webhook, _ *receiver.Receiver) (int, string) {
		var p struct{ Event map[string]json.RawMessage }
		_ = json.Unmarshal(h.Payload, &p)
		for k := range p.Event {
			if !slices.Contains(known, k) {
				return http.StatusBadRequest, fmt.Sprintf("event: unknown field %q", k)
			}
		}
		return 0, ""
	}})
}
