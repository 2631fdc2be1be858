// Package render draws one webhook for a person or a pipe: a header line
// (action, time, ids, author, validity), a chat-aware gist (transcript
// lines for message events, short changes for property and tag webhooks)
// and the body, pretty-printed and optionally coloured. `lcwh print` and
// `lcwh listen` share it; it writes only to the io.Writer it is given.
package render

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/tidwall/pretty"

	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload"
)

// Formats of a rendered webhook.
const (
	FormatPretty  = "pretty"  // header, gist, indented (coloured) body
	FormatJSON    = "json"    // the body indented, never coloured
	FormatCompact = "compact" // the body on one line
	FormatSummary = "summary" // header and gist only
	FormatRaw     = "raw"     // the bytes as received (secret still redacted)
)

// Formats lists the formats in the order --help shows them.
var Formats = []string{FormatPretty, FormatJSON, FormatCompact, FormatSummary, FormatRaw}

// DefaultFormat is pretty on a terminal and plain JSON in a pipe.
func DefaultFormat(terminal bool) string {
	if terminal {
		return FormatPretty
	}
	return FormatJSON
}

// ValidFormat tells whether name is one of Formats.
func ValidFormat(name string) bool {
	for _, f := range Formats {
		if f == name {
			return true
		}
	}
	return false
}

// Webhook is what is known about one webhook to render.
type Webhook struct {
	Source string            // where it was read (file or file:line), shown first when set
	Doc    *payload.Document // nil when the body did not parse
	Errors []payload.Error   // validation errors (nil and Checked: valid)
	// Warnings are what validation found suspicious without making the
	// webhook invalid: shown like errors, dimmed.
	Warnings []payload.Error
	// Checked is false when validation was not run (the mark is omitted).
	Checked bool
	// Time overrides the time shown in the header (e.g. when it was received);
	// empty means the time of the event or chat found in the body.
	Time string
	// Extra is appended to the header line (e.g. "→ 200 in 3ms").
	Extra string
}

// Options control rendering.
type Options struct {
	Format      string
	Color       bool
	ShowSecrets bool
	// Names, when set, learns who is who from each webhook rendered and
	// names users in later ones (a chat's users arrive with incoming_chat).
	Names *Namer
}

// Body returns the body to show: secret_key redacted unless shown.
func Body(raw []byte, showSecrets bool) []byte {
	if showSecrets {
		return raw
	}
	return payload.Redact(raw)
}

