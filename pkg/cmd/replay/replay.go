// Package replay is the `lcwh replay` command.
package replay

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmd/send"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/deliver"
	"github.com/lcwh/lcwh/pkg/edit"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/replay"
	"github.com/lcwh/lcwh/pkg/report"
	"github.com/lcwh/lcwh/pkg/validate"
)

// Options are the resolved inputs of one run.
type Options struct {
	Sources      []string
	To           string
	Route        func(action string) string // the configured target of an action when To is empty
	Actions      []string
	Secret       string
	Concurrency  int
	Rate         float64
	Retries      int
	Backoff      time.Duration
	Timeout      time.Duration
	Insecure     bool
	Header       http.Header
	ExpectStatus []int
	LiveChat     bool
	Report       string
	ReportFormat string
	DryRun       bool
	Verbose      bool
}

// NewCmd returns `lcwh replay`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "replay SOURCE... --to URL",
		Short: "Deliver fixture files, directories and listen recordings to an endpoint",
		Long: `Replay sends webhook bodies to URL as LiveChat would: fixture files,
directories (*.json, recursively, in lexical order), - for stdin, and
recordings written by "lcwh listen" (JSON Lines), told apart by content.
Recordings are streamed: any size replays in constant memory.

Recorded secrets are redacted; --secret puts the real one back.
Network errors, 429 and 5xx are retried (--retries, exponential backoff with
jitter, Retry-After honoured, each wait capped at 30s). --emulate-livechat
applies LiveChat's policy instead: only 200 counts, anything else (or no
answer within 10s) is retried up to 3 times over about a minute, and each
line says what LiveChat would have done.

Exit status: 0 when every delivery succeeded, 1 when any got an unexpected
status, 2 on usage errors, 3 when the target could not be reached or timed
out, 130 when interrupted (with a summary of what was and was not sent).`,
		Example: `  # Replay what listen recorded, with the real secret
  lcwh replay webhooks.jsonl --to http://localhost:3000/webhooks --secret "$LIVECHAT_SECRET"

  # Only the chat webhooks, 8 at a time, at most 50 a second
  lcwh replay webhooks.jsonl --to http://localhost:3000/webhooks \
    --actions incoming_chat,incoming_event --concurrency 8 --rate 50/s

  # Would LiveChat give up on my endpoint?
  lcwh replay fixtures/v3.6 --to http://localhost:3000/webhooks --emulate-livechat

  # A JUnit report for CI
  lcwh replay testdata/webhooks --to "$STAGING_URL" --report replay.xml

  # Just show what would be sent
  lcwh replay webhooks.jsonl --to http://localhost:3000/webhooks --dry-run`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s := f.Settings
			secrets, err := cmdutil.Secrets(s) // --secret first, then secrets and secret_file
			if err != nil {
				return err
			}
			opts := Options{
				Sources: args, To: s.GetString("to"), Secret: cmp.Or(secrets...),
				Route:       func(action string) string { return cmdutil.Route(s, action) },
				Concurrency: s.GetInt("concurrency"), Retries: s.GetInt("retries"),
				Backoff: s.GetDuration("backoff"), Timeout: s.GetDuration("timeout"),
				Insecure: s.GetBool("insecure"), LiveChat: s.GetBool("emulate_livechat"),
				Report: s.GetString("report"), ReportFormat: s.GetString("report_format"),
				DryRun: s.GetBool("dry_run"), Verbose: s.GetBool("verbose"),
				ExpectStatus: s.GetIntSlice("expect_status"),
			}
			catalog, err := payload.CatalogFor(s.GetString("api_version"))
			if err != nil {
				return cmdutil.UsageError("%v", err)
			}
			for _, a := range s.GetStringSlice("actions") {
				for _, name := range strings.Split(a, ",") {
					if _, err := catalog.Require(name); err != nil {
						return cmdutil.UsageError("--actions: %v", err)
					}
					opts.Actions = append(opts.Actions, name)
				}
			}
			if opts.Rate, err = ParseRate(s.GetString("rate")); err != nil {
				return err
			}
			if opts.Header, err = send.ParseHeaders(s.GetStringSlice("header")); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			// a replay keeps a bounded window alive but makes a body of garbage per delivery
			defer cmdutil.TuneGC(f.Getenv, 40<<20)()
			return Run(ctx, f.IO, opts)
		},
	}
	fl := cmd.Flags()
	fl.String("to", "", "target URL (config key \"to\")")
	fl.StringSlice("actions", nil, "replay only these actions (comma-separated)")
	fl.String("api-version", payload.DefaultVersion, "LiveChat API version the --actions names belong to")
	fl.String("secret", "", "put this secret_key in every body (env LCWH_SECRET)")
	fl.Int("concurrency", 1, "deliveries in flight at once (1 keeps the order)")
	fl.String("rate", "", "at most N deliveries a second, e.g. 20/s")
	fl.Int("retries", deliver.DefaultRetries, "retries after network errors, 429 and 5xx")
	fl.Duration("backoff", 0, "first retry delay, doubled each retry (default 500ms; 5s with --emulate-livechat)")
	fl.Duration("timeout", deliver.DefaultTimeout, "time-out of each request")
	fl.Bool("insecure", false, "accept any TLS certificate (self-signed HTTPS)")
	fl.StringArrayP("header", "H", nil, "extra request header K:V (repeatable)")
	fl.IntSlice("expect-status", nil, "statuses that count as success (default any 2xx)")
	fl.Bool("emulate-livechat", false, "apply LiveChat's retry policy and say what it would have done")
	fl.String("report", "", "write a report to FILE (.json or .xml for JUnit)")
	fl.String("report-format", "", "report format: json or junit (default from the extension)")
	fl.Bool("dry-run", false, "show what would be sent, send nothing")
	fl.BoolP("verbose", "v", false, "print each body sent (secret redacted)")
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
		return 0, cmdutil.UsageError("--rate %q: want N/s or N/m, e.g. 20/s", s)
	}
	return n / per, nil
}

