// Planted flaw (rejects-valid): the receiver parses events strictly: it
// knows every field the documentation gives events (here read from lcwh's
// schemas) and refuses any other with 400, so the first field LiveChat
// adds to events breaks it.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/lcwh/lcwh/cmd/lcwh/testdata/receivers/receiver"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/payload/shape"
)

func main() {
	sch, err := shape.Load(payload.DefaultVersion)
	if err != nil {
		panic(err)
	}
	known := map[string]bool{}
	event := sch.Defs["Event"]
	for _, f := range event.Fields {
		known[f.Name] = true
	}
	for _, c := range event.Cases { // the fields of each type of event
		for _, form := range c.Apply {
			for _, f := range sch.Resolve(form).Fields {
				known[f.Name] = true
			}
		}
	}
	receiver.Main(&receiver.Receiver{Flaw: func(_ context.Context, h receiver.Webhook, _ *receiver.Receiver) (int, string) {
		var p struct{ Event map[string]json.RawMessage }
		_ = json.Unmarshal(h.Payload, &p)
		for k := range p.Event {
			if !known[k] {
				return http.StatusBadRequest, fmt.Sprintf("event: unknown field %q", k)
			}
		}
		return 0, ""
	}})
}
