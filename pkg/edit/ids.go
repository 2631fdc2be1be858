package edit

// Role is what an id in a webhook names, known by where LiveChat puts it.
type Role int

// The roles of the ids EachID finds.
const (
	ChatID        Role = iota + 1
	ThreadID           // the thread the webhook is about
	OtherThreadID      // previous_thread_id, next_thread_id
	EventID
	CustomerID
)

// EachID calls fn for every string that is the id of a chat, thread, event
// or customer: the chat_id, thread_id, event_id, previous_thread_id and
// next_thread_id members anywhere; author_id and user_id when they hold a
// UUID (a customer's); the id of an object under "chat",
// "thread", "event" or "customer", of each element of "events" and of any
// object of type "customer"; the chat id of chat_access_updated and the
// customer id of customer_session_fields_updated. Fresh renews these ids;
// `lcwh test` gives the webhooks of one chat the same ones.
func EachID(root *Node, fn func(Role, *Node)) {
	if p := root.Get("payload"); p != nil {
		switch strOf(root.Get("action")) {
		case "chat_access_updated":
			visitID(p, ChatID, fn)
		case "customer_session_fields_updated":
			visitID(p, CustomerID, fn)
		}
	}
	eachID(root, "", fn)
}

var memberRoles = map[string]Role{
	"chat_id": ChatID, "thread_id": ThreadID, "event_id": EventID,
	"previous_thread_id": OtherThreadID, "next_thread_id": OtherThreadID,
}

var objectRoles = map[string]Role{"chat": ChatID, "thread": ThreadID, "event": EventID, "events": EventID, "customer": CustomerID}

func eachID(n *Node, key string, fn func(Role, *Node)) {
	switch n.Kind {
	case Object:
		if r, ok := objectRoles[key]; ok {
			visitID(n, r, fn)
		} else if strOf(n.Get("type")) == "customer" {
			visitID(n, CustomerID, fn)
		}
		for _, m := range n.Members {
			if r, ok := memberRoles[m.Key]; ok && m.Value.Kind == String {
				fn(r, m.Value)
			} else if (m.Key == "author_id" || m.Key == "user_id") && m.Value.Kind == String && isUUID(m.Value.Str) {
				fn(CustomerID, m.Value) // agents are known by their e-mail, customers by a UUID
			}
			eachID(m.Value, m.Key, fn)
		}
	case Array:
		for _, e := range n.Elems {
			eachID(e, key, fn)
		}
	}
}

func visitID(obj *Node, r Role, fn func(Role, *Node)) {
	if id := obj.Get("id"); id != nil && id.Kind == String {
		fn(r, id)
	}
}

// isUUID tells a customer id (8-4-4-4-12 hex digits) from an agent's e-mail.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'):
			return false
		}
	}
	return true
}