// Run replays the sources and renders the results.
func Run(ctx context.Context, ios *iostreams.IOStreams, opts Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if opts.Concurrency < 1 {
		return cmdutil.UsageError("--concurrency must be at least 1")
	}
	target := func(action string) string { return opts.To }
	if opts.To == "" && opts.Route != nil {
		// per-action routes fall back to routes["*"] and forward_to, checked here
		target = opts.Route
		opts.To = opts.Route("")
	}
	if !opts.DryRun {
		if err := send.CheckTarget(opts.To); err != nil {
			return err
		}
	}
	reportFormat, err := reportFormatOf(opts)
	if err != nil {
		return err
	}
	stream, err := replay.Open(opts.Sources, ios.In)
	if err != nil {
		var nsp *validate.NoSuchPathError
		if errors.As(err, &nsp) {
			return cmdutil.UsageError("%v", err)
		}
		return err
	}
	defer stream.Close()
	pal, palErr := iostreams.NewPalette(ios.ColorOut()), iostreams.NewPalette(ios.ColorErr())
	prog := newProgress(ios, stream)
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
				unreadable++
				out.Flush()
				prog.clear()
				fmt.Fprintf(ios.ErrOut, "%s: %s %v (skipped)\n", it.Label, palErr.Red("error:"), it.Err)
				continue
			}
			if len(opts.Actions) > 0 && !slices.Contains(opts.Actions, it.Action) {
				skipped++
				continue
			}
			body := it.Body
			if opts.Secret != "" {
				if b, err := edit.SetSecret(body, opts.Secret); err == nil {
					body = b
				}
			} else if !redactedWarned && it.Redacted {
				redactedWarned = true
				out.Flush()
				prog.clear()
				fmt.Fprintf(ios.ErrOut, "%s bodies carry a redacted secret_key; give --secret to send the real one\n", palErr.Yellow("warning:"))
			}
			last = deliver.Job{Seq: seq, Label: it.Label, Action: it.Action, Summary: it.Summary, Request: deliver.Request{URL: target(it.Action), Body: body, Header: opts.Header}}
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
		fmt.Fprintf(out, "%d would be sent to %s", seq, orNone(opts.To))
		if skipped > 0 {
			fmt.Fprintf(out, " (%d skipped by --actions)", skipped)
		}
		fmt.Fprintln(out)
		return nil
	}

	c := deliver.New(deliver.Options{Timeout: opts.Timeout, Insecure: opts.Insecure, Retries: opts.Retries,
		Backoff: opts.Backoff, LiveChat: opts.LiveChat, ExpectStatus: opts.ExpectStatus})
	defer c.Close()
	var tally deliver.Tally
	var deliveries []report.Delivery
	var cutShort []string
	start := time.Now()
	taken := c.Batch(ctx, deliver.BatchOptions{Concurrency: opts.Concurrency, Rate: opts.Rate}, next, func(o deliver.Outcome) {
		if ctx.Err() != nil && o.Result.Err != nil && errors.Is(o.Result.Err, context.Canceled) {
			cutShort = append(cutShort, o.Job.Label) // by Ctrl-C: counted as not sent
			return
		}
		tally.Add(o.Result)
		prog.clear()
		line(out, pal, o, opts.LiveChat)
		if opts.Verbose {
			fmt.Fprintf(out, "%s\n", strings.TrimRight(string(payload.Redact(o.Job.Request.Body)), "\n"))
		}
		out.lineDone()
		prog.draw(tally.Sent)
		if opts.Report != "" {
			doc, _ := payload.Decode(o.Job.Request.Body)
			deliveries = append(deliveries, report.NewDelivery(o.Job.Label, o.Job.Request.URL, o.Job.Request.Body, doc, o.Result))
		}
	})
	prog.clear()
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
	return send.ExitFor(sum.Failed == 0, sum.NoResponse > 0)
}

func line(w io.Writer, pal iostreams.Palette, o deliver.Outcome, livechat bool) {
	r := o.Result
	var status string
	switch {
	case r.ConnFailed():
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

func reportFormatOf(opts Options) (string, error) {
	if opts.Report == "" {
		return "", nil
	}
	f := report.FileFormatFor(opts.Report, opts.ReportFormat)
	if !slices.Contains(report.FileFormats, f) {
		return "", cmdutil.UsageError("unknown --report-format %q (want json or junit)", f)
	}
	return f, nil
}

// progress draws a bar on stderr when it is a terminal, by bytes read.
type progress struct {
	on    bool
	w     io.Writer
	s     *replay.Stream
	shown bool
	last  time.Time
	mu    sync.Mutex
}

func newProgress(ios *iostreams.IOStreams, s *replay.Stream) *progress {
	return &progress{on: ios.ErrTTY && s.Total > 0, w: ios.ErrOut, s: s}
}

func (p *progress) draw(sent int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.on || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	frac := min(float64(p.s.Read.Load())/float64(p.s.Total), 1)
	const width = 30
	n := int(frac * width)
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%%  %d sent", strings.Repeat("█", n), strings.Repeat("░", width-n), frac*100, sent)
	p.shown = true
}

func (p *progress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
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
