// Package send is the `lcwh send` command.
package send

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/deliver"
	"github.com/lcwh/lcwh/pkg/edit"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload"
)

// Options are the resolved inputs of one run.
type Options struct {
	Action       string
	To           string
	Route        func(action string) string // the configured target of an action when To is empty
	APIVersion   string
	File         string
	Secret       string
	Ops          []edit.Op
	Fresh        bool
	NoValidate   bool
	Header       http.Header
	Timeout      time.Duration
	Insecure     bool
	Retries      int
	ExpectStatus []int
	Verbose      bool
	ShowSecrets  bool
	Format       string
	All          bool
	Count        int
	Concurrency  int

	Now  func() time.Time // for --fresh; time.Now when nil
	Rand *rand.Rand       // for --fresh; random when nil
}

// NewCmd returns `lcwh send`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "send [ACTION] --to URL",
		Short: "Send a realistic webhook to an endpoint, exactly as LiveChat would",
		Long: `Send makes the request LiveChat makes (POST, Content-Type: application/json,
the envelope with your secret_key) straight to URL, with no LiveChat account.

The body is the embedded fixture of ACTION for the API version, or --file
(- for stdin). --set and --unset change it without editing files; --fresh
gives it new ids and current timestamps. The body is validated first; an
invalid one is refused unless --no-validate. With --fresh, --set or --unset
the body is re-encoded with two-space indentation; otherwise the bytes sent
are the fixture's, byte for byte.

The target is --to, or the "to" key of the configuration.

Exit status: 0 when every response was 2xx (or one of --expect-status),
1 otherwise or when the body is invalid, 2 on usage errors, 3 when the
target could not be reached or did not answer within --timeout.`,
		Example: `  # Send an incoming_event to a local receiver
  lcwh send incoming_event --to http://localhost:3000/webhooks --secret "$LIVECHAT_SECRET"

  # Change the message text and make the ids new, so de-duplication does not hide it
  lcwh send incoming_event --to http://localhost:3000/webhooks \
    --set payload.event.text='Where is my order?' --fresh

  # How does the endpoint handle a body that breaks the schema?
  lcwh send chat_transferred --to http://localhost:3000/webhooks --unset payload.reason --no-validate

  # One webhook of every action, with a table of results (for CI)
  lcwh send --all --to https://staging.example.com/livechat --secret "$LIVECHAT_SECRET"

  # Load: 1000 deliveries, 32 at a time, with latency percentiles
  lcwh send incoming_event --to http://localhost:3000/webhooks --count 1000 --concurrency 32

  # Send your own file
  lcwh send --file webhook.json --to http://localhost:3000/webhooks -v`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := optionsFrom(f, cmd, args)
			if err != nil {
				return err
			}
			return Run(cmd.Context(), f.IO, opts)
		},
	}
	fl := cmd.Flags()
	fl.String("to", "", "target URL (config key \"to\")")
	fl.String("api-version", payload.DefaultVersion, "LiveChat API version of the fixtures and schemas")
	fl.StringP("file", "f", "", "send this file (- for stdin) instead of a fixture")
	fl.String("secret", "", "put this secret_key in the body (env LCWH_SECRET)")
	fl.StringArray("set", nil, "set a field: path=value, value parsed as JSON when it is JSON (repeatable)")
	fl.StringArray("unset", nil, "remove a field by dotted path (repeatable)")
	fl.Bool("fresh", false, "new realistic ids and current timestamps")
	fl.Bool("no-validate", false, "send even when the body breaks the schema")
	fl.StringArrayP("header", "H", nil, "extra request header K:V (repeatable)")
	fl.Duration("timeout", deliver.DefaultTimeout, "time-out of each request")
	fl.Bool("insecure", false, "accept any TLS certificate (self-signed HTTPS)")
	fl.Int("retries", 0, "retries after network errors, 429 and 5xx")
	fl.IntSlice("expect-status", nil, "statuses that count as success (default any 2xx)")
	fl.BoolP("verbose", "v", false, "also print the body sent and the response headers")
	fl.Bool("show-secrets", false, "print secret_key in clear with -v")
	cmdutil.FormatFlag(cmd, new(string), "text", "text", "json")
	fl.Bool("all", false, "send one webhook of every action, in catalogue order")
	fl.Int("count", 1, "send N times")
	fl.Int("concurrency", 1, "deliveries in flight at once")
	return cmd
}

