// Planted flaw (server-error): the receiver assumes every event has a
// text, so an incoming_event carrying a file, a form or a rich message
// panics the handler and the connection is dropped without an answer.
package main

import (
	"context"
	"encoding/json"

	"github.com/lcwh/lcwh/cmd/lcwh/testdata/receivers/receiver"
)

func main() {
	receiver.Main(&receiver.Receiver{Flaw: func(_ context.Context, h receiver.Webhook, _ *receiver.Receiver) (int, string) {
		if h.Action == "incoming_event" {
			var p struct{ Event map[string]any }
			_ = json.Unmarshal(h.Payload, &p)
			_ = p.Event["text"].(string) // panics when there is no text
		}
		return 0, ""
	}})
}
