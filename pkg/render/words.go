package render

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/lcwh/lcwh/pkg/payload"
)

// Namer remembers who is who across webhooks, so later ones read with
// names: after the incoming_chat that introduced her, an incoming_event
// reads `customer Jane Cooper wrote "..."` instead of a customer id. It
// learns users from incoming_chat, user_added_to_chat and
// incoming_customer, agents and bots from their configuration webhooks,
// and group names. It keeps the last maxNames it learned. The zero Namer
// is ready; it is safe for concurrent use.
type Namer struct {
	mu    sync.Mutex
	names map[string]string // id (or "group:N") -> "type name"
	order []string          // ids in the order learned, for forgetting the oldest
}

// maxNames bounds what a Namer keeps in a long-running listen.
const maxNames = 10000

// What says in one line what webhook d tells, in words a person reads:
// who wrote what, which chat moved where, what changed. It learns from d
// first (an incoming_chat names its own customer). The line is safe for a
// terminal and bounded; "" when the action has no words (then show ids).
// n may be nil: then ids stay ids.
func (n *Namer) What(d *payload.Document) string {
	n.Learn(d)
	p, _ := d.Envelope.Payload.(map[string]any)
	a := d.Envelope.Action
	if p == nil {
		if list, ok := d.Envelope.Payload.([]any); ok && a == "auto_accesses_updated" {
			return autoAccesses(list)
		}
		return ""
	}
	chat := named("chat", cmp.Or(str(p, "chat_id"), str(p, "id")))
	line := ""
	switch a {
	case "incoming_chat":
		line = n.incomingChat(p)
	case "incoming_event", "event_updated":
		if event, _ := p["event"].(map[string]any); event != nil {
			line = n.event(event, a == "event_updated", shortText) + " in " + chat
		}
	case "event_deleted":
		line = fmt.Sprintf("%s deleted in %s", named("event", str(p, "event_id")), chat)
	case "incoming_rich_message_postback":
		pb, _ := p["postback"].(map[string]any)
		line = fmt.Sprintf("%s chose %s in %s", n.Name(str(p, "user_id"), "customer"), short(cmp.Or(str(pb, "button_value"), str(pb, "id"))), chat)
	case "chat_deactivated":
		line = chat + " closed"
		if id := str(p, "user_id"); id != "" {
			line = n.Name(id, "") + " closed " + chat
		}
	case "chat_access_updated":
		access, _ := p["access"].(map[string]any)
		line = fmt.Sprintf("%s now open to %s", chat, n.groups(access["group_ids"]))
	case "chat_transferred":
		to, _ := p["transferred_to"].(map[string]any)
		var where []string
		if ids, _ := to["group_ids"].([]any); len(ids) > 0 {
			where = append(where, n.groups(ids))
		}
		if ids, _ := to["agent_ids"].([]any); len(ids) > 0 {
			where = append(where, n.users(ids, "agent"))
		}
		line = fmt.Sprintf("%s transferred to %s", chat, cmp.Or(strings.Join(where, " and "), "?"))
		if id := str(p, "requester_id"); id != "" {
			line = fmt.Sprintf("%s transferred %s to %s", n.Name(id, ""), chat, cmp.Or(strings.Join(where, " and "), "?"))
		}
		line += reason(p)
		if q, _ := p["queue"].(map[string]any); q != nil {
			line += ", queued at position " + Clean(fmt.Sprint(q["position"]))
		}
	case "user_added_to_chat", "user_removed_from_chat":
		user, _ := p["user"].(map[string]any)
		who := n.Name(cmp.Or(str(p, "user_id"), str(user, "id")), cmp.Or(str(p, "user_type"), str(user, "type")))
		verb := "joined"
		if a == "user_removed_from_chat" {
			verb = "left"
		}
		line = fmt.Sprintf("%s %s %s%s", who, verb, chat, reason(p))
		if by := str(p, "requester_id"); by != "" && by != cmp.Or(str(p, "user_id"), str(user, "id")) {
			line += " by " + n.Name(by, "")
		}
	case "chat_properties_updated", "chat_properties_deleted",
		"thread_properties_updated", "thread_properties_deleted",
		"event_properties_updated", "event_properties_deleted":
		what := chat
		switch {
		case strings.HasPrefix(a, "thread_"):
			what = named("thread", str(p, "thread_id")) + " of " + chat
		case strings.HasPrefix(a, "event_"):
			what = named("event", str(p, "event_id")) + " of " + chat
		}
		verb := "set"
		if strings.HasSuffix(a, "_deleted") {
			verb = "deleted"
		}
		line = what + ": " + list(propertyChanges(p["properties"], verb), 3)
	case "thread_tagged":
		line = fmt.Sprintf("%s tagged %s", chat, short(str(p, "tag")))
	case "thread_untagged":
		line = fmt.Sprintf("%s untagged %s", chat, short(str(p, "tag")))
	case "thread_summary_set":
		s, _ := p["summary"].(map[string]any)
		line = fmt.Sprintf("%s summarised: %s", chat, short(str(s, "text")))
	case "routing_status_set":
		line = fmt.Sprintf("%s is now %s", n.Name(str(p, "agent_id"), "agent"), Clean(strings.ReplaceAll(str(p, "status"), "_", " ")))
	case "events_marked_as_seen":
		line = fmt.Sprintf("%s saw %s up to %s", n.Name(str(p, "user_id"), ""), chat, Clean(str(p, "seen_up_to")))
	case "incoming_customer":
		c, ok := p["customer"].(map[string]any)
		if !ok {
			c = p
		}
		line = "new " + n.Name(str(c, "id"), "customer")
	case "customer_session_fields_updated":
		var fields []string
		sf, _ := p["session_fields"].([]any)
		for _, f := range sf {
			m, _ := f.(map[string]any)
			for _, k := range slices.Sorted(maps.Keys(m)) {
				fields = append(fields, fmt.Sprintf("%s=%s", k, compactValue(m[k])))
			}
		}
		line = fmt.Sprintf("%s session: %s", n.Name(str(p, "id"), "customer"), list(fields, 3))
	default:
		top, _ := d.Value.(map[string]any)
		requester, _ := top["requester"].(map[string]any)
		line = n.configured(a, p, str(requester, "user_id"))
	}
	return shorten(line, 240)
}

