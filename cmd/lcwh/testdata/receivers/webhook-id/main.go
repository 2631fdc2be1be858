// Planted flaw (webhook-id): the receiver de-duplicates on webhook_id,
// which names the registration, not the delivery: every webhook of a
// registration has the same one, so it accepts the first webhook of each
// action and answers 409 Conflict to every later one.
package main

import (
	"context"
	"net/http"
	"sync"

	"github.com/lcwh/lcwh/cmd/lcwh/testdata/receivers/receiver"
)

func main() {
	var mu sync.Mutex
	seen := map[string]bool{}
	receiver.Main(&receiver.Receiver{Flaw: func(_ context.Context, h receiver.Webhook, _ *receiver.Receiver) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		if seen[h.WebhookID] {
			return http.StatusConflict, "already handled"
		}
		seen[h.WebhookID] = true
		return 0, ""
	}})
}
