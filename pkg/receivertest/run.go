package receivertest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/lcwh/lcwh/pkg/deliver"
	"github.com/lcwh/lcwh/pkg/edit"
)

// Stop rules: a receiver that stopped answering, or one that answers
// nothing in time, would otherwise cost the whole budget or a deadline
// per request.
const (
	maxRefusedInARow     = 3 // connection refused this often in a row: the receiver is gone
	maxTimeoutsPerAction = 2 // later deliveries of an action that timed out this often are skipped
	maxTimeouts          = 10
)

type runner struct {
	s        *suite
	c        *deliver.Client
	results  []*result // by Seq; nil: not sent
	failed   map[int]bool
	causes   *causes
	rep      *Report
	sent     int
	refused  int // in a row
	timeouts map[string]int
	stop     string
}

// result is what one delivery got.
type result struct {
	status     int
	statusText string
	response   []byte
	err        error
	kind       errKind
	dur        time.Duration
}

// errKind says why there was no answer.
type errKind int

const (
	answered    errKind = iota
	timedOut            // no answer within the deadline
	dropped             // the connection was reset or closed without an answer
	unreachable         // no connection: refused, DNS, TLS
)

func (r *result) ok() bool { return r.kind == answered && r.status >= 200 && r.status < 300 }

// reason is the status or the error, for people: "409 Conflict", "no answer within 10s".
func (r *result) reason() string {
	if r.kind == answered {
		return r.statusText
	}
	return r.err.Error()
}

func newRunner(s *suite) *runner {
	return &runner{
		s:       s,
		c:       deliver.New(deliver.Options{Timeout: s.opts.Deadline, Insecure: s.opts.Insecure}),
		results: make([]*result, len(s.cases)), causes: newCauses(),
		timeouts: map[string]int{}, failed: map[int]bool{},
		rep: &Report{URL: s.opts.URL, APIVersion: s.opts.APIVersion, Seed: s.opts.Seed, Budget: s.opts.Budget,
			Deadline: s.opts.Deadline, Tested: map[string][]string{}},
	}
}

func (r *runner) run(ctx context.Context) (*Report, error) {
	defer r.c.Close()
	start := time.Now()
	cases := r.s.cases
	for i := 0; i < len(cases) && r.stop == "" && ctx.Err() == nil; {
		j := i + 1
		for cases[i].Burst > 0 && j < len(cases) && cases[j].Burst == cases[i].Burst {
			j++
		}
		batch := cases[i:j]
		if r.sent+len(batch) > r.s.opts.Budget {
			r.stop = fmt.Sprintf("the budget of %d requests is spent", r.s.opts.Budget)
			break
		}
		if len(batch) == 1 && r.timeouts[batch[0].Action] >= maxTimeoutsPerAction {
			r.rep.Skipped++ // this action times out: its other deliveries would too
			i = j
			continue
		}
		r.deliver(ctx, batch)
		if i == 0 && r.results[0] != nil && r.results[0].kind == unreachable {
			return nil, &UnreachableError{URL: r.s.opts.URL, Err: r.results[0].err}
		}
		i = j
	}
	if ctx.Err() == nil {
		r.shrinkAll(ctx)
		r.diagnose(ctx)
	}
	r.rep.Elapsed, r.rep.Interrupt = time.Since(start), ctx.Err() != nil
	r.report()
	return r.rep, ctx.Err()
}

// deliver sends a batch (one case, or a burst at once) and judges each result.
func (r *runner) deliver(ctx context.Context, batch []*testCase) {
	var wg sync.WaitGroup
	for _, c := range batch {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.results[c.Seq] = r.send(ctx, c.Body)
		}()
	}
	wg.Wait()
	for _, c := range batch {
		res := r.results[c.Seq]
		if ctx.Err() != nil && res.kind != answered {
			r.results[c.Seq] = nil // cut short by the interruption: not a finding
			continue
		}
		r.sent++
		r.judge(c, res)
		if r.s.opts.Progress != nil {
			r.s.opts.Progress(Progress{Sent: r.sent, Planned: len(r.s.cases), Findings: r.causes.len()})
		}
	}
}

// send makes one request.
func (r *runner) send(ctx context.Context, body []byte) *result {
	res := r.c.Deliver(ctx, deliver.Request{URL: r.s.opts.URL, Body: body, Header: r.s.opts.Header})
	out := &result{status: res.Status, statusText: res.StatusText, response: res.Body, err: res.Err, dur: res.Duration}
	switch {
	case res.Err == nil:
	case res.Timeout():
		out.kind, out.err = timedOut, fmt.Errorf("no answer within %s", r.s.opts.Deadline)
	case !res.Connected: // as deliver tells send and replay's exit 3
		out.kind = unreachable
	case res.Status == 0:
		out.kind = dropped
	}
	var ue *url.Error
	if errors.As(out.err, &ue) {
		out.err = ue.Err // the URL is the receiver's, said once in the report
	}
	return out
}

