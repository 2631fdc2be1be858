// Package send is the `lcwh send` command.
package send

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/cmdflags"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/deliver"
	"github.com/lcwh/lcwh/pkg/edit"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/report"
)

// Options are the inputs of one run.
type Options struct {
	Action      string
	APIVersion  string
	File        string
	Sets        []string // --set path=value, checked as given
	Unsets      []string
	Ops         []edit.Op // Sets then Unsets, parsed
	Fresh       bool
	NoValidate  bool
	Delivery    cmdflags.Delivery
	Verbose     bool
	ShowSecrets bool
	Format      string
	All         bool
	Count       int
	Concurrency int
	DryRun      bool

	Now  func() time.Time // for --fresh; time.Now when nil
	Rand *rand.Rand       // for --fresh; random when nil
}

// NewCmdSend returns `lcwh send`; runF, when not nil, runs instead of Run.
func NewCmdSend(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{}
	cmd := &cobra.Command{
		Use:   "send [ACTION] --to URL",
		Short: "Send a realistic webhook to an endpoint, exactly as LiveChat would",
		Long: `Send makes the request LiveChat makes (POST, Content-Type: application/json,
the envelope with your secret_key) straight to URL, with no LiveChat account.

The body is the embedded fixture of ACTION for the API version, or --file
(- for stdin). --set and --unset change it without editing files; --fresh
gives it new ids and current timestamps (each delivery its own, with
--count). The body is validated first; an invalid one is refused unless
--no-validate. With --fresh, --set or --unset the body is re-encoded with
two-space indentation; otherwise the bytes sent are the fixture's, byte for
byte. --dry-run prints the body instead of sending it: clean JSON, ready to
save, edit and send back with --file. Its secret_key is redacted (unless
--show-secrets): send puts your secret back in from --secret, LCWH_SECRET or
the configured secrets, and warns when it has none to put.

The target is --to, else the action's route or forward_to from the
configuration. The secret is --secret, else the first configured one.
` + cmdflags.RetriesHelp + `

Exit status: 0 when every response was 2xx (or one of --expect-status),
1 otherwise or when the body is invalid, 2 on usage errors, 3 when the
target could not be reached or did not answer within --timeout.`,
		Example: `  # Send an incoming_event to a local receiver
  lcwh send incoming_event --to http://localhost:3000/webhooks --secret "$LIVECHAT_SECRET"

  # Change the message text and make the ids new, so de-duplication does not hide it
  lcwh send incoming_event --to http://localhost:3000/webhooks \
    --set payload.event.text='Where is my order?' --fresh

  # Save a body (secret redacted), edit it, send it with the real secret
  lcwh send incoming_chat --dry-run > chat.json
  lcwh send --file chat.json --to http://localhost:3000/webhooks --secret "$LIVECHAT_SECRET"

  # How does the endpoint handle a body that breaks the schema?
  lcwh send chat_transferred --to http://localhost:3000/webhooks --unset payload.reason --no-validate

  # One webhook of every action, with a table of results (for CI)
  lcwh send --all --to https://staging.example.com/livechat --secret "$LIVECHAT_SECRET"

  # Load: 1000 deliveries, 32 at a time, each a new chat, with latency percentiles
  lcwh send incoming_event --to http://localhost:3000/webhooks --count 1000 --concurrency 32 --fresh`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Action = args[0]
			}
			if err := opts.complete(f, cmd); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(cmd.Context(), f.IO, *opts)
		},
	}
	fl := cmd.Flags()
	cmdflags.APIVersion(cmd, &opts.APIVersion, false, "LiveChat API version of the fixtures and schemas")
	cmdflags.ActionArg(f, cmd)
	fl.StringVarP(&opts.File, "file", "f", "", "send this file (- for stdin) instead of a fixture")
	fl.StringArrayVar(&opts.Sets, "set", nil, "set a field: path=value, value parsed as JSON when it is JSON (repeatable)")
	cmdutil.Check(cmd, "set", &opts.Sets, func(sets []string) error {
		_, err := edit.ParseSet(sets[len(sets)-1])
		return err
	})
	fl.StringArrayVar(&opts.Unsets, "unset", nil, "remove a field by dotted path (repeatable)")
	cmdutil.Check(cmd, "unset", &opts.Unsets, func(unsets []string) error {
		_, err := edit.Unset(unsets[len(unsets)-1])
		return err
	})
	fl.BoolVar(&opts.Fresh, "fresh", false, "new realistic ids and current timestamps (each delivery its own)")
	fl.BoolVar(&opts.NoValidate, "no-validate", false, "send even when the body breaks the schema")
	cmdflags.DeliveryFlags(cmd, &opts.Delivery)
	fl.BoolVarP(&opts.Verbose, "verbose", "v", false, "also print the body sent and the response headers")
	fl.BoolVar(&opts.ShowSecrets, "show-secrets", false, "print secret_key in clear (with -v or --dry-run)")
	cmdutil.FormatFlag(cmd, &opts.Format, "text", "text", "json")
	fl.BoolVar(&opts.All, "all", false, "send one webhook of every action, in catalogue order")
	fl.IntVar(&opts.Count, "count", 1, "send N times")
	cmdutil.Check(cmd, "count", &opts.Count, cmdutil.AtLeast(1))
	fl.IntVar(&opts.Concurrency, "concurrency", 1, "deliveries in flight at once")
	cmdutil.Check(cmd, "concurrency", &opts.Concurrency, cmdutil.AtLeast(1))
	fl.BoolVar(&opts.DryRun, "dry-run", false, "print the body that would be sent and send nothing (secret_key redacted: send it back with --file and --secret)")
	return cmd
}

