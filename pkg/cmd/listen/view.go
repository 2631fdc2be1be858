package listen

import (
	"bytes"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/listen"
	"github.com/lcwh/lcwh/pkg/record"
	"github.com/lcwh/lcwh/pkg/render"
)

// view renders deliveries on stdout (data) and status on stderr, and
// counts them for the summary. Deliveries arrive concurrently, from the
// goroutines that answered them: the view only counts and queues them, and
// one goroutine renders and writes in order. When stdout falls behind (a
// pager, a slow terminal, a pipe that stopped reading) the queue fills and
// further deliveries are not shown, and the view says how many: it never
// makes a sender wait.
type view struct {
	io   *iostreams.IOStreams
	opts Options
	out  render.Options
	errP iostreams.Palette

	mu      sync.Mutex
	stats   stats
	queue   chan listen.Delivery
	queued  int64 // bytes of the bodies queued
	dropped int   // not shown since the last note
	closed  bool
	done    chan struct{} // the writer has written all it was given
}

// The queue of deliveries not rendered yet: at most this many, and this
// many bytes of bodies (what a delivery holds is a few times its body).
const (
	maxQueued      = 1024
	maxQueuedBytes = 32 << 20
)

type stats struct {
	total, invalid, malformed, rejected, tooLarge, filtered, notFound int
	unread, unchecked, notShown                                       int
	forwarded, forwardFailed, recordFailed                            int
	byAction                                                          map[string]int
}

// maxActions bounds the actions counted by name (a body can name any).
const maxActions = 100

func newView(io *iostreams.IOStreams, opts Options) *view {
	v := &view{
		io:    io,
		opts:  opts,
		out:   render.Options{Format: opts.Format, Color: io.ColorOut(), ShowSecrets: opts.ShowSecrets, Terminal: io.OutTTY, Names: &render.Namer{}},
		errP:  iostreams.NewPalette(io.ColorErr()),
		stats: stats{byAction: map[string]int{}},
		queue: make(chan listen.Delivery, maxQueued),
		done:  make(chan struct{}),
	}
	go v.writer()
	return v
}

func (v *view) started(base string, opts Options, secrets bool) {
	p := v.errP
	u, _ := url.Parse(base)
	target := base + opts.Path
	if opts.Path == "/" {
		target = base + "/"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", p.Green("Listening for LiveChat webhooks on"), p.Bold(target))
	if opts.Path == "/" {
		b.WriteString(" (any path)")
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "  health check: GET %s%s\n", base, listen.HealthPath)
	if host, port, err := net.SplitHostPort(u.Host); err == nil {
		if ip := net.ParseIP(host); (ip != nil && ip.IsLoopback()) || host == "localhost" {
			fmt.Fprintf(&b, "  LiveChat cannot reach this address: expose it with a tunnel and register the public URL, e.g.\n")
			fmt.Fprintf(&b, "    ngrok http %s\n    cloudflared tunnel --url http://localhost:%s\n", port, port)
		} else {
			fmt.Fprintf(&b, "  %s listening beyond loopback: anyone who can reach this host can post to it\n", p.Yellow("warning:"))
		}
	}
	if secrets {
		fmt.Fprintf(&b, "  checking secret_key against %d %s\n", len(opts.Secrets), plural(len(opts.Secrets), "secret", "secrets"))
	} else {
		fmt.Fprintf(&b, "  %s no --secret configured: any secret_key is accepted\n", p.Yellow("note:"))
	}
	if opts.Record != "" {
		fmt.Fprintf(&b, "  recording to %s\n", opts.Record)
	}
	switch {
	case opts.Route != nil:
		fmt.Fprintf(&b, "  forwarding by the configured routes (time-out %s)\n", opts.ForwardTimeout)
	case opts.ForwardTo != "":
		fmt.Fprintf(&b, "  forwarding to %s (time-out %s)\n", opts.ForwardTo, opts.ForwardTimeout)
	}
	if opts.UIURL != "" {
		fmt.Fprintf(&b, "  web inspector: %s\n", p.Bold(opts.UIURL))
	}
	b.WriteString("  Press Ctrl+C to stop.\n")
	fmt.Fprint(v.io.ErrOut, b.String())
}

// delivery is the subscriber: count, and queue for the writer unless
// the queue is full.
func (v *view) delivery(d listen.Delivery) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.count(d)
	if d.Filtered || v.closed {
		return
	}
	size := int64(len(d.Body))
	if v.queued+size > maxQueuedBytes && v.queued > 0 {
		v.dropped++
		v.stats.notShown++
		return
	}
	select {
	case v.queue <- d:
		v.queued += size
	default:
		v.dropped++
		v.stats.notShown++
	}
}

