// Package replay is the `lcwh replay` command.
package replay

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmdflags"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/deliver"
	"github.com/lcwh/lcwh/pkg/edit"
	"github.com/lcwh/lcwh/pkg/inputs"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/replay"
	"github.com/lcwh/lcwh/pkg/report"
)

// Options are the inputs of one run.
type Options struct {
	Sources      []string
	APIVersion   string
	Actions      []string
	Delivery     cmdflags.Delivery
	Concurrency  int
	Rate         string // "20/s"; "" = as fast as possible
	LiveChat     bool
	Report       string
	ReportFormat string // "" = from the extension of Report
	DryRun       bool
	Verbose      bool
}

// NewCmdReplay returns `lcwh replay`; runF, when not nil, runs instead of Run.
func NewCmdReplay(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{}
	cmd := &cobra.Command{
		Use:   "replay SOURCE... --to URL",
		Short: "Deliver fixture files, directories and listen recordings to an endpoint",
		Long: `Replay sends webhook bodies to URL as LiveChat would: fixture files,
folders (*.json, *.jsonl and *.ndjson, recursively, in lexical order), - for
stdin. A file holds one JSON document, JSON Lines of bodies (one delivery per
line), or a recording written by "lcwh listen", told apart by content.
Everything is streamed: any size replays in constant memory. A body that is
not JSON (a file, a line of JSON Lines) is reported where it breaks
(file:line:col, as validate reports it) and not sent; the body of a
recording line is sent as recorded, JSON or not: that is what LiveChat sent.

Recorded secrets are redacted; --secret (or the first configured secret)
puts the real one back. The target is --to, else the action's route or
forward_to from the configuration.
` + cmdflags.RetriesHelp + ` --emulate-livechat
applies LiveChat's policy instead: only 200 counts, anything else (or no
answer within 10s) is retried up to 3 times over about a minute, and each
line says what LiveChat would have done.

Exit status: 0 when every delivery succeeded, 1 when any got an unexpected
status or a part of the sources could not be read (a body that is not JSON,
a line over 64 MiB: reported, the rest still sent), 2 on usage errors (no
such path, a folder with nothing to send), 3 when the target could not be
reached or timed out, 130 when interrupted (with a summary of what was and
was not sent).`,
		Example: `  # Replay what listen recorded, with the real secret
  lcwh replay webhooks.jsonl --to http://localhost:3000/webhooks --secret "$LIVECHAT_SECRET"

  # Only the chat webhooks, 8 at a time, at most 50 a second
  lcwh replay webhooks.jsonl --to http://localhost:3000/webhooks \
    --actions incoming_chat,incoming_event --concurrency 8 --rate 50/s

  # Would LiveChat give up on my endpoint?
  lcwh replay fixtures/v3.6 --to http://localhost:3000/webhooks --emulate-livechat

  # A JUnit report for CI, retrying a flaky staging twice
  lcwh replay testdata/webhooks --to "$STAGING_URL" --retries 2 --report replay.xml

  # Just show what would be sent
  lcwh replay webhooks.jsonl --to http://localhost:3000/webhooks --dry-run`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Sources = args
			if err := cmdflags.CheckActions(cmd, "actions", opts.APIVersion, opts.Actions...); err != nil {
				return err
			}
			if err := opts.Delivery.Complete(f); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			// a replay keeps a bounded window alive but makes a body of garbage per delivery
			defer cmdutil.TuneGC(f.Getenv, 40<<20)()
			return Run(ctx, f.IO, *opts)
		},
	}
	fl := cmd.Flags()
	cmdflags.DeliveryFlags(cmd, &opts.Delivery)
	cmdflags.Actions(f, cmd, &opts.Actions, "replay only these actions (comma-separated)")
	cmdflags.APIVersion(cmd, &opts.APIVersion, false, "LiveChat API version the --actions names belong to")
	fl.IntVar(&opts.Concurrency, "concurrency", 1, "deliveries in flight at once (1 keeps the order)")
	cmdutil.Check(cmd, "concurrency", &opts.Concurrency, cmdutil.AtLeast(1))
	fl.StringVar(&opts.Rate, "rate", "", "at most N deliveries a second, e.g. 20/s or 600/m")
	cmdutil.Check(cmd, "rate", &opts.Rate, func(s string) error {
		_, err := ParseRate(s)
		return err
	})
	fl.BoolVar(&opts.LiveChat, "emulate-livechat", false, "apply LiveChat's retry policy and say what it would have done")
	fl.StringVar(&opts.Report, "report", "", "write a report to FILE (.json or .xml for JUnit)")
	cmdutil.StringEnumFlag(cmd, &opts.ReportFormat, "report-format", "", "", report.FileFormats, "report format").Usage += " (default from the extension)"
	fl.BoolVar(&opts.DryRun, "dry-run", false, "show what would be sent, send nothing")
	fl.BoolVarP(&opts.Verbose, "verbose", "v", false, "print each body sent (secret redacted)")
	return cmd
}

