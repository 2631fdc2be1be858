package payload

import (
	"cmp"
	"fmt"
	"strings"
)

// Summary is the gist of a webhook: what happened, where, and who did it.
type Summary struct {
	Action   string `json:"action"`
	ChatID   string `json:"chat_id,omitempty"`
	ThreadID string `json:"thread_id,omitempty"`
	EventID  string `json:"event_id,omitempty"`
	Author   string `json:"author,omitempty"`
	Subject  string `json:"subject,omitempty"` // the configured object (agent, bot, group...) for configuration webhooks
}

// Summarize reads the summary fields wherever the action keeps them.
func Summarize(d *Document) Summary {
	s := Summary{Action: d.Envelope.Action}
	p, _ := d.Envelope.Payload.(map[string]any)
	if p == nil {
		return s
	}
	chat, _ := p["chat"].(map[string]any)
	thread, _ := chat["thread"].(map[string]any)
	event, _ := p["event"].(map[string]any)
	s.ChatID = cmp.Or(str(p, "chat_id"), str(chat, "id"))
	s.ThreadID = cmp.Or(str(p, "thread_id"), str(thread, "id"))
	s.EventID = cmp.Or(str(p, "event_id"), str(event, "id"))
	user, _ := p["user"].(map[string]any)
	s.Author = cmp.Or(str(event, "author_id"), str(p, "user_id"), str(user, "id"), str(p, "agent_id"), str(p, "requester_id"))
	if s.ChatID == "" {
		// configuration and customer webhooks name their object by id
		if id, ok := p["id"]; ok && id != nil {
			s.Subject = fmt.Sprint(id)
		}
	}
	if s.Author == "" && chat != nil {
		s.Author = customerName(chat)
	}
	// cloned, as the envelope is: a summary outlives its document (the
	// inspector's history), and one id would pin the whole body's memory
	s.ChatID, s.ThreadID, s.EventID, s.Author = strings.Clone(s.ChatID), strings.Clone(s.ThreadID), strings.Clone(s.EventID), strings.Clone(s.Author)
	return s
}

// String renders the summary on one line: "incoming_event chat=PJ0MRSHTDG thread=K600PKZON8 event=K600PKZON8_3 author=jane@example.com".
func (s Summary) String() string {
	var b strings.Builder
	b.WriteString(cmp.Or(s.Action, "(no action)"))
	for _, kv := range [][2]string{{"chat", s.ChatID}, {"thread", s.ThreadID}, {"event", s.EventID}, {"id", s.Subject}, {"author", s.Author}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, " %s=%s", kv[0], kv[1])
		}
	}
	return b.String()
}

func customerName(chat map[string]any) string {
	users, _ := chat["users"].([]any)
	for _, u := range users {
		m, _ := u.(map[string]any)
		if str(m, "type") == "customer" {
			return cmp.Or(str(m, "name"), str(m, "email"), str(m, "id"))
		}
	}
	return ""
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}