// configured words the configuration webhooks: agents, bots, groups,
// auto accesses and tags, and who made the change (from 3.6).
func (n *Namer) configured(action string, p map[string]any, requester string) string {
	kind, verb, ok := strings.Cut(action, "_")
	if !ok {
		return ""
	}
	var who string
	switch kind {
	case "agent", "bot":
		who = n.Name(str(p, "id"), kind)
	case "group":
		who = n.group(p["id"])
		if name := str(p, "name"); name != "" && verb == "created" {
			who = fmt.Sprintf("group %s %s", Clean(fmt.Sprint(p["id"])), short(name))
		}
	case "tag":
		who = "tag " + short(str(p, "name"))
	case "auto":
		kind, verb, _ = strings.Cut(verb, "_") // auto_access_added
		who = "auto access " + Clean(str(p, "id"))
		if d := str(p, "description"); d != "" {
			who += " " + short(d)
		}
	default:
		return ""
	}
	line := who + " " + verb
	if requester != "" {
		line += " by " + n.Name(requester, "")
	}
	if verb == "updated" {
		changed := slices.DeleteFunc(slices.Sorted(maps.Keys(p)), func(k string) bool { return k == "id" || k == "name" && kind == "tag" })
		if len(changed) > 0 {
			line += ": " + list(changed, 5)
		}
	}
	return line
}

func autoAccesses(items []any) string {
	count := map[string]int{}
	for _, it := range items {
		m, _ := it.(map[string]any)
		count[cmp.Or(str(m, "status"), "changed")]++
	}
	var parts []string
	for _, s := range slices.Sorted(maps.Keys(count)) {
		parts = append(parts, fmt.Sprintf("%d %s", count[s], Clean(s)))
	}
	return "auto accesses: " + list(parts, 3)
}

