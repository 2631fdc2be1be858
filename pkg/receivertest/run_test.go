package receivertest

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
)

// receiver answers webhooks: it checks the secret, then lets flaw decide
// (0: answer 200).
func receiver(t *testing.T, flaw func(w http.ResponseWriter, action string, body []byte) int) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		buf := make([]byte, 1<<20)
		for {
			n, err := r.Body.Read(buf)
			body = append(body, buf[:n]...)
			if err != nil {
				break
			}
		}
		var env struct {
			Action    string  `json:"action"`
			SecretKey *string `json:"secret_key"`
		}
		if json.Unmarshal(body, &env) != nil || env.SecretKey == nil || *env.SecretKey != "s" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if status := flaw(w, env.Action, body); status != 0 {
			w.WriteHeader(status)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// run tests the receiver at url with the actions (all when none).
func run(t *testing.T, url string, actions ...string) *Report {
	t.Helper()
	rep, err := Run(context.Background(), Options{URL: url, APIVersion: "3.6", Secret: "s", Seed: 5, Actions: actions})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func checks(rep *Report) map[string][]string {
	out := map[string][]string{}
	for _, f := range rep.Findings {
		out[f.Check] = append(out[f.Check], f.Action)
	}
	return out
}

func TestCorrectReceiverHasNoFinding(t *testing.T) {
	rep := run(t, receiver(t, func(http.ResponseWriter, string, []byte) int { return 0 }))
	if len(rep.Findings) != 0 {
		t.Errorf("findings for a correct receiver: %+v", rep.Findings)
	}
	if rep.Sent == 0 || rep.NotSent != 0 || rep.Stopped != "" {
		t.Errorf("sent %d, not sent %d, stopped %q", rep.Sent, rep.NotSent, rep.Stopped)
	}
}

func TestOneCausePerActionAndStatus(t *testing.T) {
	rep := run(t, receiver(t, func(_ http.ResponseWriter, action string, _ []byte) int {
		switch action {
		case "thread_tagged":
			return http.StatusInternalServerError
		case "agent_updated":
			return http.StatusUnprocessableEntity
		}
		return 0
	}), "thread_tagged", "agent_updated")
	got := checks(rep)
	if len(rep.Findings) != 2 || len(got[ServerError]) != 1 || got[ServerError][0] != "thread_tagged" || len(got[RejectsValid]) != 1 || got[RejectsValid][0] != "agent_updated" {
		t.Fatalf("findings %v", got)
	}
	for _, f := range rep.Findings {
		// the scenario, its redelivery, the variants and, for a chat webhook, the reversed chat's and the burst's
		if least := map[string]int{"thread_tagged": 6, "agent_updated": 4}[f.Action]; f.Count < least {
			t.Errorf("%s: counted %d, want at least %d", f.Action, f.Count, least)
		}
		if f.Status == 0 || f.Message == "" || f.LiveChat == "" || len(f.Body) == 0 || f.Change != "" || f.Part != Scenarios {
			t.Errorf("the example is not the fixture as it is, or the finding is incomplete: %+v", f)
		}
	}
}

func TestDroppedConnectionIsAServerError(t *testing.T) {
	rep := run(t, receiver(t, func(w http.ResponseWriter, action string, _ []byte) int {
		if action == "chat_deactivated" {
			panic(http.ErrAbortHandler) // net/http closes the connection without an answer
		}
		return 0
	}), "chat_deactivated")
	if len(rep.Findings) != 1 || rep.Findings[0].Check != ServerError || rep.Findings[0].Error == "" {
		t.Fatalf("findings %+v", rep.Findings)
	}
}

func TestRefusedCopiesAreOneFinding(t *testing.T) {
	var mu sync.Mutex
	seen := map[[32]byte]bool{}
	rep := run(t, receiver(t, func(_ http.ResponseWriter, _ string, body []byte) int {
		mu.Lock()
		defer mu.Unlock()
		k := sha256.Sum256(body)
		if seen[k] {
			return http.StatusConflict
		}
		seen[k] = true
		return 0
	}), "incoming_event", "thread_tagged", "agent_created")
	got := checks(rep)
	if len(rep.Findings) != 1 || len(got[Duplicate]) != 1 {
		t.Fatalf("findings %v", got)
	}
	f := rep.Findings[0]
	if f.Repeat != 2 || len(f.Actions) != 4 || f.Status != http.StatusConflict {
		t.Errorf("duplicate finding %+v", f)
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	_, err := Run(context.Background(), Options{URL: url, APIVersion: "3.6", Seed: 1, Actions: []string{"incoming_event"}})
	var ue *UnreachableError
	if !errors.As(err, &ue) {
		t.Fatalf("got %v, want an *UnreachableError", err)
	}
}

func TestEarlyWebhooksRefused(t *testing.T) {
	var mu sync.Mutex
	known := map[string]bool{}
	rep := run(t, receiver(t, func(_ http.ResponseWriter, action string, body []byte) int {
		var b struct {
			Payload struct {
				ChatID string              `json:"chat_id"`
				Chat   struct{ ID string } `json:"chat"`
			} `json:"payload"`
		}
		_ = json.Unmarshal(body, &b)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case action == "incoming_chat":
			known[b.Payload.Chat.ID] = true
		case b.Payload.ChatID != "" && !known[b.Payload.ChatID]:
			return http.StatusConflict
		}
		return 0
	}), "incoming_event", "thread_tagged", "chat_deactivated")
	got := checks(rep)
	if len(rep.Findings) != 1 || len(got[Order]) != 1 {
		t.Fatalf("findings %v", got)
	}
	if f := rep.Findings[0]; f.Count < 3 || f.Status != http.StatusConflict {
		t.Errorf("order finding %+v", f)
	}
}

func TestSecretNotChecked(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	rep := run(t, srv.URL, "incoming_event")
	got := checks(rep)
	if len(rep.Findings) != 2 || len(got[Secret]) != 2 {
		t.Fatalf("findings %v", got)
	}
	wrong, missing := rep.Findings[0], rep.Findings[1]
	if !wrong.SecretAsIs || !missing.NoSecret {
		t.Errorf("reproduce flags: %+v %+v", wrong, missing)
	}
}

// A failing variant is shrunk to the one change that fails, at the
// smallest size that fails.
func TestShrinksToTheSmallestChange(t *testing.T) {
	rep := run(t, receiver(t, func(_ http.ResponseWriter, action string, body []byte) int {
		var b struct {
			Payload struct {
				Event map[string]any `json:"event"`
			} `json:"payload"`
		}
		_ = json.Unmarshal(body, &b)
		text, _ := b.Payload.Event["text"].(string)
		switch {
		case action != "incoming_event":
		case b.Payload.Event["lcwh_test_unknown"] != nil:
			return http.StatusBadRequest // a strict event parser
		case len(text) > 5000:
			return http.StatusInternalServerError // a text column of 5000 bytes
		}
		return 0
	}), "incoming_event")
	got := map[string]Finding{}
	for _, f := range rep.Findings {
		got[f.Check] = f
	}
	if len(rep.Findings) != 2 {
		t.Fatalf("findings %+v", rep.Findings)
	}
	if f := got[RejectsValid]; f.Change != "unknown field payload.event.lcwh_test_unknown" || !f.Shrunk || f.Part != Variants {
		t.Errorf("strict parser: shrunk to %q (shrunk %v, %s)", f.Change, f.Shrunk, f.Part)
	}
	if f := got[ServerError]; f.Change != "payload.event.text: 5001 bytes long" || !f.Shrunk {
		t.Errorf("text column: shrunk to %q (shrunk %v)", f.Change, f.Shrunk)
	}
	if rep.Shrinking == 0 || rep.Shrinking > 60 {
		t.Errorf("%d requests to shrink", rep.Shrinking)
	}
}

// A receiver that de-duplicates on webhook_id (the registration's, the
// same in every webhook of it) refuses every webhook after the first of
// each action, copies included: one cause, one finding that names it, and
// no order finding (the same webhooks are refused in order too).
func TestWebhookIDDeduplicationIsOneFinding(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]bool{}
	rep := run(t, receiver(t, func(_ http.ResponseWriter, _ string, body []byte) int {
		var b struct {
			WebhookID string `json:"webhook_id"`
		}
		_ = json.Unmarshal(body, &b)
		mu.Lock()
		defer mu.Unlock()
		if seen[b.WebhookID] {
			return http.StatusConflict
		}
		seen[b.WebhookID] = true
		return 0
	}), "incoming_event", "thread_tagged", "agent_updated")
	if len(rep.Findings) != 1 {
		t.Fatalf("findings %v", checks(rep))
	}
	f := rep.Findings[0]
	if f.Check != RejectsValid || f.Status != http.StatusConflict || !strings.Contains(f.Message, "webhook_id") ||
		!slices.Contains(f.Checks, Duplicate) || len(f.Actions) != 4 || f.Repeat != 2 {
		t.Errorf("finding %+v", f)
	}
}

// Every request refused the same way is one finding listing the actions,
// whatever the status and however few the actions.
func TestOneFindingForEverythingRefused(t *testing.T) {
	for _, c := range []struct {
		status int
		secret string
		check  string
	}{
		{http.StatusInternalServerError, "s", ServerError},
		{http.StatusUnauthorized, "", RejectsValid}, // the fixtures' secret_key
	} {
		url := receiver(t, func(http.ResponseWriter, string, []byte) int { return c.status })
		rep, err := Run(context.Background(), Options{URL: url, APIVersion: "3.6", Secret: c.secret, Seed: 5, Actions: []string{"thread_tagged"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Findings) != 1 {
			t.Fatalf("%d: findings %v", c.status, checks(rep))
		}
		f := rep.Findings[0]
		if f.Check != c.check || !slices.Equal(f.Actions, []string{"incoming_chat", "thread_tagged"}) || f.Count < 10 {
			t.Errorf("%d: finding %+v", c.status, f)
		}
		if hint := strings.Contains(f.Message, "give --secret"); hint != (c.secret == "") {
			t.Errorf("%d: message %q", c.status, f.Message)
		}
	}
}
