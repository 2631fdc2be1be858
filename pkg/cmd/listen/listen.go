// Package listen is the `lcwh listen` command: it runs pkg/listen and
// renders its deliveries.
package listen

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmdflags"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/config"
	"github.com/lcwh/lcwh/pkg/inspect"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/listen"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
	"github.com/lcwh/lcwh/pkg/render"
)

// Options are the inputs of one run.
type Options struct {
	Addr           string
	Path           string
	MaxBody        int64
	Secrets        []string
	Actions        []string
	APIVersion     string
	Format         string // "" = summary on a terminal (pretty when Verbose), json when piped
	Verbose        bool   // each delivery whole: --format pretty
	ShowSecrets    bool
	Record         string
	RecordSecrets  bool
	ForwardTo      string
	Route          func(action string) string // per-action forward targets from the config; nil = ForwardTo
	ForwardTimeout time.Duration
	MaxConcurrent  int
	ReadyFile      string // written with the URL once listening (for tests and scripts)
	UIAddr         string // web inspector address; "" = no inspector
	UIHistory      int    // deliveries the inspector keeps
	UIHistoryBytes int64  // bytes they may hold
	UIToken        string // the inspector's token (ui_token, LCWH_UI_TOKEN); "" = a random one
	NoUI           bool
	UIURL          string // set by Run once the inspector listens: its address with the token
	// ServerGC lets the collector run less often (GOGC 400 under a soft
	// memory limit): every delivery makes garbage and little stays alive.
	// Off when the user tunes GOGC or GOMEMLIMIT.
	ServerGC bool
}