func optionsFrom(f *cmdutil.Factory, cmd *cobra.Command, args []string) (Options, error) {
	s := f.Settings
	secrets, err := cmdutil.Secrets(s) // --secret first, then secrets and secret_file
	if err != nil {
		return Options{}, err
	}
	opts := Options{
		To:          s.GetString("to"),
		APIVersion:  s.GetString("api_version"),
		File:        s.GetString("file"),
		Route:       func(action string) string { return cmdutil.Route(s, action) },
		Fresh:       s.GetBool("fresh"),
		NoValidate:  s.GetBool("no_validate"),
		Timeout:     s.GetDuration("timeout"),
		Insecure:    s.GetBool("insecure"),
		Retries:     s.GetInt("retries"),
		Verbose:     s.GetBool("verbose"),
		ShowSecrets: s.GetBool("show_secrets"),
		Format:      f.Format("text", "json"),
		Secret:      cmp.Or(secrets...),
		All:         s.GetBool("all"),
		Count:       s.GetInt("count"),
		Concurrency: s.GetInt("concurrency"),
	}
	if len(args) == 1 {
		opts.Action = args[0]
	}
	if opts.Header, err = ParseHeaders(s.GetStringSlice("header")); err != nil {
		return opts, err
	}
	sets, _ := cmd.Flags().GetStringArray("set")
	unsets, _ := cmd.Flags().GetStringArray("unset")
	for _, a := range sets {
		op, err := edit.ParseSet(a)
		if err != nil {
			return opts, cmdutil.UsageError("%v", err)
		}
		opts.Ops = append(opts.Ops, op)
	}
	for _, a := range unsets {
		op, err := edit.Unset(a)
		if err != nil {
			return opts, cmdutil.UsageError("%v", err)
		}
		opts.Ops = append(opts.Ops, op)
	}
	opts.ExpectStatus = append(opts.ExpectStatus, s.GetIntSlice("expect_status")...)
	return opts, nil
}

// ParseHeaders reads "K:V" header arguments.
func ParseHeaders(args []string) (http.Header, error) {
	h := http.Header{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, ":")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, cmdutil.UsageError("--header %q: want Name: value", a)
		}
		h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return h, nil
}

// CheckTarget checks the --to URL.
func CheckTarget(to string) error {
	if to == "" {
		return cmdutil.UsageError("no target: give --to URL (or set \"to\" in the config)")
	}
	if !deliver.IsHTTPURL(to) {
		return cmdutil.UsageError("--to %q: want an http:// or https:// URL", to)
	}
	return nil
}

// Prepared is one body ready to send.
type Prepared struct {
	Action string
	Source string // "fixture v3.4/incoming_event.json", a file name or "stdin"
	Body   []byte
	Doc    *payload.Document
	Target string // where it goes: --to, else the action's configured route
}

func (o *Options) check() error {
	switch {
	case o.Format != "text" && o.Format != "json":
		return cmdutil.UsageError("unknown --format %q (want text or json)", o.Format)
	case o.All && (o.Action != "" || o.File != ""):
		return cmdutil.UsageError("--all sends every action: give no ACTION and no --file")
	case !o.All && o.Action == "" && o.File == "":
		return cmdutil.UsageError("give an ACTION, --file or --all\nRun 'lcwh send --help' for usage.")
	case o.Action != "" && o.File != "":
		return cmdutil.UsageError("give an ACTION or --file, not both")
	case o.Count < 1:
		return cmdutil.UsageError("--count must be at least 1")
	case o.Concurrency < 1:
		return cmdutil.UsageError("--concurrency must be at least 1")
	case o.Timeout <= 0:
		return cmdutil.UsageError("--timeout must be positive")
	case o.Retries < 0:
		return cmdutil.UsageError("--retries cannot be negative")
	}
	if o.To != "" {
		return CheckTarget(o.To)
	}
	return nil
}