// complete checks the flags that go together and reads the edits, the
// headers and the configured secret.
func (o *Options) complete(f *cmdutil.Factory, cmd *cobra.Command) error {
	name := func(flag string) string { return cmdutil.FlagName(cmd, flag) }
	switch {
	case o.All && (o.Action != "" || o.File != ""):
		return cmdutil.UsageError("%s sends every action: give no ACTION and no --file", name("all"))
	case !o.All && o.Action == "" && o.File == "":
		return cmdutil.UsageError("give an ACTION, --file or --all\nRun 'lcwh send --help' for usage.")
	case o.Action != "" && o.File != "":
		return cmdutil.UsageError("give an ACTION or %s, not both", name("file"))
	case o.DryRun && (o.All || o.Count > 1):
		return cmdutil.UsageError("%s prints one body: give an ACTION or --file, without --all or --count", name("dry-run"))
	}
	for _, a := range o.Sets {
		op, _ := edit.ParseSet(a) // checked as given
		o.Ops = append(o.Ops, op)
	}
	for _, a := range o.Unsets {
		op, _ := edit.Unset(a)
		o.Ops = append(o.Ops, op)
	}
	return o.Delivery.Complete(f)
}

// Prepared is one body ready to send.
type Prepared struct {
	Action string
	Source string // "fixture v3.4/incoming_event.json", a file name or "stdin"
	Raw    []byte // the body before the edits (--fresh makes each delivery from it)
	Body   []byte
	Doc    *payload.Document
	Target string // where it goes: --to, else the action's configured target
}