// NewCmdListen returns `lcwh listen`; runF, when not nil, runs instead of Run.
func NewCmdListen(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{}
	cmd := &cobra.Command{
		Use:   "listen",
		Short: "Receive webhooks locally: show, check, record and forward them",
		Long: `Listen runs an HTTP server that receives LiveChat webhooks as a production
receiver should: it bounds the body (--max-body, 413 beyond), parses it (400
with the located error when malformed), checks secret_key against --secret in
constant time (401 when wrong), validates the body against its action's
schema for --api-version and answers 200 (or, with --forward-to, what your
app answered; 502 when it cannot be reached, 504 when it is slower than
--forward-timeout). Other methods get 405; GET /healthz gets 200.

On a terminal each delivery is one line: when it arrived, its action, whether
it is valid (or the first error), what lcwh answered and how fast, and what
happened in words (who wrote what, which chat moved where), with names once a
webhook gave them. -v (--format pretty) shows each whole, with its body;
piped, each is one JSON line in the recording format (--format json). Output
never holds up an answer: when stdout falls behind, deliveries are not shown,
and listen says how many. --record appends every delivery, including
rejected and malformed ones, to a JSON Lines file before answering; 'lcwh
print' reads it.

It listens on the loopback interface unless --addr names another; to receive
real webhooks, expose the port with a tunnel (ngrok, cloudflared) and register
the public URL.

A web inspector runs beside it on --ui-addr (default 127.0.0.1:8788; --no-ui
turns it off): open the URL printed at start, which carries a random token
(the page and its API answer no one without it; LCWH_UI_TOKEN fixes it for
scripts, which send "Authorization: Bearer TOKEN"). It shows a live list of
the last --ui-history deliveries within --ui-history-bytes (with --record,
the ones already in the file too), each with its body, validation errors
marked in place, headers and answers; replay one to the --forward-to app or
any URL, edit and send it, copy it as a curl or 'lcwh send' command, or
download it as a fixture. Everything it needs is in the binary: it works
offline. It shows no secret_key unless --show-secrets.

Ctrl+C (SIGINT) or SIGTERM stops it gracefully: requests in
flight finish, the recording is flushed and a summary is printed (exit 0).`,
		Example: `  # Receive on http://127.0.0.1:8787/ and show every webhook, a line each
  lcwh listen

  # ... each whole, with its body
  lcwh listen -v

  # Check the secret, record everything, forward to the app you are writing
  lcwh listen --secret "$LIVECHAT_WEBHOOK_SECRET" --record deliveries.jsonl \
    --forward-to http://localhost:3000/livechat/webhooks

  # Only chat events, one JSON line each, into jq
  lcwh listen --actions incoming_event,event_updated --format json | jq .action

  # Watch deliveries in the browser; keep them across restarts
  lcwh listen --record deliveries.jsonl --forward-to http://localhost:3000/hooks
  # then open the web inspector URL it prints (with its token)

  # Another port, only /livechat/webhooks; expose it publicly with a tunnel
  lcwh listen --addr 127.0.0.1:9000 --path /livechat/webhooks &
  ngrok http 9000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.complete(f, cmd); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			// the first signal shuts down gracefully; a second one ends lcwh at once
			go func() { <-ctx.Done(); stop() }()
			return Run(ctx, f.IO, *opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", listen.DefaultAddr, "address to listen on (port 0 picks a free one; loopback unless you name another)")
	cmdutil.Check(cmd, "addr", &opts.Addr, cmdutil.HostPort)
	fl.StringVar(&opts.Path, "path", "/", "path that receives webhooks (/ accepts any path)")
	cmdutil.Check(cmd, "path", &opts.Path, func(p string) error {
		if !strings.HasPrefix(p, "/") {
			return errors.New("must start with /")
		}
		return nil
	})
	fl.Int64Var(&opts.MaxBody, "max-body", listen.DefaultMaxBody, "largest body accepted, in bytes, at most 10 MiB (larger: 413)")
	cmdutil.Check(cmd, "max-body", &opts.MaxBody, listen.CheckMaxBody)
	fl.StringArrayVar(&opts.Secrets, "secret", nil, "accepted secret_key (repeatable; LCWH_SECRET holds secrets separated by commas or spaces); none = accept any")
	fl.Lookup("secret").Annotations = map[string][]string{config.SplitAnnotation: {"fields"}}
	cmdflags.Actions(f, cmd, &opts.Actions, "show, record and forward only these actions (comma-separated; others still get 200)")
	cmdflags.APIVersion(cmd, &opts.APIVersion, false, "LiveChat API version the webhooks were registered with")
	cmdutil.FormatFlag(cmd, &opts.Format, "", render.Formats...).Usage += " (default summary on a terminal, json when piped)"
	fl.BoolVarP(&opts.Verbose, "verbose", "v", false, "show each delivery whole, with its body (--format pretty)")
	fl.BoolVar(&opts.ShowSecrets, "show-secrets", false, "show secret_key values instead of <redacted>")
	fl.StringVar(&opts.Record, "record", "", "append every delivery to this JSON Lines file")
	cmdutil.CompleteFileFlag(cmd, "record", "jsonl")
	fl.BoolVar(&opts.RecordSecrets, "record-secrets", false, "keep secret_key in the recording")
	fl.StringVar(&opts.ForwardTo, "forward-to", "", "forward each accepted delivery (raw bytes, original headers) to this URL and answer with its status")
	cmdutil.Check(cmd, "forward-to", &opts.ForwardTo, cmdflags.CheckURL)
	fl.DurationVar(&opts.ForwardTimeout, "forward-timeout", listen.DefaultForwardTimeout, "how long the app may take to answer a forwarded delivery")
	cmdutil.Check(cmd, "forward-timeout", &opts.ForwardTimeout, cmdutil.Positive)
	fl.IntVar(&opts.MaxConcurrent, "max-concurrent", listen.DefaultMaxConcurrent, "deliveries handled at once (others wait)")
	cmdutil.Check(cmd, "max-concurrent", &opts.MaxConcurrent, cmdutil.AtLeast(1))
	fl.StringVar(&opts.UIAddr, "ui-addr", inspect.DefaultAddr, "address of the web inspector (loopback unless you name another)")
	cmdutil.Check(cmd, "ui-addr", &opts.UIAddr, cmdutil.HostPort)
	fl.BoolVar(&opts.NoUI, "no-ui", false, "do not start the web inspector")
	fl.IntVar(&opts.UIHistory, "ui-history", inspect.DefaultHistory, "deliveries the web inspector keeps in memory")
	cmdutil.Check(cmd, "ui-history", &opts.UIHistory, cmdutil.AtLeast(1))
	fl.Int64Var(&opts.UIHistoryBytes, "ui-history-bytes", inspect.DefaultHistoryBytes, "bytes of deliveries the web inspector keeps in memory (oldest dropped first)")
	cmdutil.Check(cmd, "ui-history-bytes", &opts.UIHistoryBytes, cmdutil.Positive)
	fl.StringVar(&opts.ReadyFile, "ready-file", "", "write the URL to this file once listening (for scripts)")
	_ = fl.MarkHidden("ready-file")
	return cmd
}

// complete reads what the flags do not hold: the configured secrets,
// routes and inspector token, and the collector's tuning.
func (o *Options) complete(f *cmdutil.Factory, cmd *cobra.Command) error {
	if o.Verbose && o.Format != "" && o.Format != render.FormatPretty {
		return cmdutil.UsageError("%s shows each delivery whole (--format pretty): not with --format %s", cmdutil.FlagName(cmd, "verbose"), o.Format)
	}
	if err := cmdflags.CheckActions(cmd, "actions", o.APIVersion, o.Actions...); err != nil {
		return err
	}
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	if o.Secrets, err = cmdflags.Secrets(cfg, o.Secrets); err != nil {
		return err
	}
	if !cmd.Flags().Changed("forward-to") && len(cfg.Routes()) > 0 {
		o.Route = func(action string) string {
			v, _ := cfg.Target(action) // routes were checked before any command, forward_to as the flag's value
			return v.Text
		}
	}
	if v, ok := cfg.Lookup("ui_token"); ok {
		if err := inspect.CheckToken(v.Text); err != nil {
			return cmdutil.UsageError("%v", &config.Error{Source: v.Source, Key: v.Key, Value: "<redacted>", Err: err})
		}
		o.UIToken = v.Text
	}
	if o.NoUI {
		o.UIAddr = ""
	}
	o.ServerGC = f.Getenv("GOGC") == "" && f.Getenv("GOMEMLIMIT") == ""
	return nil
}

// Run listens until ctx is done, then prints the summary.
func Run(ctx context.Context, io *iostreams.IOStreams, opts Options) error {
	switch {
	case opts.Verbose:
		opts.Format = render.FormatPretty
	case opts.Format == "" && io.OutTTY:
		opts.Format = render.FormatSummary
	case opts.Format == "":
		opts.Format = render.FormatJSON
	}
	v, err := payload.NewValidator(opts.APIVersion)
	if err != nil {
		return cmdutil.UsageError("%v", err)
	}
	cfg := listen.Config{
		Addr: opts.Addr, Path: opts.Path, MaxBody: opts.MaxBody, Secrets: opts.Secrets,
		Validator: v, Actions: opts.Actions, ForwardTo: opts.ForwardTo, Route: opts.Route, ForwardTimeout: opts.ForwardTimeout,
		RecordSecrets: opts.RecordSecrets, MaxConcurrent: opts.MaxConcurrent,
	}
	var rec *record.Writer
	if opts.Record != "" {
		rec, err = record.Create(opts.Record)
		if err != nil {
			return cmdutil.UsageError("--record: %v", err)
		}
		if rec.RepairedTail() {
			fmt.Fprintf(io.ErrOut, "%s %s ended in a partial line (cut short by a crash?): ended it, so new deliveries start a line of their own\n", iostreams.NewPalette(io.ColorErr()).Yellow("note:"), opts.Record)
		}
		cfg.Recorder = rec
	}
	srv, err := listen.New(cfg)
	if err != nil {
		return cmdutil.UsageError("%v", err)
	}
	addr, err := srv.Listen()
	if err != nil {
		if rec != nil {
			rec.Close()
		}
		return fmt.Errorf("cannot listen on %s: %w", opts.Addr, err)
	}
	base := baseURL(addr)
	uiBase, waitUI := startInspector(ctx, io, &opts, v, srv, base)
	view := newView(io, opts)
	srv.Subscribe(view.delivery)
	view.started(base, opts, len(cfg.Secrets) > 0)
	if opts.ReadyFile != "" {
		// the inspector's address (without its token) on a second line
		if err := writeAtomic(opts.ReadyFile, strings.TrimSpace(base+"\n"+uiBase)+"\n"); err != nil {
			return err
		}
	}
	if opts.ServerGC {
		defer cmdutil.TuneGC(nil, 256<<20)() // a server keeps little alive per delivery
	}
	serveErr := srv.Serve(ctx)
	if rec != nil {
		if err := rec.Close(); err != nil && serveErr == nil {
			serveErr = fmt.Errorf("closing the recording: %w", err)
		}
	}
	waitUI()
	view.finish()
	return serveErr
}

func baseURL(a net.Addr) string {
	host, port, _ := net.SplitHostPort(a.String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func writeAtomic(path, content string) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func isLoopback(a net.Addr) bool {
	host, _, _ := net.SplitHostPort(a.String())
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
