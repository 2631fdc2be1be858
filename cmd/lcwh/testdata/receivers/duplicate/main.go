// Planted flaw (duplicate): the receiver remembers the webhooks it
// handled and answers a copy with 409 Conflict instead of 200.
package main

import (
	"context"
	"crypto/sha256"
	"net/http"
	"sync"

	"github.com/lcwh/lcwh/cmd/lcwh/testdata/receivers/receiver"
)

func main() {
	var mu sync.Mutex
	seen := map[[32]byte]bool{}
	receiver.Main(&receiver.Receiver{Flaw: func(_ context.Context, h receiver.Webhook, _ *receiver.Receiver) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		k := sha256.Sum256(h.Body)
		if seen[k] {
			return http.StatusConflict, "already handled"
		}
		seen[k] = true
		return 0, ""
	}})
}
