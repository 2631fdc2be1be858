package receivertest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/edit"
	"github.com/lcwh/lcwh/pkg/payload"
)

// testCase is one planned delivery.
type testCase struct {
	Seq     int // position in the suite, from 0
	Part    Part
	Action  string
	What    string // what this delivery is, for people: "delivered again", "wrong secret_key"
	Body    []byte
	Changes []change // how a variant differs from its fixture
	Burst   int      // > 0: sent at the same time as the other cases of this burst
	Reject  bool     // the receiver should refuse it (a wrong or missing secret_key)
	// Check is the check a failure belongs to when the part decides it
	// (duplicate, order), provided Original (the delivery it repeats, or
	// its twin in order) got 2xx; otherwise the status decides.
	Check    string
	Original *testCase

	src    *edit.Node // the fixture body, never changed: bodies are built on copies
	ids    *binding   // nil: the fixture's ids
	secret secretUse
}

type secretUse int

const (
	receiverSecret secretUse = iota // the receiver's secret, when given
	wrongSecret
	noSecret
)

// WrongSecret is the secret_key of the security part's forged webhook
// (unless it is the receiver's: WrongSecretFor).
const WrongSecret = "lcwh-test-wrong-secret"

// suite is the planned run.
type suite struct {
	opts     Options
	catalog  *payload.Catalog
	v        *payload.Validator
	g        *ids
	cases    []*testCase
	selected func(action string) bool
	// scenario is the chat of part 1: the security part delivers into
	// it, so a receiver that knows its chats knows its forged webhook's.
	scenario *chat
	leftOut  int        // variants the budget left out
	chatSrc  *edit.Node // the incoming_chat fixture, whose ids every chat knows
}

// step is one webhook of a chat's life: an action and its fixture body.
type step struct {
	action string
	src    *edit.Node
}

func plan(opts Options) (*suite, error) {
	v, err := payload.NewValidator(opts.APIVersion)
	if err != nil {
		return nil, err
	}
	s := &suite{opts: opts, catalog: v.Catalog(), v: v, g: newIDs(opts.Seed), selected: func(string) bool { return true }}
	if len(opts.Actions) > 0 {
		for _, a := range opts.Actions {
			if _, err := s.catalog.Require(a); err != nil {
				return nil, err
			}
		}
		s.selected = func(a string) bool { return slices.Contains(opts.Actions, a) }
	}
	steps, others, err := s.steps()
	if err != nil {
		return nil, err
	}
	scenarios := s.scenarios(steps, others)
	s.add(scenarios...)
	delivery, security := s.delivery(steps, scenarios), s.security(steps)
	fixed := len(scenarios) + len(delivery) + len(security)
	if fixed > opts.Budget {
		return nil, &BudgetError{Budget: opts.Budget, Need: fixed}
	}
	variants, left, err := s.variants(steps, others, opts.Budget-fixed-shrinkReserve(opts.Budget))
	if err != nil {
		return nil, err
	}
	s.add(variants...)
	s.leftOut = left
	s.add(delivery...)
	s.add(security...)
	return s, nil
}

// shrinkReserve is the part of the budget kept for shrinking.
func shrinkReserve(budget int) int { return budget / 10 }

func (s *suite) add(cs ...*testCase) {
	for _, c := range cs {
		c.Seq = len(s.cases)
		s.cases = append(s.cases, c)
	}
}

// lifecycle orders the webhooks of one chat as they happen; chat actions
// not named here come before chat_deactivated, in catalogue order.
var lifecycle = []string{
	"incoming_chat", "incoming_event", "events_marked_as_seen", "incoming_rich_message_postback",
	"event_updated", "event_properties_updated", "event_properties_deleted",
	"chat_properties_updated", "chat_properties_deleted", "thread_properties_updated", "thread_properties_deleted",
	"thread_tagged", "thread_untagged", "user_added_to_chat", "chat_transferred", "chat_access_updated",
	"user_removed_from_chat", "customer_session_fields_updated", "thread_summary_set", "event_deleted",
}

