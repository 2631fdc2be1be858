// Planted flaw (rejects-valid): the receiver was written against API 3.4
// and refuses the event types it does not know, such as 3.6's "system"
// events, with 400.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"github.com/lcwh/lcwh/cmd/lcwh/testdata/receivers/receiver"
)

var known = []string{"message", "system_message", "file", "rich_message", "filled_form", "form", "custom"}

func main() {
	receiver.Main(&receiver.Receiver{Flaw: func(_ context.Context, h receiver.Webhook, _ *receiver.Receiver) (int, string) {
		var p struct {
			Event struct{ Type string }
			Chat  struct {
				Thread struct{ Events []struct{ Type string } }
			}
		}
		_ = json.Unmarshal(h.Payload, &p)
		types := []string{p.Event.Type}
		for _, e := range p.Chat.Thread.Events {
			types = append(types, e.Type)
		}
		for _, t := range types {
			if t != "" && !slices.Contains(known, t) {
				return http.StatusBadRequest, fmt.Sprintf("unknown event type %q", t)
			}
		}
		return 0, ""
	}})
}
