// Package print is the `lcwh print` command (alias `pretty`).
package print

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmdflags"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/inputs"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
	"github.com/lcwh/lcwh/pkg/render"
)

// Options are the resolved inputs of one run.
type Options struct {
	Paths       []string
	Format      string // "" = pretty on a terminal, json when piped
	APIVersion  string
	ShowSecrets bool
}

// NewCmdPrint returns `lcwh print`; runF, when not nil, runs instead of Run.
func NewCmdPrint(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{}
	cmd := &cobra.Command{
		Use:     "print [PATH...]",
		Aliases: []string{"pretty"},
		Short:   "Pretty-print webhooks and listen recordings",
		Long: `Print shows webhook bodies: files, folders (searched recursively for
*.json, *.jsonl and *.ndjson, symbolic links followed), or - for stdin (the
default). An input may hold one JSON document, JSON Lines of bodies, or a
recording written by 'lcwh listen --record'; each webhook is named by the
file (and line) it came from.

On a terminal each webhook gets a header line (action, time, chat, thread and
event ids, author, and whether it is valid for --api-version), what happened
in words (who wrote what, which chat moved where; a new chat's transcript)
and the coloured body, bounded (1 MiB, 32 levels deep: what is cut is said)
and with control characters escaped. --format summary puts each webhook on
one line, in the same words. Piped, the default is plain JSON without colour.

secret_key is shown as <redacted> unless --show-secrets is given.

Exit status: 0 when everything could be read, 1 when an input is not JSON
or could not be read (it is reported on stderr as file:line:col, the rest is
still printed), 2 on usage errors (no such path, a folder with nothing to
read, a path that is a pipe or a device).`,
		Example: `  # Look at a webhook body
  lcwh print webhook.json

  # What did LiveChat send while listen was recording?
  lcwh print deliveries.jsonl

  # One line per webhook, for grep
  lcwh print --format summary deliveries.jsonl | grep incoming_event

  # Pipe a body from somewhere else
  pbpaste | lcwh pretty -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if len(args) == 0 {
				opts.Paths = []string{"-"}
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(f.IO, *opts)
		},
	}
	cmdutil.FormatFlag(cmd, &opts.Format, "", render.Formats...).Usage += " (default pretty on a terminal, json when piped)"
	cmdflags.APIVersion(cmd, &opts.APIVersion, true, "LiveChat API version to check validity against, or auto to guess it per webhook")
	cmd.Flags().BoolVar(&opts.ShowSecrets, "show-secrets", false, "show secret_key values instead of <redacted>")
	cmdutil.CompletePathArgs(cmd, "json", "jsonl", "ndjson")
	return cmd
}

// Run prints every input and reports unreadable ones on stderr.
func Run(io *iostreams.IOStreams, opts Options) error {
	if opts.Format == "" {
		opts.Format = render.DefaultFormat(io.OutTTY)
	}
	srcs, err := inputs.Expand(opts.Paths)
	if err != nil {
		return cmdutil.UsageError("%v", err)
	}
	p := &printer{io: io, version: opts.APIVersion, opts: render.Options{Format: opts.Format, Color: io.ColorOut(), ShowSecrets: opts.ShowSecrets, Names: &render.Namer{}}, errP: iostreams.NewPalette(io.ColorErr())}
	// webhooks are parsed and validated in parallel, shown in order
	s := inputs.Read(srcs, inputs.Options{Stdin: io.In}, p.prepare)
	defer s.Close()
	for it, ok := s.Next(); ok; it, ok = s.Next() {
		if err := p.show(it); err != nil {
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
}

// item is one document of the inputs, ready to show.
type item struct {
	where string // file or file:line
	wh    render.Webhook
	guess *payload.Guess // the version assumed, with --api-version auto
	// what to say instead of the webhook: a failure at loc, a note, or a
	// recorded body that is not JSON (for the formats that print bodies)
	loc, fail string
	note      error
	notJSON   error
	err       error
}

// prepare parses and validates one document (on a worker goroutine).
func (p *printer) prepare(d *inputs.Doc) item {
	it := item{where: d.Where()}
	if d.Err != nil {
		if inputs.Tolerated(d.Err) {
			it.note = d.Err
		} else {
			it.loc, it.fail = it.where, inputs.Message(d.Err)
		}
		return it
	}
	var e *record.Entry
	body := d.Raw
	if d.Kind == inputs.Entry {
		var err error
		if e, err = record.DecodeLine(d.Raw); err != nil {
			if errors.Is(err, record.ErrCut) {
				it.note = err
			} else {
				it.loc, it.fail = fmt.Sprintf("%s:%d", it.where, record.ErrorColumn(d.Raw, err)), "not a recording line: "+err.Error()
			}
			return it
		}
		body = e.RawBody()
	}
	doc, err := payload.Decode(body)
	if err == nil && e == nil && record.IsEntry(doc.Raw) {
		// a recording line on its own, pretty-printed
		e = new(record.Entry)
		if err := json.Unmarshal(doc.Raw, e); err != nil {
			it.loc, it.fail = it.where, "not a recording entry: "+err.Error()
			return it
		}
		doc, err = payload.Decode(e.RawBody())
	}
	it.wh = render.Webhook{Source: it.where, Doc: doc, Checked: true}
	switch {
	case err != nil && e == nil:
		it.loc, it.fail = d.At(err), inputs.Message(err)
		return it
	case e != nil:
		it.wh.Time, it.wh.Extra = e.Time.UTC().Format(time.RFC3339Nano), entryExtra(e, p.opts.Color)
		if err != nil { // the recording is fine; the delivery it records was not JSON
			it.wh.Doc, it.wh.Checked, it.notJSON = nil, false, err
			return it
		}
	}
	version := p.version
	if version == payload.Auto {
		g := payload.DetectVersion(doc, payload.DefaultVersion)
		it.guess, version = &g, g.Version
	}
	v, err := payload.ValidatorFor(version)
	if err == nil {
		var rep payload.Report
		rep, err = v.Check(doc, payload.Options{})
		it.wh.Errors, it.wh.Warnings = rep.Errors, rep.Warnings
	}
	it.err = err
	return it
}

// show prints one item, in input order.
func (p *printer) show(it item) error {
	switch {
	case it.err != nil:
		return it.err
	case it.note != nil:
		fmt.Fprintf(p.io.ErrOut, "%s: %s %s (skipped)\n", p.errP.Bold(render.Clean(it.where)), p.errP.Yellow("warning:"), render.Clean(it.note.Error()))
		return nil
	case it.fail != "":
		p.failed = true
		fmt.Fprintf(p.io.ErrOut, "%s: %s %s\n", p.errP.Bold(render.Clean(it.loc)), p.errP.Red("error:"), render.Clean(it.fail))
		return nil
	case it.notJSON != nil && (p.opts.Format == render.FormatJSON || p.opts.Format == render.FormatCompact || p.opts.Format == render.FormatRaw):
		fmt.Fprintf(p.io.ErrOut, "%s: recorded body is not JSON: %s\n", render.Clean(it.where), render.Clean(it.notJSON.Error()))
		return nil
	case it.guess != nil:
		fmt.Fprintf(p.io.ErrOut, "%s: %s assumed API %s: %s\n", render.Clean(it.where), p.errP.Faint("note:"), it.guess.Version, render.Clean(it.guess.Reason))
	}
	return render.Render(p.io.Out, it.wh, p.opts)
}

// entryExtra describes the delivery a recording line holds (what it
// quotes from the recording, escaped).
func entryExtra(e *record.Entry, color bool) string {
	pal := iostreams.NewPalette(color)
	s := fmt.Sprintf("%s %s → %d in %s", render.Clean(e.Method), render.Clean(e.Path), e.Response.Status, formatMS(e.Response.DurationMS))
	switch k := e.Kind(); k {
	case record.Valid, record.Invalid, record.Unchecked:
		// print checks the body itself: ✓ valid, or ✗ and the errors
	case record.Rejected:
		s += " " + pal.Red("secret "+render.Clean(e.Verdict.Secret))
	default:
		s += " " + pal.Red(k.Label())
	}
	if e.Forward != nil {
		if e.Forward.Error != "" {
			s += " " + pal.Red("forward failed: "+render.Clean(e.Forward.Error))
		} else {
			s += fmt.Sprintf(" (forwarded: %d)", e.Forward.Status)
		}
	}
	if !e.Verdict.Parsed {
		for _, msg := range e.Verdict.Errors {
			s += " " + pal.Red(render.Clean(msg))
		}
	}
	return s
}

func formatMS(ms float64) string {
	return time.Duration(ms * float64(time.Millisecond)).Round(time.Microsecond * 100).String()
}