// ParseRate reads --rate: "20", "20/s", "600/m".
func ParseRate(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	num, unit, _ := strings.Cut(s, "/")
	n, err := strconv.ParseFloat(num, 64)
	per := map[string]float64{"": 1, "s": 1, "m": 60, "min": 60}[unit]
	if err != nil || n <= 0 || per == 0 {
		return 0, errors.New("want N/s or N/m, e.g. 20/s")
	}
	return n / per, nil
}

// Run replays the sources and renders the results.
func Run(ctx context.Context, ios *iostreams.IOStreams, opts Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	// every delivery needs a target: --to, or a route that catches all
	to, err := opts.Delivery.Target("")
	if err != nil && !opts.DryRun {
		return err
	}
	rate, err := ParseRate(opts.Rate)
	if err != nil {
		return cmdutil.UsageError("--rate %q: %v", opts.Rate, err)
	}
	reportFormat := report.FileFormatFor(opts.Report, opts.ReportFormat)
	srcs, err := inputs.Expand(opts.Sources)
	if err != nil {
		return cmdutil.UsageError("%v", err)
	}
	stream := replay.Open(srcs, ios.In)
	defer stream.Close()
	pal, palErr := iostreams.NewPalette(ios.ColorOut()), iostreams.NewPalette(ios.ColorErr())
	prog := ios.NewProgress()
	out := newLineBuffer(ios.Out, ios.OutTTY)
	defer out.Flush()

	var skipped, unreadable int
	redactedWarned := false
	var last deliver.Job // the job most recently taken from the stream
	seq := 0
	next := func() (deliver.Job, bool) {
		for {
			it, err := stream.Next()
			if err != nil {
				if err != io.EOF {
					fmt.Fprintf(ios.ErrOut, "%s %v\n", palErr.Red("error:"), err)
				}
				return deliver.Job{}, false
			}
			if it.Err != nil {
				out.Flush()
				prog.Clear()
				if inputs.Tolerated(it.Err) {
					fmt.Fprintf(ios.ErrOut, "%s: %s %v (skipped)\n", it.Label, palErr.Yellow("warning:"), it.Err)
					continue
				}
				unreadable++ // not sent: the run fails
				fmt.Fprintf(ios.ErrOut, "%s: %s %s (skipped)\n", it.Label, palErr.Red("error:"), inputs.Message(it.Err))
				continue
			}
			if len(opts.Actions) > 0 && !slices.Contains(opts.Actions, it.Action) {
				skipped++
				continue
			}
			body := it.Body
			if secret := opts.Delivery.Secret; secret != "" {
				if b, err := edit.SetSecret(body, secret); err == nil {
					body = b
				}
			} else if !redactedWarned && it.Redacted {
				redactedWarned = true
				out.Flush()
				prog.Clear()
				report.WarnRedactedSecret(ios.ErrOut, palErr, it.Label)
			}
			url, _ := opts.Delivery.Target(it.Action) // falls back to the catch-all checked above
			last = deliver.Job{Seq: seq, Label: it.Label, Action: it.Action, Summary: it.Summary, Request: deliver.Request{URL: url, Body: body, Header: opts.Delivery.Header}}
			seq++
			return last, true
		}
	}

	if opts.DryRun {
		for j, ok := next(); ok; j, ok = next() {
			fmt.Fprintf(out, "%s  %s (%d bytes)\n", j.Label, j.Summary, len(j.Request.Body))
			if opts.Verbose {
				fmt.Fprintf(out, "%s\n", strings.TrimRight(string(payload.Redact(j.Request.Body)), "\n"))
			}
		}
		fmt.Fprintf(out, "%d would be sent to %s", seq, orNone(to))
		if skipped > 0 {
			fmt.Fprintf(out, " (%d skipped by --actions)", skipped)
		}
		if unreadable > 0 {
			fmt.Fprintf(out, "; %d unreadable", unreadable)
		}
		fmt.Fprintln(out)
		if unreadable > 0 {
			return cmdutil.SilentExit(cmdutil.ExitFailure)
		}
		return nil
	}

	dopts := opts.Delivery.Options()
	dopts.LiveChat = opts.LiveChat
	c := deliver.New(dopts)
	defer c.Close()
	var tally deliver.Tally
	var deliveries []report.Delivery
	var cutShort []string
	start := time.Now()
	taken := c.Batch(ctx, deliver.BatchOptions{Concurrency: opts.Concurrency, Rate: rate}, next, func(o deliver.Outcome) {
		if ctx.Err() != nil && o.Result.Err != nil && errors.Is(o.Result.Err, context.Canceled) {
			cutShort = append(cutShort, o.Job.Label) // by Ctrl-C: counted as not sent
			return
		}
		tally.Add(o.Result)
		prog.Clear()
		line(out, pal, o, opts.LiveChat)
		if opts.Verbose {
			fmt.Fprintf(out, "%s\n", strings.TrimRight(string(payload.Redact(o.Job.Request.Body)), "\n"))
		}
		out.lineDone()
		bar(prog, stream, tally.Sent)
		if opts.Report != "" {
			doc, _ := payload.Decode(o.Job.Request.Body)
			deliveries = append(deliveries, report.NewDelivery(o.Job.Label, o.Job.Request.URL, o.Job.Request.Body, doc, o.Result))
		}
	})
	prog.Clear()
	sum := tally.Summary(time.Since(start))
	report.WriteSummary(out, pal, sum)
	if skipped > 0 || unreadable > 0 {
		fmt.Fprintf(out, "%d skipped by --actions, %d unreadable\n", skipped, unreadable)
	}
	if opts.Report != "" {
		out.Flush()
		if err := report.WriteFile(opts.Report, reportFormat, "lcwh replay", report.Batch{Deliveries: deliveries, Summary: sum}); err != nil {
			return err
		}
	}
	out.Flush()
	if ctx.Err() != nil {
		msg := fmt.Sprintf("interrupted: %d delivered", sum.Sent)
		if len(cutShort) > 0 {
			msg += "; cut short, no answer: " + strings.Join(cutShort, ", ")
		}
		if taken < seq {
			msg += "; not sent: " + last.Label + " and the rest of the sources"
		} else {
			msg += "; not sent: the rest of the sources"
		}
		fmt.Fprintln(ios.ErrOut, msg)
		return cmdutil.SilentExit(cmdutil.ExitInterrupt)
	}
	return cmdflags.ExitFor(sum.Failed == 0 && unreadable == 0, sum.Unreachable > 0)
}