// writer renders the queued deliveries in order, and writes what was
// queued meanwhile with one write.
func (v *view) writer() {
	defer close(v.done)
	var out, errOut bytes.Buffer
	for d := range v.queue {
		out.Reset()
		errOut.Reset()
		v.show(&out, &errOut, d)
	more:
		for out.Len() < 1<<20 {
			select {
			case next, ok := <-v.queue:
				if !ok {
					break more
				}
				v.show(&out, &errOut, next)
			default:
				break more
			}
		}
		if errOut.Len() > 0 { // an empty write is still a system call
			v.io.ErrOut.Write(errOut.Bytes())
		}
		v.io.Out.Write(out.Bytes())
	}
}

// show renders d, after a note of the deliveries dropped before it.
func (v *view) show(out, errOut *bytes.Buffer, d listen.Delivery) {
	v.mu.Lock()
	v.queued -= int64(len(d.Body))
	dropped := v.dropped
	v.dropped = 0
	v.mu.Unlock()
	if dropped > 0 {
		also := ""
		if v.opts.Record != "" {
			also = " and recorded"
		}
		fmt.Fprintf(errOut, "%s %d %s not shown: stdout fell behind (all were answered%s)\n",
			v.errP.Yellow("…"), dropped, plural(dropped, "delivery", "deliveries"), also)
	}
	v.render(out, errOut, d)
}

func (v *view) count(d listen.Delivery) {
	s := &v.stats
	s.total++
	switch d.Kind() {
	case record.Filtered:
		s.filtered++
		return
	case record.WrongPath:
		s.notFound++
	case record.TooLarge:
		s.tooLarge++
	case record.Unread:
		s.unread++
	case record.Malformed:
		s.malformed++
	case record.Rejected:
		s.rejected++
	case record.Unchecked:
		s.unchecked++
	case record.Invalid:
		s.invalid++
	}
	if d.Doc != nil {
		a := actionName(d)
		if _, ok := s.byAction[a]; !ok && len(s.byAction) >= maxActions {
			a = "(other actions)"
		}
		s.byAction[a]++
	}
	if d.Forward != nil {
		s.forwarded++
		if d.Forward.Err != nil {
			s.forwardFailed++
		}
	}
	if d.RecordError != nil {
		s.recordFailed++
	}
}

func actionName(d listen.Delivery) string {
	if d.Summary.Action == "" {
		return "(no action)"
	}
	return render.Clean(d.Summary.Action)
}

func (v *view) render(buf, errBuf *bytes.Buffer, d listen.Delivery) {
	if v.out.Format == render.FormatJSON {
		// one line per delivery, in the recording format, for jq
		line := d.AppendJSON(buf.AvailableBuffer(), v.opts.ShowSecrets)
		if v.out.Terminal {
			line = render.CleanJSON(line)
		}
		buf.Write(line)
		return
	}
	if d.Doc == nil && (v.out.Format == render.FormatCompact || v.out.Format == render.FormatRaw) {
		v.problem(errBuf, d)
		return
	}
	wh := render.Webhook{Doc: d.Doc, Errors: d.Errors, Warnings: d.Warnings(), Checked: d.Validated, Time: d.Time.Format("15:04:05.000"), Extra: v.extra(d)}
	render.Render(buf, wh, v.out)
}

