package receivertest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/edit"
	"github.com/lcwh/lcwh/pkg/payload"
)

// Case is one planned delivery.
type Case struct {
	Seq     int // position in the suite, from 0
	Part    Part
	Action  string
	What    string // what this delivery is, for people: "redelivered", "wrong secret_key"
	Body    []byte
	Changes []Change // how a variant differs from its fixture
	Burst   int      // > 0: sent at the same time as the other cases of this burst
	Reject  bool     // the receiver should refuse it (a wrong or missing secret_key)
	// Check is the check a failure belongs to when the part decides it
	// (duplicate, order), provided Original (the Seq of the delivery it
	// repeats, in order) got 2xx; otherwise the status decides.
	Check    string
	Original int

	src    []byte   // the fixture body the ids are bound to
	ids    *binding // nil: the fixture's ids
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
	cases    []*Case
	selected func(action string) bool
	// scenario is the chat of part 1: variants and the security part
	// deliver into it, so a receiver that knows its chats knows theirs.
	scenario *chat
}

// step is one webhook of a chat's life: an action and its fixture body.
type step struct {
	action string
	src    []byte
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
	s.add(delivery...)
	s.add(security...)
	return s, nil
}

func (s *suite) add(cs ...*Case) {
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
		isChat := false
		edit.EachID(root, func(r edit.Role, _ *edit.Node) { isChat = isChat || r == edit.ChatID })
		switch {
		case isChat && (s.selected(a) || a == "incoming_chat"):
			chatSteps = append(chatSteps, step{a, src})
		case !isChat && s.selected(a):
			others = append(others, step{a, src})
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
func (s *suite) moreEvents(incomingEvent []byte) []step {
	chatSrc, err := fixtures.Get(s.opts.APIVersion, "incoming_chat")
	if err != nil {
		return nil
	}
	chatRoot, err := edit.Parse(chatSrc)
	if err != nil {
		return nil
	}
	base, _ := edit.Parse(incomingEvent)
	seen := map[string]bool{strOf(base.Get("payload").Get("event").Get("type")): true}
	var out []step
	events := chatRoot.Get("payload").Get("chat").Get("thread").Get("events")
	if events == nil {
		return nil
	}
	for _, ev := range events.Elems {
		typ := strOf(ev.Get("type"))
		if seen[typ] || typ == "" {
			continue
		}
		seen[typ] = true
		root, _ := edit.Parse(incomingEvent)
		ev.Put("id", edit.StringNode(fmt.Sprintf("lcwh-event-%d", len(out)+1))) // a new event, not the thread's
		root.Get("payload").Put("event", ev)
		out = append(out, step{"incoming_event", root.Encode()})
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
		root, err := edit.Parse(st.src)
		if err != nil {
			continue
		}
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
			out[i].src = root.Encode()
		}
	}
	return out
}

// scenarios is part 1: the chat's life, then the other actions.
func (s *suite) scenarios(steps, others []step) []*Case {
	s.scenario = s.newChat()
	b := s.g.bind(s.scenario, false)
	var out []*Case
	for _, st := range steps {
		out = append(out, s.newCase(Scenarios, st, b, "in order"))
	}
	for _, st := range others {
		out = append(out, s.newCase(Scenarios, st, nil, "in order"))
	}
	return out
}

// delivery is part 3: every scenario webhook again; a new chat's webhooks
// in reverse order; a new chat's incoming_chat, then its other webhooks
// all at once.
func (s *suite) delivery(steps []step, scenarios []*Case) []*Case {
	var out []*Case
	for _, c := range scenarios {
		again := *c
		again.Part, again.What, again.Check, again.Original = Delivery, "delivered again", Duplicate, c.Seq
		out = append(out, &again)
	}
	if len(steps) == 0 {
		return out
	}
	reverse := s.g.bind(s.newChat(), false)
	for i := len(steps) - 1; i >= 0; i-- {
		c := s.newCase(Delivery, steps[i], reverse, "before the webhooks it follows")
		if i == 0 {
			c.What = "after the webhooks that follow it"
		}
		c.Check, c.Original = Order, scenarios[i].Seq
		out = append(out, c)
	}
	burstChat := s.newChat()
	out = append(out, s.newCase(Delivery, steps[0], s.g.bind(burstChat, false), "before a burst"))
	rest := steps[1:]
	if len(rest) > 1 && rest[len(rest)-1].action == "chat_deactivated" {
		rest = rest[:len(rest)-1]
	}
	if len(rest) == 0 {
		rest = steps[:1]
	}
	each := s.g.bind(burstChat, true)
	for i := range BurstSize {
		c := s.newCase(Delivery, rest[i%len(rest)], each, fmt.Sprintf("%d at once", BurstSize))
		c.Burst = 1
		out = append(out, c)
	}
	return out
}

// security is part 4: a webhook of the scenario's chat with a wrong
// secret_key and one without, when the receiver's secret is known.
func (s *suite) security(steps []step) []*Case {
	if s.opts.Secret == "" || len(steps) == 0 {
		return nil
	}
	st := steps[min(1, len(steps)-1)] // after incoming_chat: a forged message into a chat the receiver knows
	b := s.g.bind(s.scenario, true)
	var out []*Case
	for _, use := range []secretUse{wrongSecret, noSecret} {
		c := &Case{Part: Security, Action: st.action, What: "wrong secret_key", src: st.src, ids: b, Original: -1,
			Reject: true, Check: Secret, secret: use}
		if use == noSecret {
			c.What = "no secret_key"
		}
		c.Body = s.body(c, nil)
		out = append(out, c)
	}
	return out
}

// newChat returns a chat no receiver has seen, which knows the ids of the
// incoming_chat fixture.
func (s *suite) newChat() *chat {
	c := s.g.newChat()
	if src, err := fixtures.Get(s.opts.APIVersion, "incoming_chat"); err == nil {
		if root, err := edit.Parse(src); err == nil {
			c.learn(root, s.g)
		}
	}
	return c
}

func (s *suite) newCase(p Part, st step, b *binding, what string) *Case {
	c := &Case{Part: p, Action: st.action, What: what, src: st.src, ids: b, Original: -1}
	c.Body = s.body(c, nil)
	return c
}

// body builds the body of c with changes applied and its ids bound.
func (s *suite) body(c *Case, changes []Change) []byte {
	root, err := edit.Parse(c.src)
	if err != nil {
		panic(fmt.Sprintf("fixture %s: %v", c.Action, err)) // embedded fixtures parse (TestFixturesParse)
	}
	if err := applyChanges(root, changes); err != nil {
		panic(fmt.Sprintf("%s: %v", c.Action, err)) // variants are generated to apply
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
	return root.Encode()
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