// Run prepares the bodies, sends them and renders the results.
func Run(ctx context.Context, ios *iostreams.IOStreams, opts Options) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := opts.check(); err != nil {
		return err
	}
	v, err := payload.NewValidator(opts.APIVersion)
	if err != nil {
		return cmdutil.UsageError("%v", err)
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
		if p.Target = opts.To; p.Target == "" && opts.Route != nil {
			p.Target = opts.Route(p.Action)
		}
		if err := CheckTarget(p.Target); err != nil {
			return err
		}
		bodies = append(bodies, p)
	}
	if !opts.NoValidate {
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
	}
	c := deliver.New(deliver.Options{Timeout: opts.Timeout, Insecure: opts.Insecure, Retries: opts.Retries, ExpectStatus: opts.ExpectStatus})
	defer c.Close()
	r := newRenderer(ios, opts)
	if len(bodies) == 1 && opts.Count == 1 {
		p := bodies[0]
		res := c.Deliver(ctx, deliver.Request{URL: p.Target, Body: p.Body, Header: opts.Header})
		if err := r.single(p, res); err != nil {
			return err
		}
		return ExitFor(res.OK, res.ConnFailed())
	}
	var tally deliver.Tally
	var outs []deliver.Outcome
	seq := 0
	total := len(bodies) * opts.Count
	next := func() (deliver.Job, bool) {
		if seq >= total {
			return deliver.Job{}, false
		}
		p := bodies[seq%len(bodies)]
		j := deliver.Job{Seq: seq, Label: p.Source, Action: p.Action, Request: deliver.Request{URL: p.Target, Body: p.Body, Header: opts.Header}}
		seq++
		return j, true
	}
	start := time.Now()
	c.Batch(ctx, deliver.BatchOptions{Concurrency: opts.Concurrency}, next, func(o deliver.Outcome) {
		tally.Add(o.Result)
		if opts.All {
			outs = append(outs, o)
		}
	})
	sum := tally.Summary(time.Since(start))
	if err := r.batch(bodies, outs, sum); err != nil {
		return err
	}
	return ExitFor(sum.Failed == 0, sum.NoResponse > 0)
}

// ExitFor maps a run's outcome to its error: nil, 3 when a target could not
// be reached, else 1.
func ExitFor(ok, connFailed bool) error {
	switch {
	case connFailed:
		return cmdutil.SilentExit(cmdutil.ExitConnection)
	case !ok:
		return cmdutil.SilentExit(cmdutil.ExitFailure)
	}
	return nil
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
		p.Source, p.Body = "stdin", b
	case opts.File != "":
		b, err := os.ReadFile(opts.File)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return p, cmdutil.UsageError("--file: %v", err)
			}
			return p, err
		}
		p.Source, p.Body = opts.File, b
	default:
		if _, err := v.Catalog().Require(action); err != nil {
			return p, cmdutil.UsageError("%v", err)
		}
		b, err := fixtures.Get(opts.APIVersion, action)
		if err != nil {
			return p, cmdutil.UsageError("%v", err)
		}
		p.Source, p.Body = "fixtures/v"+opts.APIVersion+"/"+action+".json", b
	}
	body, err := Edit(p.Body, opts)
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

// Edit applies --secret, --set/--unset and --fresh to a body. Without any
// of them the body is returned as it is; the secret alone keeps every
// other byte; edits re-encode the body.
func Edit(body []byte, opts Options) ([]byte, error) {
	if len(opts.Ops) == 0 && !opts.Fresh && opts.Secret == "" {
		return body, nil
	}
	if _, err := payload.Parse(body); err != nil {
		return nil, err
	}
	if opts.Secret != "" {
		var err error
		if body, err = edit.SetSecret(body, opts.Secret); err != nil {
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