// Render writes one webhook in opts.Format.
func Render(w io.Writer, wh Webhook, opts Options) error {
	raw := []byte(nil)
	if wh.Doc != nil {
		raw = Body(wh.Doc.Raw, opts.ShowSecrets)
	}
	var b bytes.Buffer
	switch opts.Format {
	case FormatJSON:
		b.Write(Indent(raw))
	case FormatCompact:
		b.Write(pretty.Ugly(raw))
		b.WriteByte('\n')
	case FormatRaw:
		b.Write(raw)
		if len(raw) > 0 && raw[len(raw)-1] != '\n' {
			b.WriteByte('\n')
		}
	case FormatSummary:
		writeHead(&b, wh, opts)
	default:
		writeHead(&b, wh, opts)
		body, cut := AppendPretty(b.AvailableBuffer(), raw, opts.Color, DefaultLimits)
		b.Write(body)
		if note := cut.String(); note != "" {
			b.WriteString(iostreams.NewPalette(opts.Color).Yellow("… "+note) + "\n")
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func writeHead(b *bytes.Buffer, wh Webhook, opts Options) {
	p := iostreams.NewPalette(opts.Color)
	b.WriteString(Header(wh, p))
	b.WriteByte('\n')
	if wh.Doc == nil {
		return
	}
	opts.Names.Learn(wh.Doc)
	for _, line := range GistWith(wh.Doc, opts.Names) {
		b.WriteString("  ")
		b.WriteString(line)
		b.WriteByte('\n')
	}
	for _, e := range wh.Errors {
		fmt.Fprintf(b, "  %s %s\n", p.Red("✗"), e.String())
	}
	for _, e := range wh.Warnings {
		fmt.Fprintf(b, "  %s %s\n", p.Yellow("!"), p.Faint(e.String()))
	}
}

// Header is the one-line gist of a webhook:
//
//	incoming_event 2025-09-16T09:46:12Z chat=PJ0MRSHTDG thread=K600PKZON8 event=K600PKZON8_9 author=jane ✓ valid
func Header(wh Webhook, p iostreams.Palette) string {
	var parts []string
	if wh.Source != "" {
		parts = append(parts, p.Faint(wh.Source))
	}
	if wh.Doc == nil {
		parts = append(parts, p.Red("(unparsable body)"))
	} else {
		s := payload.Summarize(wh.Doc)
		parts = append(parts, p.Bold(p.Cyan(cmp.Or(s.Action, "(no action)"))))
		if t := cmp.Or(wh.Time, bodyTime(wh.Doc)); t != "" {
			parts = append(parts, p.Faint(t))
		}
		for _, kv := range [][2]string{{"chat", s.ChatID}, {"thread", s.ThreadID}, {"event", s.EventID}, {"id", s.Subject}, {"author", s.Author}} {
			if kv[1] != "" {
				parts = append(parts, p.Faint(kv[0]+"=")+kv[1])
			}
		}
	}
	if wh.Doc != nil && wh.Checked {
		if len(wh.Errors) == 0 {
			parts = append(parts, p.Green("✓ valid"))
		} else {
			parts = append(parts, p.Red(fmt.Sprintf("✗ invalid (%d %s)", len(wh.Errors), plural(len(wh.Errors), "error", "errors"))))
		}
	}
	if wh.Extra != "" {
		parts = append(parts, wh.Extra)
	}
	return strings.Join(parts, " ")
}

// bodyTime finds the moment a webhook is about: its event, thread or chat.
func bodyTime(d *payload.Document) string {
	p, _ := d.Envelope.Payload.(map[string]any)
	if p == nil {
		return ""
	}
	event, _ := p["event"].(map[string]any)
	chat, _ := p["chat"].(map[string]any)
	thread, _ := chat["thread"].(map[string]any)
	return cmp.Or(str(event, "created_at"), str(thread, "created_at"), str(p, "seen_up_to"), str(p, "created_at"))
}

// Gist is what a person wants to read first: transcript lines for chat
// events and one-line changes for property, tag, transfer and user webhooks.
func Gist(d *payload.Document) []string { return GistWith(d, nil) }

// GistWith is Gist naming authors from names (which may be nil).
func GistWith(d *payload.Document, names *Namer) []string {
	p, _ := d.Envelope.Payload.(map[string]any)
	if p == nil {
		return nil
	}
	switch a := d.Envelope.Action; a {
	case "incoming_event", "event_updated":
		event, _ := p["event"].(map[string]any)
		if line := TranscriptLine(event, names.about(event)); line != "" {
			if a == "event_updated" {
				line = "(edited) " + line
			}
			return []string{line}
		}
	case "incoming_chat":
		chat, _ := p["chat"].(map[string]any)
		return Transcript(chat)
	case "chat_properties_updated", "thread_properties_updated", "event_properties_updated":
		return propertyChanges(p["properties"], "set")
	case "chat_properties_deleted", "thread_properties_deleted", "event_properties_deleted":
		return propertyChanges(p["properties"], "deleted")
	case "thread_tagged":
		return []string{"+ tag " + quote(str(p, "tag"))}
	case "thread_untagged":
		return []string{"- tag " + quote(str(p, "tag"))}
	case "chat_transferred":
		to, _ := p["transferred_to"].(map[string]any)
		return []string{fmt.Sprintf("transferred to %s (reason: %s)", describeTargets(to), cmp.Or(str(p, "reason"), "?"))}
	case "user_added_to_chat":
		user, _ := p["user"].(map[string]any)
		return []string{fmt.Sprintf("+ %s %s joined (reason: %s)", cmp.Or(str(user, "type"), str(p, "user_type")), userName(user), str(p, "reason"))}
	case "user_removed_from_chat":
		return []string{fmt.Sprintf("- %s %s left (reason: %s)", cmp.Or(str(p, "user_type"), "user"), str(p, "user_id"), str(p, "reason"))}
	case "routing_status_set":
		return []string{fmt.Sprintf("%s is now %s", str(p, "agent_id"), quote(str(p, "status")))}
	case "chat_deactivated":
		return []string{"chat closed" + by(str(p, "user_id"))}
	case "tag_created", "tag_updated", "tag_deleted":
		return []string{fmt.Sprintf("tag %s %s", quote(str(p, "name")), strings.TrimPrefix(a, "tag_"))}
	}
	return nil
}

// Transcript renders a chat's thread events in order, one line each, with
// authors named from the chat's users.
func Transcript(chat map[string]any) []string {
	users, _ := chat["users"].([]any)
	names := userNames(users)
	thread, _ := chat["thread"].(map[string]any)
	events, _ := thread["events"].([]any)
	var out []string
	for _, e := range events {
		m, _ := e.(map[string]any)
		if line := TranscriptLine(m, names); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// userNames maps user ids to "type name".
func userNames(users []any) map[string]string {
	names := map[string]string{}
	for _, u := range users {
		m, _ := u.(map[string]any)
		if id := str(m, "id"); id != "" {
			names[id] = shorten(Clean(str(m, "type")+" "+userName(m)), 80)
		}
	}
	return names
}

// TranscriptLine renders one event: `customer Jane: "Hi, I need help"`.
// names maps author ids to "type name"; unknown authors show their id.
func TranscriptLine(event map[string]any, names map[string]string) string {
	if event == nil {
		return ""
	}
	author := str(event, "author_id")
	who := names[author]
	if who == "" {
		who = author
		if who == "" {
			who = "system"
		} else if !strings.Contains(author, "@") && looksLikeUUID(author) {
			who = "customer " + author
		} else if strings.Contains(author, "@") {
			who = "agent " + author
		}
	}
	switch t := str(event, "type"); t {
	case "message":
		return fmt.Sprintf("%s: %s", who, quote(str(event, "text")))
	case "system_message":
		return fmt.Sprintf("system: %s", cmp.Or(str(event, "text"), str(event, "system_message_type")))
	case "file":
		return fmt.Sprintf("%s sent a file: %s (%s)", who, str(event, "name"), str(event, "content_type"))
	case "rich_message":
		return fmt.Sprintf("%s sent %s", who, cmp.Or(str(event, "template_id"), "a rich message"))
	case "filled_form":
		return fmt.Sprintf("%s filled a %s form", who, cmp.Or(str(event, "form_type"), "custom"))
	case "form":
		return fmt.Sprintf("%s sent a %s form", who, cmp.Or(str(event, "form_type"), "custom"))
	case "":
		return ""
	default:
		return fmt.Sprintf("%s sent a %s event", who, t)
	}
}

func propertyChanges(v any, verb string) []string {
	props, _ := v.(map[string]any)
	var out []string
	for _, ns := range slices.Sorted(maps.Keys(props)) {
		switch vals := props[ns].(type) {
		case map[string]any:
			for _, name := range slices.Sorted(maps.Keys(vals)) {
				out = append(out, fmt.Sprintf("%s.%s = %s", ns, name, compactValue(vals[name])))
			}
		case []any:
			for _, name := range vals {
				out = append(out, fmt.Sprintf("%s.%v %s", ns, name, verb))
			}
		}
	}
	return out
}

func describeTargets(to map[string]any) string {
	var parts []string
	if ids, _ := to["group_ids"].([]any); len(ids) > 0 {
		parts = append(parts, "groups "+joinAny(ids))
	}
	if ids, _ := to["agent_ids"].([]any); len(ids) > 0 {
		parts = append(parts, "agents "+joinAny(ids))
	}
	if len(parts) == 0 {
		return "?"
	}
	return strings.Join(parts, " and ")
}

func joinAny(vals []any) string {
	s := make([]string, len(vals))
	for i, v := range vals {
		s[i] = fmt.Sprint(v)
	}
	return strings.Join(s, ",")
}

func compactValue(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func userName(u map[string]any) string {
	return cmp.Or(str(u, "name"), str(u, "email"), str(u, "id"), "?")
}

func by(id string) string {
	if id == "" {
		return ""
	}
	return " by " + id
}

// unescapeHTML undoes json.Marshal's HTML escaping, for people to read.
var unescapeHTML = strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&")

func quote(s string) string {
	b, _ := json.Marshal(s)
	return unescapeHTML.Replace(string(b))
}

func looksLikeUUID(s string) bool { return len(s) == 36 && strings.Count(s, "-") == 4 }

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