// Run prepares the bodies, sends them (or prints the body, with DryRun)
// and renders the results.
func Run(ctx context.Context, ios *iostreams.IOStreams, opts Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	v, err := payload.NewValidator(opts.APIVersion)
	if err != nil {
		return cmdutil.UsageError("%v", err)
	}
	if opts.Fresh && opts.Rand == nil {
		opts.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	actions := []string{opts.Action}
	if opts.All {
		actions = v.Catalog().Names()
	}
	var bodies []Prepared
	for _, a := range actions {
		p, err := prepare(ios.In, v, a, opts)
		if err != nil {
			return err
		}
		if !opts.DryRun {
			if p.Target, err = opts.Delivery.Target(p.Action); err != nil {
				return err
			}
		}
		bodies = append(bodies, p)
	}
	if !opts.NoValidate {
		if err := check(ios, v, bodies); err != nil {
			return err
		}
	}
	if opts.DryRun {
		body := bodies[0].Body
		if !opts.ShowSecrets {
			body = payload.Redact(body)
		}
		_, err := ios.Out.Write(body)
		return err
	}
	warnRedacted(ios, bodies)
	c := deliver.New(opts.Delivery.Options())
	defer c.Close()
	r := newRenderer(ios, opts)
	if len(bodies) == 1 && opts.Count == 1 {
		p := bodies[0]
		res := c.Deliver(ctx, deliver.Request{URL: p.Target, Body: p.Body, Header: opts.Delivery.Header})
		if err := r.single(p, res); err != nil {
			return err
		}
		return cmdflags.ExitFor(res.OK, res.Unreachable())
	}
	var tally deliver.Tally
	var outs []deliver.Outcome
	seq := 0
	total := len(bodies) * opts.Count
	var nextErr error
	next := func() (deliver.Job, bool) {
		if seq >= total || nextErr != nil {
			return deliver.Job{}, false
		}
		p := bodies[seq%len(bodies)]
		body := p.Body
		if opts.Fresh && seq >= len(bodies) { // the first round was made fresh by prepare
			if body, nextErr = Edit(p.Raw, opts); nextErr != nil {
				return deliver.Job{}, false
			}
		}
		j := deliver.Job{Seq: seq, Label: p.Source, Action: p.Action, Request: deliver.Request{URL: p.Target, Body: body, Header: opts.Delivery.Header}}
		seq++
		return j, true
	}
	prog := ios.NewProgress()
	start := time.Now()
	c.Batch(ctx, deliver.BatchOptions{Concurrency: opts.Concurrency}, next, func(o deliver.Outcome) {
		tally.Add(o.Result)
		if opts.All {
			outs = append(outs, o)
		}
		prog.Show("%d of %d sent, %d failed", tally.Sent, total, tally.Failed)
	})
	prog.Clear()
	if nextErr != nil {
		return nextErr
	}
	sum := tally.Summary(time.Since(start))
	if err := r.batch(bodies, outs, sum); err != nil {
		return err
	}
	return cmdflags.ExitFor(sum.Failed == 0, sum.Unreachable > 0)
}

// check validates the bodies and refuses to send invalid ones.
func check(ios *iostreams.IOStreams, v *payload.Validator, bodies []Prepared) error {
	pal := iostreams.NewPalette(ios.ColorErr())
	invalid := 0
	for _, p := range bodies {
		errs, err := v.Validate(p.Doc, "")
		if err != nil {
			return err
		}
		for _, e := range errs {
			fmt.Fprintf(ios.ErrOut, "%s:%d:%d: %s %s\n", p.Source, e.Line, e.Column, pal.Red("error:"), e)
		}
		if len(errs) > 0 {
			invalid++
		}
	}
	if invalid > 0 {
		fmt.Fprintf(ios.ErrOut, "refused to send %d invalid %s (use --no-validate to send anyway)\n", invalid, plural(invalid, "body", "bodies"))
		return cmdutil.SilentExit(cmdutil.ExitFailure)
	}
	return nil
}

// warnRedacted says when a body would go out with a redacted secret_key
// (one saved with --dry-run, sent back without a secret).
func warnRedacted(ios *iostreams.IOStreams, bodies []Prepared) {
	for _, p := range bodies {
		if p.Doc != nil && p.Doc.Envelope.SecretKey == payload.Redacted {
			report.WarnRedactedSecret(ios.ErrOut, iostreams.NewPalette(ios.ColorErr()), p.Source)
			return
		}
	}
}

// prepare reads the body of action (or --file) and applies the secret and edits.
func prepare(stdin io.Reader, v *payload.Validator, action string, opts Options) (Prepared, error) {
	var p Prepared
	switch {
	case opts.File == "-":
		b, err := io.ReadAll(stdin)
		if err != nil {
			return p, fmt.Errorf("reading stdin: %w", err)
		}
		p.Source, p.Raw = "stdin", b
	case opts.File != "":
		b, err := os.ReadFile(opts.File)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return p, cmdutil.UsageError("--file: %v", err)
			}
			return p, err
		}
		p.Source, p.Raw = opts.File, b
	default:
		if _, err := v.Catalog().Require(action); err != nil {
			return p, cmdutil.UsageError("%v", err)
		}
		b, err := fixtures.Get(opts.APIVersion, action)
		if err != nil {
			return p, cmdutil.UsageError("%v", err)
		}
		p.Source, p.Raw = "fixtures/v"+opts.APIVersion+"/"+action+".json", b
	}
	body, err := Edit(p.Raw, opts)
	if err != nil {
		var se *payload.SyntaxError
		if errors.As(err, &se) {
			return p, &cmdutil.ExitError{Code: cmdutil.ExitFailure, Err: fmt.Errorf("%s: %v", p.Source, err)}
		}
		return p, cmdutil.UsageError("%s: %v", p.Source, err)
	}
	p.Body = body
	doc, err := payload.Decode(p.Body)
	if err != nil {
		return p, &cmdutil.ExitError{Code: cmdutil.ExitFailure, Err: fmt.Errorf("%s: %v", p.Source, err)}
	}
	p.Doc = doc
	p.Action = doc.Envelope.Action
	return p, nil
}

// Edit applies the secret, --set/--unset and --fresh to a body. Without any
// of them the body is returned as it is; the secret alone keeps every
// other byte; edits re-encode the body.
func Edit(body []byte, opts Options) ([]byte, error) {
	secret := opts.Delivery.Secret
	if len(opts.Ops) == 0 && !opts.Fresh && secret == "" {
		return body, nil
	}
	if _, err := payload.Parse(body); err != nil {
		return nil, err
	}
	if secret != "" {
		var err error
		if body, err = edit.SetSecret(body, secret); err != nil {
			return nil, err
		}
	}
	if len(opts.Ops) == 0 && !opts.Fresh {
		return body, nil
	}
	root, err := edit.Parse(body)
	if err != nil {
		return nil, err
	}
	if opts.Fresh {
		now, rng := time.Now, opts.Rand
		if opts.Now != nil {
			now = opts.Now
		}
		if rng == nil {
			rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
		}
		edit.Fresh(root, now(), rng)
	}
	if err := edit.Apply(root, opts.Ops); err != nil {
		return nil, err
	}
	return root.Encode(), nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