// steps returns the selected webhooks of a chat's life in order, and the
// other selected actions' fixtures in catalogue order. A chat's life
// begins with incoming_chat (kept when any chat action is selected) and,
// after incoming_event, has one incoming_event more for each other type of
// event the incoming_chat fixture's thread holds.
func (s *suite) steps() (chatSteps, others []step, err error) {
	rank := func(a string) int {
		if i := slices.Index(lifecycle, a); i >= 0 {
			return i
		}
		if a == "chat_deactivated" {
			return len(lifecycle) + 1
		}
		return len(lifecycle)
	}
	for _, a := range s.catalog.Names() {
		src, err := fixtures.Get(s.opts.APIVersion, a)
		if err != nil {
			return nil, nil, err
		}
		root, err := edit.Parse(src)
		if err != nil {
			return nil, nil, fmt.Errorf("fixture %s: %v", a, err)
		}
		if a == "incoming_chat" {
			s.chatSrc = root
		}
		switch {
		case isChat(root) && (s.selected(a) || a == "incoming_chat"):
			chatSteps = append(chatSteps, step{a, root})
		case !isChat(root) && s.selected(a):
			others = append(others, step{a, root})
		}
	}
	slices.SortStableFunc(chatSteps, func(x, y step) int { return rank(x.action) - rank(y.action) })
	if len(chatSteps) == 1 && !s.selected("incoming_chat") {
		chatSteps = nil // no chat action selected: no chat to announce
	}
	if i := slices.IndexFunc(chatSteps, func(st step) bool { return st.action == "incoming_event" }); i >= 0 {
		more := s.moreEvents(chatSteps[i].src)
		chatSteps = slices.Insert(chatSteps, i+1, more...)
	}
	return chatSteps, sortEntities(others), nil
}

// moreEvents returns an incoming_event for each type of event in the
// incoming_chat fixture's thread other than the incoming_event fixture's.
func (s *suite) moreEvents(incomingEvent *edit.Node) []step {
	events := s.chatSrc.Get("payload").Get("chat").Get("thread").Get("events")
	if events == nil {
		return nil
	}
	seen := map[string]bool{strOf(incomingEvent.Get("payload").Get("event").Get("type")): true}
	var out []step
	for _, ev := range events.Elems {
		typ := strOf(ev.Get("type"))
		if seen[typ] || typ == "" {
			continue
		}
		seen[typ] = true
		root, ev := incomingEvent.Clone(), ev.Clone()
		ev.Put("id", edit.StringNode(fmt.Sprintf("lcwh-event-%d", len(out)+1))) // a new event, not the thread's
		root.Get("payload").Put("event", ev)
		out = append(out, step{"incoming_event", root})
	}
	return out
}

// sortEntities orders the other actions so that each agent, bot, group,
// tag or auto-access is created before it changes and deleted last, and
// gives the changes the created one's id.
func sortEntities(others []step) []step {
	kind := func(a string) string { return a[:strings.LastIndexByte(a, '_')+1] }
	rank := func(a string) int {
		verbs := []string{"created", "added", "approved", "updated", "suspended", "unsuspended", "deleted"}
		return slices.Index(verbs, a[len(kind(a)):])
	}
	first := map[string]int{}
	for i, st := range others {
		if _, ok := first[kind(st.action)]; !ok {
			first[kind(st.action)] = i
		}
	}
	out := slices.Clone(others)
	slices.SortStableFunc(out, func(x, y step) int {
		if d := first[kind(x.action)] - first[kind(y.action)]; d != 0 {
			return d
		}
		return rank(x.action) - rank(y.action)
	})
	var id *edit.Node
	for i, st := range out {
		root := st.src.Clone()
		p := root.Get("payload")
		key := "id"
		if p.Get(key) == nil {
			key = "name" // tags are named, not numbered
		}
		if i == 0 || kind(out[i-1].action) != kind(st.action) {
			id = p.Get(key)
			continue
		}
		if id != nil && p.Get(key) != nil {
			p.Put(key, id)
			out[i].src = root
		}
	}
	return out
}

// scenarios is part 1: the chat's life, then the other actions.
func (s *suite) scenarios(steps, others []step) []*testCase {
	s.scenario = s.newChat()
	b := s.g.bind(s.scenario, false)
	var out []*testCase
	for _, st := range steps {
		out = append(out, s.newCase(Scenarios, st, b, "in order"))
	}
	for _, st := range others {
		out = append(out, s.newCase(Scenarios, st, nil, "in order"))
	}
	return out
}

