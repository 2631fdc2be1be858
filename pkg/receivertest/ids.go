package receivertest

import (
	"fmt"
	"math/rand/v2"

	"github.com/lcwh/lcwh/pkg/edit"
)

// chat is the identity of one chat of the suite: the ids its webhooks share.
type chat struct {
	id, thread, customer string
	events               int               // event ids handed out: <thread>_<n>
	ids                  map[string]string // fixture chat, thread and customer id -> this chat's
}

// ids draws every id of a run from the seed, so one seed gives one suite.
type ids struct{ rng *rand.Rand }

func newIDs(seed uint64) *ids { return &ids{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

// newChat returns a chat no receiver has seen: ids shaped as LiveChat's
// (10 upper-case alphanumerics for chats and threads, a UUID for the customer).
func (g *ids) newChat() *chat {
	return &chat{id: edit.NewID(g.rng), thread: edit.NewID(g.rng), customer: edit.NewUUID(g.rng), ids: map[string]string{}}
}

// newWebhookID returns a registration id no webhook of the suite has:
// 32 hex digits, as LiveChat's.
func (g *ids) newWebhookID() string {
	return fmt.Sprintf("%016x%016x", g.rng.Uint64(), g.rng.Uint64())
}

// binding gives the webhooks of a fixture the ids of one chat: every chat
// id becomes the chat's, every thread id its thread's, every customer id
// its customer's, and each event id a new one of the thread; any other
// string equal to a replaced id follows (an author_id, a user in
// user_ids), so the webhooks of a scenario refer to each other as
// LiveChat's do. Agents, bots and groups keep the fixtures' ids.
type binding struct {
	g    *ids
	chat *chat
	// perBody gives each body new event ids (variants, bursts: every
	// delivery a new event); otherwise a fixture's event id maps to the
	// same new one in every body (a scenario: event_updated names the
	// event incoming_event announced).
	perBody bool
	events  map[string]string // fixture event id -> new
}

func (g *ids) bind(c *chat, perBody bool) *binding {
	return &binding{g: g, chat: c, perBody: perBody, events: map[string]string{}}
}

// apply rewrites the ids of root in place.
func (b *binding) apply(root *edit.Node) {
	if b.perBody {
		b.events = map[string]string{}
	}
	b.chat.learn(root, b.g)
	edit.EachID(root, func(r edit.Role, n *edit.Node) {
		if old := n.Str; r == edit.EventID && old != "" && b.events[old] == "" && b.chat.ids[old] == "" {
			b.chat.events++
			b.events[old] = fmt.Sprintf("%s_%d", b.chat.thread, b.chat.events)
		}
	})
	root.EachString(func(s *edit.Node) {
		if v := b.chat.ids[s.Str]; v != "" {
			s.Str = v
		} else if v := b.events[s.Str]; v != "" {
			s.Str = v
		}
	})
}

// learn maps the chat, thread and customer ids of a fixture to the chat's.
// A chat learns the incoming_chat fixture first, so a webhook that names
// the customer only as an author (incoming_event) names the chat's
// customer whichever webhook of the chat comes first.
func (c *chat) learn(root *edit.Node, g *ids) {
	edit.EachID(root, func(r edit.Role, n *edit.Node) {
		old := n.Str
		if old == "" || c.ids[old] != "" {
			return
		}
		switch r {
		case edit.ChatID:
			c.ids[old] = c.id
		case edit.ThreadID:
			c.ids[old] = c.thread
		case edit.OtherThreadID:
			c.ids[old] = edit.NewID(g.rng)
		case edit.CustomerID:
			c.ids[old] = c.customer
		}
	})
}