// judge classifies a result and records a failure under its cause.
func (r *runner) judge(c *testCase, res *result) {
	r.tested(c)
	if res.kind == unreachable {
		if r.refused++; r.refused >= maxRefusedInARow {
			r.stop = fmt.Sprintf("the receiver stopped accepting connections (%v)", res.err)
		}
	} else {
		r.refused = 0
	}
	if res.kind == timedOut {
		r.timeouts[c.Action]++
		if total := sum(r.timeouts); total >= maxTimeouts {
			r.stop = fmt.Sprintf("%d requests got no answer within %s", total, r.s.opts.Deadline)
		}
	}
	if check := r.check(c, res); check != "" {
		r.failed[c.Seq] = true
		var orig *result
		if c.Original != nil {
			orig = r.results[c.Original.Seq]
		}
		r.causes.add(check, c, res, orig)
	}
}

// check returns the check c failed, or "".
func (r *runner) check(c *testCase, res *result) string {
	if c.Reject {
		if res.ok() {
			return c.Check
		}
		return ""
	}
	if res.ok() {
		return ""
	}
	if c.Check != "" && c.Original != nil {
		if orig := r.results[c.Original.Seq]; orig != nil && orig.ok() {
			return c.Check
		}
	}
	switch {
	case res.kind == timedOut:
		return Slow
	case res.kind != answered || res.status >= 500:
		return ServerError
	}
	return RejectsValid
}

// tested records which checks c exercised, for the report's test cases.
func (r *runner) tested(c *testCase) {
	checks := []string{ServerError, RejectsValid, Slow}
	if c.Check != "" {
		checks = []string{c.Check}
	}
	for _, ch := range checks {
		if l := r.rep.Tested[ch]; !slices.Contains(l, c.Action) {
			r.rep.Tested[ch] = append(l, c.Action)
		}
	}
}

// shrinkAll shrinks the example of each cause found among the variants,
// within what is left of the budget. A slow answer is not shrunk: each
// try would cost a deadline and timing does not repeat exactly.
func (r *runner) shrinkAll(ctx context.Context) {
	for _, cs := range r.causes.list {
		if len(cs.example.Changes) == 0 || cs.check == Slow || r.stop != "" {
			continue
		}
		c := cs.example
		best := shrink(c.Changes, func(changes []change) bool {
			if ctx.Err() != nil || r.sent >= r.s.opts.Budget {
				return false
			}
			cand := *c
			cand.Changes = changes
			if cand.ids != nil && !cand.ids.perBody {
				// an incoming_chat: each try announces a chat of its own, so
				// a receiver that ignores a chat it knows does not pass it
				cand.ids = r.s.g.bind(r.s.newChat(), false)
			}
			body, err := r.s.body(&cand, changes)
			if err != nil {
				return false
			}
			cand.Body = body
			res := r.send(ctx, cand.Body)
			r.sent++
			r.rep.Shrinking++
			if r.check(&cand, res) != cs.check || statusKey(res) != cs.status {
				return false
			}
			cs.example, cs.res = &cand, res
			return true
		})
		cs.shrunk = len(best) < len(c.Changes) || describe(best) != describe(c.Changes)
	}
}

// diagnose sends the example of each refused valid webhook again with a
// webhook_id never sent, within what is left of the budget. Accepted, it
// was refused for its webhook_id: the receiver de-duplicates on it, but
// webhook_id names the registration, the same in all its webhooks, so it
// refuses every webhook of an action after the first.
func (r *runner) diagnose(ctx context.Context) {
	for _, cs := range r.causes.list {
		if cs.check != ServerError && cs.check != RejectsValid || cs.res.kind == timedOut {
			continue
		}
		if ctx.Err() != nil || r.stop != "" || r.sent >= r.s.opts.Budget {
			return
		}
		root, err := edit.Parse(cs.example.Body)
		if err != nil || root.Get("webhook_id") == nil {
			continue
		}
		root.Put("webhook_id", edit.StringNode(r.s.g.newWebhookID()))
		res := r.send(ctx, root.Encode())
		r.sent++
		r.rep.Shrinking++
		if res.ok() {
			cs.webhookID = res
		}
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
