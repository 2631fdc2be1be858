package send

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lcwh/lcwh/pkg/deliver"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload"
)

// ResponsePreview is how much of a response body the text output shows.
const ResponsePreview = 200

type renderer struct {
	ios  *iostreams.IOStreams
	opts Options
	pal  iostreams.Palette
}

func newRenderer(ios *iostreams.IOStreams, opts Options) *renderer {
	return &renderer{ios: ios, opts: opts, pal: iostreams.NewPalette(ios.ColorOut())}
}

// Delivery is the JSON form of one delivery.
type Delivery struct {
	Source     string            `json:"source,omitempty"`
	Action     string            `json:"action"`
	Summary    payload.Summary   `json:"summary"`
	URL        string            `json:"url"`
	Bytes      int               `json:"bytes"`
	Status     int               `json:"status"`
	OK         bool              `json:"ok"`
	DurationMS float64           `json:"duration_ms"`
	Attempts   []deliver.Attempt `json:"attempts,omitempty"`
	Error      string            `json:"error,omitempty"`
	Headers    http.Header       `json:"headers,omitempty"`
	Body       string            `json:"body"`
	Truncated  bool              `json:"body_truncated,omitempty"`
}

// NewDelivery describes a result for --format json.
func NewDelivery(source, url string, body []byte, doc *payload.Document, res deliver.Result) Delivery {
	d := Delivery{Source: source, URL: url, Bytes: len(body), Status: res.Status, OK: res.OK,
		DurationMS: deliver.MS(res.Duration), Headers: res.Header, Body: printable(res.Body), Truncated: res.BodyTruncated}
	if doc != nil {
		d.Action = doc.Envelope.Action
		d.Summary = payload.Summarize(doc)
	}
	if len(res.Attempts) > 1 {
		d.Attempts = res.Attempts
	}
	if res.Err != nil {
		d.Error = res.Err.Error()
	}
	return d
}

func (r *renderer) single(p Prepared, res deliver.Result) error {
	if r.opts.Format == "json" {
		return writeJSON(r.ios.Out, NewDelivery(p.Source, p.Target, p.Body, p.Doc, res))
	}
	w := r.ios.Out
	fmt.Fprintf(w, "%s %s %s (%d bytes) to %s\n", r.pal.Faint("→"), r.pal.Bold("POST"), payload.Summarize(p.Doc), len(p.Body), p.Target)
	if r.opts.Verbose {
		body := p.Body
		if !r.opts.ShowSecrets {
			body = payload.Redact(body)
		}
		fmt.Fprintf(w, "%s\n", strings.TrimRight(string(body), "\n"))
	}
	WriteResult(w, r.pal, res, r.opts.Verbose)
	return nil
}

// WriteResult prints the response line ("← 200 OK in 3.1ms"), the headers
// when verbose, and the start of the body.
func WriteResult(w io.Writer, pal iostreams.Palette, res deliver.Result, verbose bool) {
	for i, a := range res.Attempts[:len(res.Attempts)-1] {
		fmt.Fprintf(w, "%s attempt %d: %s, retrying in %s\n", pal.Yellow("!"), i+1, attemptText(a), Round(a.Wait))
	}
	if res.ConnFailed() {
		fmt.Fprintf(w, "%s %s\n", pal.Red("✗"), res.Err)
		return
	}
	status := res.StatusText
	if res.OK {
		status = pal.Green(status)
	} else {
		status = pal.Red(status)
	}
	fmt.Fprintf(w, "%s %s in %s\n", pal.Faint("←"), status, Round(res.Duration))
	if verbose {
		keys := make([]string, 0, len(res.Header))
		for k := range res.Header {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, v := range res.Header[k] {
				fmt.Fprintf(w, "%s\n", pal.Faint(k+": "+v))
			}
		}
	}
	if len(res.Body) > 0 {
		fmt.Fprintf(w, "%s\n", Preview(res.Body, ResponsePreview, res.BodyTruncated))
	}
}

