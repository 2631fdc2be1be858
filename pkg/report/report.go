// Package report describes what a run of deliveries did, the same way for
// every command that sends (send, replay): one JSON shape per delivery,
// the response lines, the summary, and report files (JSON or JUnit).
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lcwh/lcwh/pkg/deliver"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/junit"
	"github.com/lcwh/lcwh/pkg/payload"
)

// ResponsePreview is how much of a response body the text output shows.
const ResponsePreview = 200

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

// NewDelivery describes the result of sending body (doc, when it parsed)
// from source to url.
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

// WarnRedactedSecret says that the body from label goes out with the
// placeholder secret_key (a body saved with send --dry-run, a recording),
// no secret having been given to put back: the receiver will likely refuse
// it. Commands say it once a run, for the first such body.
func WarnRedactedSecret(w io.Writer, pal iostreams.Palette, label string) {
	fmt.Fprintf(w, "%s %s: secret_key is %s, a placeholder: give --secret (or LCWH_SECRET, or secrets in the config) to send the real one\n",
		pal.Yellow("warning:"), label, payload.Redacted)
}

// Batch is the JSON form of a run of many deliveries (send --count keeps
// only the summary).
type Batch struct {
	Deliveries []Delivery      `json:"deliveries,omitempty"`
	Summary    deliver.Summary `json:"summary"`
}

// WriteResult prints the response line ("← 200 OK in 3.1ms"), the headers
// when verbose, and the start of the body.
func WriteResult(w io.Writer, pal iostreams.Palette, res deliver.Result, verbose bool) {
	for i, a := range res.Attempts[:len(res.Attempts)-1] {
		fmt.Fprintf(w, "%s attempt %d: %s, retrying in %s\n", pal.Yellow("!"), i+1, attemptText(a), Round(a.Wait))
	}
	if res.NoResponse() {
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

// WriteJSON writes v indented by two spaces, without HTML escaping.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Report file formats.
const (
	FormatJSON  = "json"
	FormatJUnit = "junit"
)

// FileFormats are the formats of a report file.
var FileFormats = []string{FormatJSON, FormatJUnit}

// FileFormatFor is format, or when it is "" the one path's extension
// says: JUnit for .xml, else JSON.
func FileFormatFor(path, format string) string {
	if format != "" {
		return format
	}
	if strings.EqualFold(filepath.Ext(path), ".xml") {
		return FormatJUnit
	}
	return FormatJSON
}

// WriteFile writes a report of b to path: JSON (a Batch) or JUnit (one
// test case per delivery, named by its source; suite is the suite name).
func WriteFile(path, format, suite string, b Batch) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer f.Close()
	if format == FormatJSON {
		if err := WriteJSON(f, b); err != nil {
			return err
		}
		return f.Close()
	}
	elapsed := b.Summary.ElapsedS
	ts := junit.Suite{Name: suite, Tests: len(b.Deliveries), Failures: b.Summary.Failed, Time: &elapsed}
	for _, d := range b.Deliveries {
		seconds := d.DurationMS / 1000
		tc := junit.Case{Name: d.Source, Classname: d.Action, Time: &seconds}
		if !d.OK {
			msg := fmt.Sprintf("status %d", d.Status)
			if d.Error != "" {
				msg = d.Error
			}
			tc.Failure = &junit.Failure{Message: msg, Text: d.Body}
		}
		ts.Cases = append(ts.Cases, tc)
	}
	if err := junit.Write(f, ts); err != nil {
		return err
	}
	return f.Close()
}
