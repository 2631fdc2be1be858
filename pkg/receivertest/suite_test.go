package receivertest

import (
	"bytes"
	"testing"

	"github.com/lcwh/lcwh/pkg/edit"
	"github.com/lcwh/lcwh/pkg/payload"
)

func planned(t *testing.T, opts Options) *suite {
	t.Helper()
	if opts.APIVersion == "" {
		opts.APIVersion = payload.DefaultVersion
	}
	if opts.Budget == 0 {
		opts.Budget = DefaultBudget
	}
	s, err := plan(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSameSeedSameSuite(t *testing.T) {
	actions := []string{"incoming_event", "chat_transferred", "agent_updated"}
	a := planned(t, Options{Seed: 7, Secret: "s", Actions: actions})
	b := planned(t, Options{Seed: 7, Secret: "s", Actions: actions})
	c := planned(t, Options{Seed: 8, Secret: "s", Actions: actions})
	if len(a.cases) != len(b.cases) {
		t.Fatalf("%d cases, then %d", len(a.cases), len(b.cases))
	}
	differs := false
	for i := range a.cases {
		if !bytes.Equal(a.cases[i].Body, b.cases[i].Body) || a.cases[i].Burst != b.cases[i].Burst {
			t.Fatalf("case %d (%s) differs between two plans with one seed", i, a.cases[i].Action)
		}
		differs = differs || !bytes.Equal(a.cases[i].Body, c.cases[i].Body)
	}
	if !differs {
		t.Error("seeds 7 and 8 planned the same bodies")
	}
}

// Every body the suite sends is a valid webhook, except the one without
// secret_key, in every version.
func TestSuiteBodiesAreValid(t *testing.T) {
	for _, version := range payload.Versions() {
		s := planned(t, Options{APIVersion: version, Seed: 1, Secret: "s3cr3t"})
		v, _ := payload.NewValidator(version)
		parts := map[Part]int{}
		for _, c := range s.cases {
			parts[c.Part]++
			doc, err := payload.Decode(c.Body)
			if err != nil {
				t.Fatalf("%s %s: %v", version, c.Action, err)
			}
			if c.secret == noSecret {
				if _, ok := doc.Object()["secret_key"]; ok {
					t.Errorf("%s: the no-secret case has a secret_key", version)
				}
				continue
			}
			errs, err := v.Validate(doc, "")
			if err != nil || len(errs) > 0 {
				t.Errorf("%s %s (%s, %s): %v %v", version, c.Action, c.Part, c.What, err, errs)
			}
			want := "s3cr3t"
			if c.secret == wrongSecret {
				want = WrongSecret
			}
			if doc.Envelope.SecretKey != want {
				t.Errorf("%s %s: secret_key %q, want %q", version, c.Action, doc.Envelope.SecretKey, want)
			}
		}
		for _, p := range []Part{Scenarios, Delivery, Security} {
			if parts[p] == 0 {
				t.Errorf("%s: no %s", version, p)
			}
		}
	}
}

// The webhooks of the scenario's chat name one chat, one thread and one
// customer, and every incoming_event announces a new event.
func TestScenarioChatIsCoherent(t *testing.T) {
	s := planned(t, Options{Seed: 3})
	roles := map[edit.Role]map[string]bool{edit.ChatID: {}, edit.ThreadID: {}, edit.CustomerID: {}}
	events := map[string]bool{}
	chats := 0
	for _, c := range s.cases {
		if c.Part != Scenarios || c.ids == nil {
			continue
		}
		chats++
		root, err := edit.Parse(c.Body)
		if err != nil {
			t.Fatal(err)
		}
		edit.EachID(root, func(r edit.Role, n *edit.Node) {
			if m := roles[r]; m != nil {
				m[n.Str] = true
			}
		})
		if c.Action == "incoming_event" {
			id := root.Get("payload").Get("event").Get("id").Str
			if events[id] {
				t.Errorf("event id %s announced twice", id)
			}
			events[id] = true
		}
	}
	if chats < 10 {
		t.Fatalf("only %d chat webhooks in the scenario", chats)
	}
	for r, ids := range roles {
		if len(ids) != 1 {
			t.Errorf("role %d: %d different ids in one chat: %v", r, len(ids), ids)
		}
	}
	if s.cases[0].Action != "incoming_chat" {
		t.Errorf("the scenario starts with %s", s.cases[0].Action)
	}
}

func TestActionsNarrowTheSuite(t *testing.T) {
	s := planned(t, Options{Seed: 1, Actions: []string{"thread_tagged", "agent_updated"}})
	got := map[string]bool{}
	for _, c := range s.cases {
		got[c.Action] = true
	}
	for _, want := range []string{"incoming_chat", "thread_tagged", "agent_updated"} {
		if !got[want] {
			t.Errorf("no %s in %v", want, got)
		}
	}
	if len(got) != 3 {
		t.Errorf("actions %v, want incoming_chat, thread_tagged, agent_updated", got)
	}
	if _, err := plan(Options{APIVersion: "3.6", Budget: 100, Actions: []string{"incoming_customer"}}); err == nil {
		t.Error("an action the version lacks was accepted")
	}
}

func TestBudgetTooSmall(t *testing.T) {
	_, err := plan(Options{APIVersion: "3.6", Budget: 10})
	if _, ok := err.(*BudgetError); !ok {
		t.Fatalf("got %v, want a *BudgetError", err)
	}
}
