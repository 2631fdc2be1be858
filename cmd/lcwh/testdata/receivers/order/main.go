// Planted flaw (order): the receiver refuses a chat's webhooks with 409
// until the incoming_chat that announces the chat has arrived.
package main

import (
	"context"
	"net/http"

	"github.com/lcwh/lcwh/cmd/lcwh/testdata/receivers/receiver"
)

func main() {
	receiver.Main(&receiver.Receiver{Flaw: func(_ context.Context, h receiver.Webhook, rc *receiver.Receiver) (int, string) {
		if id := h.ChatID(); id != "" && h.Action != "incoming_chat" {
			if c := rc.Chat(id); c == nil || !c.Announced {
				return http.StatusConflict, "unknown chat " + id
			}
		}
		return 0, ""
	}})
}
