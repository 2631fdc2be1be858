// Package render draws one webhook for a person or a pipe: a header line
// (action, time, ids, author, validity), a chat-aware gist (what happened
// in words, a chat's transcript) and the body, pretty-printed and
// optionally coloured, or all of it on one line. What it draws is bounded
// and safe for a terminal whatever the body holds. `lcwh print` and `lcwh
// listen` share it; it writes only to the io.Writer it is given.
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
	FormatSummary = "summary" // one line: time, action, verdict, what happened
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
	// Extra is appended to the header line (e.g. "→ 200 in 3ms") as it
	// is: Clean what it quotes from outside.
	Extra string
}

// Options control rendering.
type Options struct {
	Format      string
	Color       bool
	ShowSecrets bool
	// Terminal escapes control characters even where the bytes are
	// otherwise written as they are (compact, raw).
	Terminal bool
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
		b.Write(opts.clean(pretty.Ugly(raw)))
		b.WriteByte('\n')
	case FormatRaw:
		b.Write(opts.clean(raw))
		if len(raw) > 0 && raw[len(raw)-1] != '\n' {
			b.WriteByte('\n')
		}
	case FormatSummary:
		b.WriteString(Line(wh, opts.Names, iostreams.NewPalette(opts.Color)))
		b.WriteByte('\n')
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

func (o Options) clean(b []byte) []byte {
	if o.Terminal {
		return CleanJSON(b)
	}
	return b
}

// Bounds of the lines above a pretty body.
const (
	maxGist      = 20  // transcript lines
	maxErrors    = 20  // validation errors listed
	maxLineRunes = 300 // one gist line or error
)

func writeHead(b *bytes.Buffer, wh Webhook, opts Options) {
	p := iostreams.NewPalette(opts.Color)
	b.WriteString(Header(wh, p))
	b.WriteByte('\n')
	if wh.Doc == nil {
		return
	}
	for _, line := range GistWith(wh.Doc, opts.Names) {
		b.WriteString("  ")
		b.WriteString(line)
		b.WriteByte('\n')
	}
	for i, e := range wh.Errors {
		if i == maxErrors {
			fmt.Fprintf(b, "  %s\n", p.Red(fmt.Sprintf("✗ and %d more errors (lcwh validate lists them all)", len(wh.Errors)-i)))
			break
		}
		fmt.Fprintf(b, "  %s %s\n", p.Red("✗"), shorten(Clean(e.String()), maxLineRunes))
	}
	for i, e := range wh.Warnings {
		if i == maxErrors {
			fmt.Fprintf(b, "  %s %s\n", p.Yellow("!"), p.Faint(fmt.Sprintf("and %d more warnings", len(wh.Warnings)-i)))
			break
		}
		fmt.Fprintf(b, "  %s %s\n", p.Yellow("!"), p.Faint(shorten(Clean(e.String()), maxLineRunes)))
	}
}

// Header is the one-line gist of a webhook:
//
//	incoming_event 2025-09-16T09:46:12Z chat=PJ0MRSHTDG thread=K600PKZON8 event=K600PKZON8_9 author=jane ✓ valid
func Header(wh Webhook, p iostreams.Palette) string {
	var parts []string
	if wh.Source != "" {
		parts = append(parts, p.Faint(Clean(wh.Source)))
	}
	if wh.Doc == nil {
		parts = append(parts, p.Red("(unparsable body)"))
	} else {
		s := payload.Summarize(wh.Doc)
		parts = append(parts, p.Bold(p.Cyan(action(s))))
		if t := cmp.Or(wh.Time, bodyTime(wh.Doc)); t != "" {
			parts = append(parts, p.Faint(shorten(Clean(t), 40)))
		}
		parts = append(parts, ids(s, p)...)
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

func action(s payload.Summary) string {
	return shorten(Clean(cmp.Or(s.Action, "(no action)")), 60)
}

// ids are a summary's ids as key=value, bounded and clean.
func ids(s payload.Summary, p iostreams.Palette) []string {
	var parts []string
	for _, kv := range [][2]string{{"chat", s.ChatID}, {"thread", s.ThreadID}, {"event", s.EventID}, {"id", s.Subject}, {"author", s.Author}} {
		if kv[1] != "" {
			parts = append(parts, p.Faint(kv[0]+"=")+shorten(Clean(kv[1]), 60))
		}
	}
	return parts
}

// Line is a webhook on one line, for a stream of them: where it was read,
// time, action, verdict (with the first error), Extra, then what happened
// in words (or its ids when there are no words for it):
//
//	09:46:12.204 incoming_event ✓ valid → 200 in 1.1ms  customer Jane Cooper wrote "Thanks!" in chat PJ0MRSHTDG
//
// names learns from the webhook and names its users (nil: ids stay ids).
func Line(wh Webhook, names *Namer, p iostreams.Palette) string {
	var parts []string
	if wh.Source != "" {
		parts = append(parts, p.Faint(Clean(wh.Source)))
	}
	if wh.Doc == nil {
		if wh.Time != "" {
			parts = append(parts, p.Faint(shorten(Clean(wh.Time), 40)))
		}
		parts = append(parts, p.Red("(unparsable body)"))
		if wh.Extra != "" {
			parts = append(parts, wh.Extra)
		}
		return strings.Join(parts, " ")
	}
	s := payload.Summarize(wh.Doc)
	if t := cmp.Or(wh.Time, bodyTime(wh.Doc)); t != "" {
		parts = append(parts, p.Faint(shorten(Clean(t), 40)))
	}
	parts = append(parts, p.Bold(p.Cyan(action(s))))
	if wh.Checked {
		switch n := len(wh.Errors); n {
		case 0:
			parts = append(parts, p.Green("✓ valid"))
			if w := len(wh.Warnings); w > 0 {
				parts = append(parts, p.Faint(fmt.Sprintf("(%d %s)", w, plural(w, "warning", "warnings"))))
			}
		case 1:
			parts = append(parts, p.Red("✗ invalid: "+shorten(Clean(wh.Errors[0].String()), 100)))
		default:
			parts = append(parts, p.Red(fmt.Sprintf("✗ invalid: %s (+%d more)", shorten(Clean(wh.Errors[0].String()), 100), n-1)))
		}
	}
	if wh.Extra != "" {
		parts = append(parts, wh.Extra)
	}
	words := names.What(wh.Doc)
	if words == "" {
		words = strings.Join(ids(s, p), " ")
	}
	return strings.Join(parts, " ") + "  " + words
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

// Gist is what a person wants to read first: what happened in words (see
// Namer.What) or, for a new chat, its transcript, an event a line.
func Gist(d *payload.Document) []string { return GistWith(d, nil) }

// GistWith is Gist naming users from names (nil: from the webhook alone).
func GistWith(d *payload.Document, names *Namer) []string {
	if names == nil {
		names = &Namer{}
	}
	if d.Envelope.Action != "incoming_chat" {
		if w := names.What(d); w != "" {
			return []string{w}
		}
		return nil
	}
	names.Learn(d)
	p, _ := d.Envelope.Payload.(map[string]any)
	chat, _ := p["chat"].(map[string]any)
	thread, _ := chat["thread"].(map[string]any)
	events, _ := thread["events"].([]any)
	var lines []string
	for i, e := range events {
		if i == maxGist {
			lines = append(lines, fmt.Sprintf("… and %d more events", len(events)-i))
			break
		}
		if m, _ := e.(map[string]any); m != nil {
			lines = append(lines, names.event(m, false, maxLineRunes))
		}
	}
	return lines
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
