// Package test is the `lcwh test` command.
package test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"time"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmdflags"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/receivertest"
)

// Options are the inputs of one run.
type Options struct {
	Delivery   cmdflags.Delivery // --to, --secret, -H, --insecure
	APIVersion string
	Actions    []string
	Deadline   time.Duration
	Seed       uint64 // 0: pick one
	Budget     int
	Format     string
	Save       string // folder of the bodies of findings; "" = a new temporary one
	// SecretOnCommandLine says the secret came from --secret, where lcwh
	// send cannot find it: the reproduce commands read it from
	// $LCWH_SECRET, and the report says to export it. A secret from
	// LCWH_SECRET or the configuration is found by lcwh send as it is.
	SecretOnCommandLine bool
	ConfigFile          string // --config, repeated in the reproduce commands
}

// NewCmdTest returns `lcwh test`; runF, when not nil, runs instead of Run.
func NewCmdTest(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{}
	cmd := &cobra.Command{
		Use:   "test --to URL",
		Short: "Test a webhook receiver the way LiveChat will treat it",
		Long: `Test runs a suite of webhooks against your running receiver and reports what
LiveChat would trip on, in this order:

  1. scenarios: a chat whose webhooks share ids as LiveChat's do (incoming_chat,
     incoming_events of every type, seen, transfer, users, tags, properties,
     ..., chat_deactivated), then every other action of the API version
  2. variants, generated from the schemas: each optional field absent and
     present, each enum value and form, unknown fields at every level,
     non-ASCII text and emoji, the documented maxima (long threads, 10 rich
     message elements, 16 KB texts)
  3. delivery: every webhook delivered again (LiveChat retries), the webhooks
     of a new chat in order and of another in reverse order, and a burst of
     concurrent deliveries
  4. security: a wrong and a missing secret_key (when --secret is given)

Findings, one per distinct cause: server-error (5xx, reset or dropped
connection), rejects-valid (another non-2xx for a valid webhook), slow (no
answer within --deadline), duplicate (a redelivery refused), order (a
webhook refused when it comes before the ones it follows, although accepted
in order) and secret (a wrong or missing secret_key accepted). One answer
to many actions is one finding that lists them; a receiver that refuses
webhooks for a webhook_id it has seen gets one finding saying so. A
failing variant is shrunk to the smallest change from its fixture that
still fails. Each finding says what LiveChat would do and gives a "lcwh
send" command that repeats the request, with the body saved under --save
(a new temporary folder by default) and the secret redacted: the command
takes it from LCWH_SECRET or the configuration as lcwh test did; a secret
given with --secret is never printed, so the command reads "$LCWH_SECRET":
export it first.

The same --seed sends the same requests in the same order; without one, a
seed is picked and printed. --budget caps the requests (beyond it, variants
are sampled with the seed).

Exit status: 0 when there is no finding, 1 when there is at least one,
2 on usage errors, 3 when the receiver cannot be reached at the start,
130 when interrupted.`,
		Example: `  # Test a local receiver that checks the secret (the reproduce commands
  # of the findings read it from LCWH_SECRET too)
  export LCWH_SECRET="$LIVECHAT_SECRET"
  lcwh test --to http://localhost:3000/webhooks

  # Only the chat webhooks you handle, with a shorter patience than LiveChat's
  lcwh test --to http://localhost:3000/webhooks --actions incoming_chat,incoming_event --deadline 2s

  # Repeat a run exactly
  lcwh test --to http://localhost:3000/webhooks --seed 1234

  # A JUnit report for CI (one test case per check and action)
  lcwh test --to http://localhost:3000/webhooks --format junit > lcwh-test.xml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cmdflags.CheckActions(cmd, "actions", opts.APIVersion, opts.Actions...); err != nil {
				return err
			}
			opts.SecretOnCommandLine = cmd.Flags().Changed("secret") && opts.Delivery.Secret != ""
			opts.ConfigFile = f.ConfigFile
			if err := opts.Delivery.Complete(f); err != nil {
				return err
			}
			to, err := opts.Delivery.Target("")
			if err != nil {
				return err
			}
			opts.Delivery.To = to
			if runF != nil {
				return runF(opts)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			return Run(ctx, f.IO, *opts)
		},
	}
	cmdflags.TargetFlags(cmd, &opts.Delivery)
	cmdflags.APIVersion(cmd, &opts.APIVersion, false, "LiveChat API version of the webhooks")
	cmdflags.Actions(f, cmd, &opts.Actions, "test only these actions (comma-separated)")
	fl := cmd.Flags()
	fl.DurationVar(&opts.Deadline, "deadline", receivertest.DefaultDeadline, "an answer later than this is a finding (LiveChat waits about 10s)")
	cmdutil.Check(cmd, "deadline", &opts.Deadline, cmdutil.Positive)
	fl.Uint64Var(&opts.Seed, "seed", 0, "seed of the suite: its ids and the variants a budget samples (default: a new one, printed)")
	fl.IntVar(&opts.Budget, "budget", receivertest.DefaultBudget, "at most this many requests")
	cmdutil.Check(cmd, "budget", &opts.Budget, cmdutil.AtLeast(1))
	cmdutil.FormatFlag(cmd, &opts.Format, "text", "text", "json", "junit")
	fl.StringVar(&opts.Save, "save", "", "folder for the bodies of the findings (default: a new temporary folder)")
	_ = cmd.MarkFlagDirname("save")
	return cmd
}

// Run tests the receiver and renders the report.
func Run(ctx context.Context, ios *iostreams.IOStreams, opts Options) error {
	if opts.Seed == 0 {
		opts.Seed = rand.Uint64N(1e6) + 1 // short enough to type back
	}
	prog := newProgress(ios)
	rep, err := receivertest.Run(ctx, receivertest.Options{
		URL: opts.Delivery.To, Secret: opts.Delivery.Secret, Header: opts.Delivery.Header, Insecure: opts.Delivery.Insecure,
		APIVersion: opts.APIVersion, Actions: opts.Actions, Deadline: opts.Deadline,
		Seed: opts.Seed, Budget: opts.Budget, Progress: prog.draw,
	})
	prog.clear()
	var ue *receivertest.UnreachableError
	var be *receivertest.BudgetError
	switch {
	case errors.As(err, &ue):
		return &cmdutil.ExitError{Code: cmdutil.ExitConnection, Err: err}
	case errors.As(err, &be):
		return cmdutil.UsageError("--budget: %v", err)
	case rep == nil:
		return err
	}
	out, serr := save(rep, opts)
	if serr != nil {
		return serr
	}
	if rerr := render(ios, opts, out); rerr != nil {
		return rerr
	}
	switch {
	case ctx.Err() != nil:
		fmt.Fprintf(ios.ErrOut, "interrupted after %d requests\n", rep.Sent)
		return cmdutil.SilentExit(cmdutil.ExitInterrupt)
	case len(rep.Findings) > 0:
		return cmdutil.SilentExit(cmdutil.ExitFailure)
	}
	return nil
}

// progress draws one line on stderr when it is a terminal.
type progress struct {
	ios   *iostreams.IOStreams
	last  time.Time
	shown bool
}

func newProgress(ios *iostreams.IOStreams) *progress { return &progress{ios: ios} }

func (p *progress) draw(pr receivertest.Progress) {
	if !p.ios.ErrTTY || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.ios.ErrOut, "\r\033[Ktesting: %d/%d requests, %d %s", pr.Sent, pr.Planned, pr.Findings, plural(pr.Findings, "finding", "findings"))
	p.shown = true
}

func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.ios.ErrOut, "\r\033[K")
		p.shown = false
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