func attemptText(a deliver.Attempt) string {
	if a.Error != "" && a.Status == 0 {
		return a.Error
	}
	return fmt.Sprintf("%d %s", a.Status, http.StatusText(a.Status))
}

// Preview is the start of a response body on one line.
func Preview(b []byte, n int, truncated bool) string {
	s := strings.Join(strings.Fields(printable(b)), " ")
	if utf8.RuneCountInString(s) > n {
		s = string([]rune(s)[:n])
		truncated = true
	}
	if truncated {
		s += "…"
	}
	return s
}

func printable(b []byte) string {
	return strings.ToValidUTF8(string(b), "�")
}

// Round shortens a duration for display.
func Round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

func (r *renderer) batch(bodies []Prepared, outs []deliver.Outcome, sum deliver.Summary) error {
	if r.opts.Format == "json" {
		v := struct {
			Deliveries []Delivery      `json:"deliveries,omitempty"`
			Summary    deliver.Summary `json:"summary"`
		}{Summary: sum}
		for _, o := range outs {
			p := bodies[o.Job.Seq%len(bodies)]
			v.Deliveries = append(v.Deliveries, NewDelivery(p.Source, p.Target, p.Body, p.Doc, o.Result))
		}
		return writeJSON(r.ios.Out, v)
	}
	w := r.ios.Out
	if r.opts.All {
		sort.Slice(outs, func(i, j int) bool { return outs[i].Job.Seq < outs[j].Job.Seq })
		width := len("ACTION")
		for _, p := range bodies {
			width = max(width, len(p.Action))
		}
		fmt.Fprintf(w, "%-*s  %-6s  %9s  %s\n", width, "ACTION", "STATUS", "TIME", "RESPONSE")
		for _, o := range outs {
			res := o.Result
			status, resp := fmt.Sprint(res.Status), Preview(res.Body, 60, res.BodyTruncated)
			if res.ConnFailed() {
				status, resp = "-", res.Err.Error()
			}
			if res.OK {
				status = r.pal.Green(fmt.Sprintf("%-6s", status))
			} else {
				status = r.pal.Red(fmt.Sprintf("%-6s", status))
			}
			fmt.Fprintf(w, "%-*s  %s  %9s  %s\n", width, o.Job.Action, status, Round(res.Duration), resp)
		}
	}
	WriteSummary(w, r.pal, sum)
	return nil
}

// WriteSummary prints the totals, the status histogram, the throughput
// and the latency percentiles of a batch.
func WriteSummary(w io.Writer, pal iostreams.Palette, s deliver.Summary) {
	failed := fmt.Sprintf("%d failed", s.Failed)
	if s.Failed > 0 {
		failed = pal.Red(failed)
	}
	fmt.Fprintf(w, "%d sent: %d succeeded, %d retried, %s", s.Sent, s.Succeeded, s.Retried, failed)
	if s.NoResponse > 0 {
		fmt.Fprintf(w, " (%d without a response)", s.NoResponse)
	}
	fmt.Fprintf(w, " in %s (%.1f/s)\n", Round(time.Duration(s.ElapsedS*float64(time.Second))), s.PerSecond)
	if len(s.Statuses) > 0 {
		keys := make([]string, 0, len(s.Statuses))
		for k := range s.Statuses {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s×%d", k, s.Statuses[k])
		}
		fmt.Fprintf(w, "statuses: %s\n", strings.Join(parts, "  "))
	}
	if s.Sent > s.NoResponse {
		l := s.Latency
		fmt.Fprintf(w, "latency: p50 %s  p90 %s  p99 %s  max %s\n", ms(l.P50), ms(l.P90), ms(l.P99), ms(l.Max))
	}
}

func ms(v float64) time.Duration { return Round(time.Duration(v * float64(time.Millisecond))) }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
