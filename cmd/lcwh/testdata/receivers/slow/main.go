// Planted flaw (slow): on a transfer the receiver updates a CRM before it
// answers, and the CRM hangs: chat_transferred is never answered in time.
package main

import (
	"context"
	"time"

	"github.com/lcwh/lcwh/cmd/lcwh/testdata/receivers/receiver"
)

func main() {
	receiver.Main(&receiver.Receiver{Flaw: func(ctx context.Context, h receiver.Webhook, _ *receiver.Receiver) (int, string) {
		if h.Action == "chat_transferred" {
			select { // the CRM call: until the client gives up
			case <-ctx.Done():
			case <-time.After(time.Minute):
			}
		}
		return 0, ""
	}})
}