// problem reports a delivery without a body to print on stderr.
func (v *view) problem(errBuf *bytes.Buffer, d listen.Delivery) {
	fmt.Fprintf(errBuf, "%s %s %s %s\n", d.Time.Format("15:04:05.000"), render.Clean(d.Method), render.Clean(d.Path), v.extra(d))
}

// extra is the delivery's part of the header: what lcwh answered, how
// fast, and what the secret check and the app said.
func (v *view) extra(d listen.Delivery) string {
	p := iostreams.NewPalette(v.out.Color)
	status := fmt.Sprintf("→ %d", d.Status)
	if d.Status >= 200 && d.Status < 300 {
		status = p.Green(status)
	} else {
		status = p.Red(status)
	}
	parts := []string{status, "in " + round(d.Duration)}
	switch d.Kind() {
	case record.WrongPath:
		parts = append(parts, p.Red("wrong path "+clean(d.Path)))
	case record.TooLarge:
		parts = append(parts, p.Red(fmt.Sprintf("body larger than %d bytes", v.opts.MaxBody)))
	case record.Unread:
		parts = append(parts, p.Red(clean(d.ReadError.Error())))
	case record.Malformed:
		if d.SyntaxError != nil {
			parts = append(parts, p.Red("malformed JSON: body:"+clean(d.SyntaxError.Error())))
		}
	case record.Rejected:
		parts = append(parts, p.Red("secret_key "+d.Secret))
	}
	if f := d.Forward; f != nil {
		switch {
		case f.TimedOut:
			parts = append(parts, p.Red(fmt.Sprintf("app did not answer within %s", v.opts.ForwardTimeout)))
		case f.Err != nil:
			parts = append(parts, p.Red("app unreachable: "+clean(f.Err.Error())))
		default:
			parts = append(parts, fmt.Sprintf("(app: %d in %s%s)", f.Status, round(f.Duration), preview(f.Body)))
		}
	}
	if d.RecordError != nil {
		parts = append(parts, p.Red("NOT RECORDED: "+clean(d.RecordError.Error())))
	}
	return strings.Join(parts, " ")
}

// clean bounds and escapes text that came from outside for one line.
func clean(s string) string {
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return render.Clean(s)
}

func preview(b []byte) string {
	s := strings.Join(strings.Fields(string(b[:min(len(b), 400)])), " ")
	if s == "" {
		return ""
	}
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return ": " + render.Clean(s)
}

func round(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

// finish writes what is queued on stdout and prints the summary on stderr.
func (v *view) finish() {
	v.mu.Lock()
	if !v.closed {
		v.closed = true
		close(v.queue)
	}
	v.mu.Unlock()
	<-v.done
	v.mu.Lock()
	defer v.mu.Unlock()
	s := v.stats
	p := v.errP
	var b strings.Builder
	fmt.Fprintf(&b, "%s after %d %s: %d invalid, %d malformed, %d rejected, %d forwarded",
		p.Bold("Stopped"), s.total, plural(s.total, "delivery", "deliveries"), s.invalid, s.malformed, s.rejected, s.forwarded)
	if s.forwardFailed > 0 {
		fmt.Fprintf(&b, " (%d failed)", s.forwardFailed)
	}
	for _, extra := range []struct {
		n    int
		what string
	}{{s.tooLarge, "too large"}, {s.notFound, "wrong path"}, {s.unread, "not received"}, {s.unchecked, "not checked"}, {s.filtered, "filtered out"}, {s.recordFailed, "not recorded"}, {s.notShown, "not shown: stdout fell behind"}} {
		if extra.n > 0 {
			fmt.Fprintf(&b, ", %d %s", extra.n, extra.what)
		}
	}
	b.WriteString("\n")
	names := make([]string, 0, len(s.byAction))
	for a := range s.byAction {
		names = append(names, a)
	}
	sort.Strings(names)
	for _, a := range names {
		fmt.Fprintf(&b, "  %-34s %d\n", a, s.byAction[a])
	}
	fmt.Fprint(v.io.ErrOut, b.String())
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