func (n *Namer) incomingChat(p map[string]any) string {
	chat, _ := p["chat"].(map[string]any)
	id := named("chat", str(chat, "id"))
	users, _ := chat["users"].([]any)
	starter := ""
	for _, u := range users {
		if m, _ := u.(map[string]any); str(m, "type") == "customer" {
			starter = n.Name(str(m, "id"), "customer")
			break
		}
	}
	line := cmp.Or(starter, "someone") + " started " + id
	thread, _ := chat["thread"].(map[string]any)
	events, _ := thread["events"].([]any)
	for _, e := range events {
		if m, _ := e.(map[string]any); str(m, "type") == "message" && str(m, "text") != "" {
			line += ": " + short(str(m, "text"))
			break
		}
	}
	if len(events) > 0 {
		line += fmt.Sprintf(" (%d %s)", len(events), plural(len(events), "event", "events"))
	}
	return line
}

// event words one chat event: who wrote or sent what, texts quoted up to
// textLen characters.
func (n *Namer) event(e map[string]any, edited bool, textLen int) string {
	who := "system"
	if id := str(e, "author_id"); id != "" {
		who = n.Name(id, "")
	}
	what := ""
	switch t := str(e, "type"); t {
	case "message":
		what = "wrote " + quoteN(str(e, "text"), textLen)
		if edited {
			what = "edited a message: " + quoteN(str(e, "text"), textLen)
		}
	case "system_message", "system":
		return "system message " + quoteN(cmp.Or(str(e, "text"), str(e, "system_message_type")), textLen)
	case "file":
		what = fmt.Sprintf("sent a file %s (%s)", short(str(e, "name")), Clean(str(e, "content_type")))
	case "rich_message":
		what = "sent " + Clean(cmp.Or(str(e, "template_id"), "a rich message"))
	case "filled_form":
		what = fmt.Sprintf("filled in a %s form", Clean(cmp.Or(str(e, "form_type"), "custom")))
	case "form":
		what = fmt.Sprintf("sent a %s form", Clean(cmp.Or(str(e, "form_type"), "custom")))
	default:
		what = fmt.Sprintf("sent a %s event", Clean(cmp.Or(t, "?")))
	}
	if edited && str(e, "type") != "message" {
		what = "edited: " + what
	}
	return who + " " + what
}

// Learn records the names webhook d introduces.
func (n *Namer) Learn(d *payload.Document) {
	if n == nil {
		return
	}
	p, _ := d.Envelope.Payload.(map[string]any)
	if p == nil {
		return
	}
	var users []any
	switch a := d.Envelope.Action; a {
	case "incoming_chat":
		chat, _ := p["chat"].(map[string]any)
		users, _ = chat["users"].([]any)
	case "user_added_to_chat":
		users = []any{p["user"]}
	case "incoming_customer":
		if c, ok := p["customer"]; ok {
			users = []any{c}
		} else {
			users = []any{p}
		}
	case "agent_created", "agent_updated", "bot_created", "bot_updated":
		if str(p, "name") != "" {
			kind, _, _ := strings.Cut(a, "_")
			users = []any{map[string]any{"id": p["id"], "type": kind, "name": p["name"]}}
		}
	case "group_created", "group_updated":
		if name := str(p, "name"); name != "" {
			n.set("group:"+fmt.Sprint(p["id"]), "group "+Clean(fmt.Sprint(p["id"]))+" "+short(name))
		}
	}
	for id, name := range userNames(users) {
		n.set(id, name)
	}
}

func (n *Namer) set(id, name string) {
	// cloned: a parsed string shares the whole body's memory, which the
	// Namer would otherwise keep for as long as it keeps the name
	id, name = strings.Clone(id), strings.Clone(name)
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.names == nil {
		n.names = map[string]string{}
	}
	if _, known := n.names[id]; !known {
		n.order = append(n.order, id)
		if len(n.order) > maxNames {
			delete(n.names, n.order[0])
			n.order = n.order[1:]
		}
	}
	n.names[id] = name
}

