package listen

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"

	"github.com/lcwh/lcwh/pkg/inspect"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/listen"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
	"github.com/lcwh/lcwh/pkg/render"
)

// startInspector serves the web inspector on opts.UIAddr until ctx is done,
// fed by srv and, first, by the deliveries already in the --record file.
// The inspector is an aid: when it cannot start, listen says so and goes on.
// It sets opts.UIURL (the URL to open, with the token) and returns the
// inspector's address ("" when not started) and a func that waits for it
// to stop.
func startInspector(ctx context.Context, io *iostreams.IOStreams, opts *Options, v *payload.Validator, srv *listen.Server, listenURL string) (string, func()) {
	none := func() {}
	if opts.UIAddr == "" {
		return "", none
	}
	p := iostreams.NewPalette(io.ColorErr())
	var hosts []string
	if host, _, err := net.SplitHostPort(opts.UIAddr); err == nil && host != "" && net.ParseIP(host) == nil {
		hosts = append(hosts, host)
	}
	in, err := inspect.New(inspect.Config{
		History: opts.UIHistory, HistoryBytes: opts.UIHistoryBytes, Secrets: opts.Secrets, ShowSecrets: opts.ShowSecrets, Validator: v,
		ForwardTo: opts.ForwardTo, ListenURL: listenURL + opts.Path, Hosts: hosts, Token: opts.UIToken,
	})
	if err != nil {
		fmt.Fprintf(io.ErrOut, "%s web inspector not started: %v\n", p.Yellow("warning:"), err)
		return "", none
	}
	if opts.Record != "" {
		loadRecording(io, p, in, opts.Record)
	}
	ln, err := net.Listen("tcp", opts.UIAddr)
	if err != nil {
		fmt.Fprintf(io.ErrOut, "%s web inspector not started: %v (choose another --ui-addr, or --no-ui)\n", p.Yellow("warning:"), err)
		return "", none
	}
	srv.Subscribe(in.Add)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := in.Serve(ctx, ln); err != nil {
			fmt.Fprintf(io.ErrOut, "%s web inspector: %v\n", p.Yellow("warning:"), err)
		}
	}()
	if !isLoopback(ln.Addr()) {
		fmt.Fprintf(io.ErrOut, "%s the web inspector listens beyond loopback: its token crosses the network in clear (plain http)\n", p.Yellow("warning:"))
	}
	base := baseURL(ln.Addr())
	opts.UIURL = in.URL(base)
	return base, func() { <-done }
}

// loadRecording shows the deliveries already recorded (the last
// --ui-history of them).
func loadRecording(io *iostreams.IOStreams, p iostreams.Palette, in *inspect.Inspector, path string) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		fmt.Fprintf(io.ErrOut, "%s web inspector: cannot read %s: %v\n", p.Yellow("warning:"), path, err)
		return
	}
	defer f.Close()
	const shown = 10 // a damaged recording must not flood the start-up
	bad := 0
	_, err = in.Load(f, func(err error) {
		if bad++; bad <= shown {
			var le *record.LineError
			errors.As(err, &le)
			fmt.Fprintf(io.ErrOut, "%s web inspector: %s:%d: %s (skipped)\n", p.Yellow("warning:"), path, le.Line, render.Clean(le.Err.Error()))
		}
	})
	if err != nil {
		fmt.Fprintf(io.ErrOut, "%s web inspector: reading %s: %v\n", p.Yellow("warning:"), path, err)
	}
	if bad > shown {
		fmt.Fprintf(io.ErrOut, "%s web inspector: skipped %d more unreadable lines of %s\n", p.Yellow("warning:"), bad-shown, path)
	}
}
