package send

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lcwh/lcwh/pkg/deliver"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/report"
)

type renderer struct {
	ios  *iostreams.IOStreams
	opts Options
	pal  iostreams.Palette
}

func newRenderer(ios *iostreams.IOStreams, opts Options) *renderer {
	return &renderer{ios: ios, opts: opts, pal: iostreams.NewPalette(ios.ColorOut())}
}

func (r *renderer) single(p Prepared, res deliver.Result) error {
	if r.opts.Format == "json" {
		return report.WriteJSON(r.ios.Out, report.NewDelivery(p.Source, p.Target, p.Body, p.Doc, res))
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
	report.WriteResult(w, r.pal, res, r.opts.Verbose)
	return nil
}

func (r *renderer) batch(bodies []Prepared, outs []deliver.Outcome, sum deliver.Summary) error {
	if r.opts.Format == "json" {
		v := report.Batch{Summary: sum}
		for _, o := range outs {
			p := bodies[o.Job.Seq%len(bodies)]
			doc := p.Doc
			if r.opts.Fresh && o.Job.Seq >= len(bodies) { // a body made fresh for this delivery
				doc, _ = payload.Decode(o.Job.Request.Body)
			}
			v.Deliveries = append(v.Deliveries, report.NewDelivery(p.Source, p.Target, o.Job.Request.Body, doc, o.Result))
		}
		return report.WriteJSON(r.ios.Out, v)
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
			status, resp := fmt.Sprint(res.Status), report.Preview(res.Body, 60, res.BodyTruncated)
			if res.NoResponse() {
				status, resp = "-", res.Err.Error()
			}
			if res.OK {
				status = r.pal.Green(fmt.Sprintf("%-6s", status))
			} else {
				status = r.pal.Red(fmt.Sprintf("%-6s", status))
			}
			fmt.Fprintf(w, "%-*s  %s  %9s  %s\n", width, o.Job.Action, status, report.Round(res.Duration), resp)
		}
	}
	report.WriteSummary(w, r.pal, sum)
	return nil
}
