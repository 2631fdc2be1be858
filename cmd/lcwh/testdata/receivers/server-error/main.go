// Planted flaw (server-error): the receiver reads who closed a chat from
// chat_deactivated's user_id, which LiveChat leaves out when the router
// closed it: the handler panics and the connection is dropped without an
// answer.
package main

import (
	"context"
	"encoding/json"

	"github.com/lcwh/lcwh/cmd/lcwh/testdata/receivers/receiver"
)

func main() {
	receiver.Main(&receiver.Receiver{Flaw: func(_ context.Context, h receiver.Webhook, _ *receiver.Receiver) (int, string) {
		if h.Action == "chat_deactivated" {
			var p map[string]any
			_ = json.Unmarshal(h.Payload, &p)
			_ = p["user_id"].(string) // panics when there is no user_id
		}
		return 0, ""
	}})
}