func (n *Namer) lookup(id string) (string, bool) {
	if n == nil {
		return "", false
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	name, ok := n.names[id]
	return name, ok
}

// Name is how a person reads a user id: "customer Jane Cooper" once
// learned, otherwise the id with its kind (given, or guessed from its
// shape: an email is an agent, a UUID a customer).
func (n *Namer) Name(id, kind string) string {
	if id == "" {
		return cmp.Or(kind, "someone")
	}
	if name, ok := n.lookup(id); ok {
		return name
	}
	if kind == "" {
		switch {
		case strings.Contains(id, "@"):
			kind = "agent"
		case looksLikeUUID(id):
			kind = "customer"
		default:
			kind = "user"
		}
	}
	return kind + " " + shorten(Clean(id), 60)
}

func (n *Namer) users(ids []any, kind string) string {
	var out []string
	for _, id := range ids {
		out = append(out, n.Name(fmt.Sprint(id), kind))
	}
	return list(out, 3)
}

func (n *Namer) group(id any) string {
	if name, ok := n.lookup("group:" + fmt.Sprint(id)); ok {
		return name
	}
	return "group " + Clean(fmt.Sprint(id))
}

func (n *Namer) groups(v any) string {
	ids, _ := v.([]any)
	if len(ids) == 0 {
		return "no group"
	}
	var out []string
	for _, id := range ids {
		out = append(out, n.group(id))
	}
	return list(out, 3)
}

// named is "chat PJ0MRSHTDG", or "a chat" without an id (kind is chat,
// thread or event).
func named(kind, id string) string {
	if id == "" && strings.HasPrefix(kind, "e") {
		return "an " + kind
	}
	if id == "" {
		return "a " + kind
	}
	return kind + " " + shorten(Clean(id), 60)
}

func reason(p map[string]any) string {
	if r := str(p, "reason"); r != "" {
		return " (" + Clean(r) + ")"
	}
	return ""
}

// list joins the first max items and counts the rest.
func list(items []string, max int) string {
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s (+%d more)", strings.Join(items[:max], ", "), len(items)-max)
}

// shortText is how much of a text a one-line summary quotes.
const shortText = 60

// short quotes a text from a body for one line: escaped, at most shortText characters.
func short(s string) string { return quoteN(s, shortText) }

// quoteN quotes s, escaped, cut to n characters.
func quoteN(s string, n int) string { return shorten(Clean(quote(s)), n+2) }

// shorten cuts s to n runes, marking the cut with "…".
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for i = range s {
		if count == n-1 {
			break
		}
		count++
	}
	return s[:i] + "…"
}

// Clean makes text from a webhook, a recording or a file name safe to
// print on a terminal: control characters (controlAt: C0, DEL, C1 and the
// bidirectional overrides and isolates, which a terminal would act on or
// reorder text by) are written as \u escapes; everything else is kept.
func Clean(s string) string {
	if safeRun(s) == len(s) {
		return s
	}
	return string(appendClean(nil, s, safeRun[string]))
}

// CleanJSON is Clean for JSON text: the same value, safe to print. JSON
// allows DEL, C1 and the bidirectional controls raw in strings; any other
// control character but the white space between tokens is escaped too. It
// returns b itself when there are none.
func CleanJSON(b []byte) []byte {
	if jsonSafeRun(b) == len(b) {
		return b
	}
	return appendClean(make([]byte, 0, len(b)+64), b, jsonSafeRun)
}

// appendClean appends b to out, each control character escaped; run(b)
// is how much of b's start to keep as it is.
func appendClean[T string | []byte](out []byte, b T, run func(T) int) []byte {
	for len(b) > 0 {
		n := run(b)
		out = append(out, b[:n]...)
		if b = b[n:]; len(b) > 0 {
			size := controlAt(b, 0)
			e := escape(b[:size])
			out = append(out, e[:]...)
			b = b[size:]
		}
	}
	return out
}

// jsonSafeRun is safeRun allowing JSON's white space (tab, newline, return).
func jsonSafeRun(b []byte) int {
	for i := 0; i < len(b); i++ {
		if c := b[i]; (c < ' ' && c != '\t' && c != '\n' && c != '\r' || c == 0x7f || c == 0xc2 || c == 0xe2) && controlAt(b, i) > 0 {
			return i
		}
	}
	return len(b)
}