func line(w io.Writer, pal iostreams.Palette, o deliver.Outcome, livechat bool) {
	r := o.Result
	var status string
	switch {
	case r.NoResponse():
		status = pal.Red(r.Err.Error())
	case r.OK:
		status = pal.Green(r.StatusText)
	default:
		status = pal.Red(r.StatusText)
	}
	fmt.Fprintf(w, "%s  %s → %s in %s", o.Job.Label, o.Job.Summary, status, report.Round(r.Duration))
	if livechat {
		fmt.Fprintf(w, " (%s)", deliver.LiveChatVerdict(r))
	} else if r.Retried() {
		fmt.Fprintf(w, " (attempt %d)", len(r.Attempts))
	}
	fmt.Fprintln(w)
}

func orNone(s string) string {
	if s == "" {
		return "(no --to)"
	}
	return s
}

// bar draws how much of the sources was read (by bytes) on the progress line.
func bar(p *iostreams.Progress, s *replay.Stream, sent int) {
	if s.Total <= 0 {
		return
	}
	frac := min(float64(s.BytesRead())/float64(s.Total), 1)
	const width = 30
	n := int(frac * width)
	p.Show("[%s%s] %3.0f%%  %d sent", strings.Repeat("█", n), strings.Repeat("░", width-n), frac*100, sent)
}

// lineBuffer gathers the output of many deliveries into few writes: one
// line each would be a system call each, under the lock that orders the
// outcomes. Only whole lines go out, in order; a terminal still sees each
// line at once, a pipe at least every flushEvery; Run flushes at the end,
// Ctrl-C included.
type lineBuffer struct {
	*bufio.Writer
	tty  bool
	last time.Time
}

const flushEvery = 200 * time.Millisecond

func newLineBuffer(w io.Writer, tty bool) *lineBuffer {
	return &lineBuffer{Writer: bufio.NewWriterSize(w, 64<<10), tty: tty, last: time.Now()}
}

// lineDone is called after each delivery's lines.
func (b *lineBuffer) lineDone() {
	if b.tty || b.Available() < 8<<10 || time.Since(b.last) >= flushEvery {
		b.Flush()
		b.last = time.Now()
	}
}
