// Package print is the `lcwh print` command (alias `pretty`).
package print

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
	"github.com/lcwh/lcwh/pkg/render"
	"github.com/lcwh/lcwh/pkg/validate"
)

// Options are the resolved inputs of one run.
type Options struct {
	Paths       []string
	Format      string // "" = pretty on a terminal, json when piped
	APIVersion  string
	ShowSecrets bool
}

// NewCmd returns `lcwh print`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "print [PATH...]",
		Aliases: []string{"pretty"},
		Short:   "Pretty-print webhooks and listen recordings",
		Long: `Print shows webhook bodies: files, directories (searched recursively for
*.json, *.jsonl and *.ndjson), or - for stdin (the default). An input may hold
one JSON document or JSON Lines, including recordings written by
'lcwh listen --record'.

On a terminal each webhook gets a header line (action, time, chat, thread and
event ids, author, and whether it is valid for --api-version), a chat-aware
gist (message events as transcript lines, property and tag changes in short)
and the coloured body. Piped, the default is plain JSON without colour.

secret_key is shown as <redacted> unless --show-secrets is given.

Exit status: 0 when everything could be read, 1 when an input is not JSON
(it is reported on stderr as file:line:col, the rest is still printed),
2 on usage errors.`,
		Example: `  # Look at a webhook body
  lcwh print webhook.json

  # What did LiveChat send while listen was recording?
  lcwh print deliveries.jsonl

  # One line per webhook, for grep
  lcwh print --format summary deliveries.jsonl | grep incoming_event

  # Pipe a body from somewhere else
  pbpaste | lcwh pretty -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			s := f.Settings
			if len(args) == 0 {
				args = []string{"-"}
			}
			opts := Options{
				Paths:       args,
				Format:      f.Format(render.Formats...),
				APIVersion:  s.GetString("api_version"),
				ShowSecrets: s.GetBool("show_secrets"),
			}
			return Run(f.IO, opts)
		},
	}
	cmdutil.FormatFlag(cmd, new(string), "", render.Formats...).Usage += " (default pretty on a terminal, json when piped)"
	cmd.Flags().String("api-version", payload.DefaultVersion, "LiveChat API version to check validity against, or auto to guess it per webhook")
	cmd.Flags().Bool("show-secrets", false, "show secret_key values instead of <redacted>")
	return cmd
}

// Run prints every input and reports unreadable ones on stderr.
func Run(io *iostreams.IOStreams, opts Options) error {
	if opts.Format == "" {
		opts.Format = render.DefaultFormat(io.OutTTY)
	}
	if !render.ValidFormat(opts.Format) {
		return cmdutil.UsageError("unknown --format %q (want %s)", opts.Format, strings.Join(render.Formats, ", "))
	}
	if opts.APIVersion != payload.Auto {
		if _, err := payload.CatalogFor(opts.APIVersion); err != nil {
			return cmdutil.UsageError("%v", err)
		}
	}
	inputs, err := expand(opts.Paths)
	if err != nil {
		return err
	}
	p := &printer{io: io, version: opts.APIVersion, opts: render.Options{Format: opts.Format, Color: io.ColorOut(), ShowSecrets: opts.ShowSecrets, Names: &render.Namer{}}, errP: iostreams.NewPalette(io.ColorErr())}
	for _, in := range inputs {
		if err := p.input(in); err != nil {
			return err
		}
	}
	if p.failed {
		return cmdutil.SilentExit(cmdutil.ExitFailure)
	}
	return nil
}

type printer struct {
	io      *iostreams.IOStreams
	version string // an API version or payload.Auto
	opts    render.Options
	errP    iostreams.Palette
	failed  bool
	count   int
}

func (p *printer) input(path string) error {
	name := path
	var data []byte
	var err error
	if path == "-" {
		name = "<stdin>"
		data, err = io.ReadAll(p.io.In)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		p.fail(name, fmt.Sprintf("cannot read: %v", validate.ReadErrorText(err)))
		return nil
	}
	doc, derr := payload.Decode(data)
	if derr == nil {
		return p.document(name, 0, doc)
	}
	if !isJSONLines(data) {
		p.syntax(name, 0, derr)
		return nil
	}
	lineNo := 0
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		lineNo++
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		doc, err := payload.Decode(line)
		if err != nil {
			p.syntax(name, lineNo, err)
			continue
		}
		if err := p.document(name, lineNo, doc); err != nil {
			return err
		}
	}
	return nil
}

// isJSONLines tells a stream of documents from one broken document: more
// than one non-blank line, and the first one is a whole JSON value.
func isJSONLines(data []byte) bool {
	lines := 0
	var firstLine []byte
	for _, l := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		if lines == 0 {
			firstLine = l
		}
		lines++
	}
	if lines < 2 {
		return false
	}
	_, err := payload.Parse(firstLine)
	return err == nil
}

// document renders a webhook body or a recording entry.
func (p *printer) document(name string, lineNo int, doc *payload.Document) error {
	wh := render.Webhook{Doc: doc, Checked: true}
	if obj := doc.Object(); obj != nil && record.IsEntry(obj) {
		var e record.Entry
		if err := json.Unmarshal(doc.Raw, &e); err != nil {
			p.fail(where(name, lineNo), "not a recording entry: "+err.Error())
			return nil
		}
		wh = render.Webhook{Time: e.Time.UTC().Format(time.RFC3339Nano), Extra: entryExtra(&e, p.opts.Color)}
		body, err := payload.Decode(e.RawBody())
		if err != nil {
			if p.opts.Format == render.FormatJSON || p.opts.Format == render.FormatCompact || p.opts.Format == render.FormatRaw {
				// the recording is fine; the delivery it records was not JSON
				fmt.Fprintf(p.io.ErrOut, "%s: recorded body is not JSON: %v\n", where(name, lineNo), err)
				return nil
			}
		} else {
			wh.Doc, wh.Checked = body, true
		}
	}
	if wh.Doc != nil {
		version := p.version
		if version == payload.Auto {
			g := payload.DetectVersion(wh.Doc, payload.DefaultVersion)
			version = g.Version
			fmt.Fprintf(p.io.ErrOut, "%s: %s assumed API %s: %s\n", where(name, lineNo), p.errP.Faint("note:"), g.Version, g.Reason)
		}
		v, err := payload.ValidatorFor(version)
		if err != nil {
			return err
		}
		rep, err := v.Check(wh.Doc, payload.Options{})
		if err != nil {
			return err
		}
		wh.Errors, wh.Warnings = rep.Errors, rep.Warnings
	}
	p.count++
	return render.Render(p.io.Out, wh, p.opts)
}

// entryExtra describes the delivery a recording line holds.
func entryExtra(e *record.Entry, color bool) string {
	pal := iostreams.NewPalette(color)
	s := fmt.Sprintf("%s %s → %d in %s", e.Method, e.Path, e.Response.Status, formatMS(e.Response.DurationMS))
	if e.Verdict.Secret == "wrong" || e.Verdict.Secret == "missing" {
		s += " " + pal.Red("secret "+e.Verdict.Secret)
	}
	if e.Forward != nil {
		if e.Forward.Error != "" {
			s += " " + pal.Red("forward failed: "+e.Forward.Error)
		} else {
			s += fmt.Sprintf(" (forwarded: %d)", e.Forward.Status)
		}
	}
	if !e.Verdict.Parsed {
		for _, msg := range e.Verdict.Errors {
			s += " " + pal.Red(msg)
		}
	}
	return s
}

func formatMS(ms float64) string {
	return time.Duration(ms * float64(time.Millisecond)).Round(time.Microsecond * 100).String()
}

func (p *printer) syntax(name string, lineNo int, err error) {
	var se *payload.SyntaxError
	if !errors.As(err, &se) {
		p.fail(where(name, lineNo), err.Error())
		return
	}
	line := se.Line
	if lineNo > 0 {
		line += lineNo - 1
	}
	p.fail(fmt.Sprintf("%s:%d:%d", name, line, se.Column), "syntax error: "+se.Msg)
}

func (p *printer) fail(loc, msg string) {
	p.failed = true
	fmt.Fprintf(p.io.ErrOut, "%s: %s %s\n", p.errP.Bold(loc), p.errP.Red("error:"), msg)
}

func where(name string, lineNo int) string {
	if lineNo == 0 {
		return name
	}
	return fmt.Sprintf("%s:%d", name, lineNo)
}

// expand lists the inputs: files as given, directories walked for JSON and
// JSON Lines files in lexical order, "-" for stdin.
func expand(paths []string) ([]string, error) {
	out, err := validate.ExpandExt(paths, ".json", ".jsonl", ".ndjson")
	var nsp *validate.NoSuchPathError
	if errors.As(err, &nsp) {
		return nil, cmdutil.UsageError("%v", err)
	}
	return out, err
}