// delivery is part 3: every scenario webhook again; a new chat's webhooks
// in order, then another's in reverse order; a new chat's incoming_chat,
// then its other webhooks all at once.
//
// The chat in order is the reverse one's control: the same webhooks but
// for the ids a chat renews, sent as late in the run. A webhook refused
// out of order is an order finding only when its twin was accepted in
// order; a receiver that refuses both (one that takes every webhook of a
// registration for a copy of the first) has another cause.
func (s *suite) delivery(steps []step, scenarios []*testCase) []*testCase {
	var out []*testCase
	for _, c := range scenarios {
		again := *c
		again.Part, again.What, again.Check, again.Original = Delivery, "delivered again", Duplicate, c
		out = append(out, &again)
	}
	if len(steps) == 0 {
		return out
	}
	inOrder := s.g.bind(s.newChat(), false)
	control := make([]*testCase, len(steps))
	for i, st := range steps {
		control[i] = s.newCase(Delivery, st, inOrder, "in order, as a control of the reverse order")
		out = append(out, control[i])
	}
	reverse := s.g.bind(s.newChat(), false)
	for i := len(steps) - 1; i >= 0; i-- {
		c := s.newCase(Delivery, steps[i], reverse, "before the webhooks it follows")
		if i == 0 {
			c.What = "after the webhooks that follow it"
		}
		c.Check, c.Original = Order, control[i]
		out = append(out, c)
	}
	burstChat := s.newChat()
	out = append(out, s.newCase(Delivery, steps[0], s.g.bind(burstChat, false), "before a burst"))
	each := s.g.bind(burstChat, true)
	for _, st := range burst(steps) {
		c := s.newCase(Delivery, st, each, "at once")
		c.Burst = 1
		out = append(out, c)
	}
	return out
}

// burst picks the webhooks a busy chat gets at once: each of its life
// but the first and last once, then new events up to BurstSize. Only
// events repeat: they get new ids each time, while two thread_tagged of
// one chat and tag would be one webhook delivered twice.
func burst(steps []step) []step {
	var out, events []step
	for i, st := range steps {
		if i == 0 || i == len(steps)-1 && st.action == "chat_deactivated" {
			continue
		}
		out = append(out, st)
		if isEvent(st.src) {
			events = append(events, st)
		}
	}
	for i := 0; len(out) < BurstSize && len(events) > 0; i++ {
		out = append(out, events[i%len(events)])
	}
	return out[:min(len(out), BurstSize)]
}

// isEvent tells whether a body announces an event (its id is new in each copy).
func isEvent(root *edit.Node) bool {
	return root.Get("payload").Get("event") != nil
}

// security is part 4: a webhook of the scenario's chat with a wrong
// secret_key and one without, when the receiver's secret is known.
func (s *suite) security(steps []step) []*testCase {
	if s.opts.Secret == "" || len(steps) == 0 {
		return nil
	}
	st := steps[min(1, len(steps)-1)] // after incoming_chat: a forged message into a chat the receiver knows
	b := s.g.bind(s.scenario, true)
	var out []*testCase
	for _, use := range []secretUse{wrongSecret, noSecret} {
		c := &testCase{Part: Security, Action: st.action, What: "wrong secret_key", src: st.src, ids: b,
			Reject: true, Check: Secret, secret: use}
		if use == noSecret {
			c.What = "no secret_key"
		}
		c.Body, _ = s.body(c, nil) // no change: nothing to fail
		out = append(out, c)
	}
	return out
}

// newChat returns a chat no receiver has seen, which knows the ids of the
// incoming_chat fixture.
func (s *suite) newChat() *chat {
	c := s.g.newChat()
	if s.chatSrc != nil {
		c.learn(s.chatSrc, s.g)
	}
	return c
}

func (s *suite) newCase(p Part, st step, b *binding, what string) *testCase {
	c := &testCase{Part: p, Action: st.action, What: what, src: st.src, ids: b}
	c.Body, _ = s.body(c, nil) // no change: nothing to fail
	return c
}

// body builds the body of c: a copy of its fixture with changes applied,
// its ids bound and its secret_key set.
func (s *suite) body(c *testCase, changes []change) ([]byte, error) {
	root := c.src.Clone()
	if err := applyChanges(root, changes); err != nil {
		return nil, fmt.Errorf("%s: %v", c.Action, err)
	}
	if c.ids != nil {
		c.ids.apply(root)
	}
	switch c.secret {
	case receiverSecret:
		if s.opts.Secret != "" {
			root.Put("secret_key", edit.StringNode(s.opts.Secret))
		}
	case wrongSecret:
		root.Put("secret_key", edit.StringNode(WrongSecretFor(s.opts.Secret)))
	case noSecret:
		for i, m := range root.Members {
			if m.Key == "secret_key" {
				root.Members = slices.Delete(root.Members, i, i+1)
				break
			}
		}
	}
	return root.Encode(), nil
}

// WrongSecretFor is the secret_key of the forged webhook when the
// receiver's is secret.
func WrongSecretFor(secret string) string {
	if secret == WrongSecret {
		return WrongSecret + "-2"
	}
	return WrongSecret
}

func strOf(n *edit.Node) string {
	if n == nil || n.Kind != edit.String {
		return ""
	}
	return n.Str
}
