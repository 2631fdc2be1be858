package receivertest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/report"
)

// cause is one distinct way of failing. As in Schemathesis, a cause is a
// check and a status (or why there was no answer); for the checks of what
// a body holds it is also the action, for the delivery checks it is not
// (a receiver that refuses copies refuses them whatever the action), and
// each secret_key test is its own cause. merged then folds the causes
// that turn out to be one.
type cause struct {
	check   string
	status  string
	example *testCase // the simplest failing case: fewest changes, first sent
	res     *result
	orig    *result // for duplicate and order: what the in-order delivery got
	count   int
	actions []string
	checks  []string // the checks folded into this cause, check first
	shrunk  bool
	// webhookID is what the example got with a webhook_id never sent
	// (diagnose), when that was 2xx: the receiver refuses a webhook for
	// a webhook_id it has seen.
	webhookID *result
}

type causes struct {
	byKey map[string]*cause
	list  []*cause // in the order found
}

func newCauses() *causes { return &causes{byKey: map[string]*cause{}} }

func (cs *causes) len() int { return len(cs.list) }

// statusKey is the status, or why there was no answer.
func statusKey(res *result) string {
	switch res.kind {
	case timedOut:
		return "timeout"
	case dropped:
		return "dropped"
	case unreachable:
		return "refused"
	}
	return strconv.Itoa(res.status)
}

func (cs *causes) add(check string, c *testCase, res, orig *result) {
	k := check + "|" + statusKey(res)
	switch check {
	case ServerError, RejectsValid, Slow:
		k += "|" + c.Action
	case Secret:
		k += "|" + c.What
	}
	x := cs.byKey[k]
	if x == nil {
		x = &cause{check: check, status: statusKey(res), example: c, res: res, orig: orig, checks: []string{check}}
		cs.byKey[k] = x
		cs.list = append(cs.list, x)
	} else if len(c.Changes) < len(x.example.Changes) {
		x.example, x.res = c, res
	}
	x.count++
	if !slices.Contains(x.actions, c.Action) {
		x.actions = append(x.actions, c.Action)
	}
}

// merged returns the causes with those that are one folded together:
//   - the causes of an action each that got the same status, answer and
//     smallest change: a receiver that answers 500 or 401 to everything
//     has one finding, listing the actions;
//   - a receiver that refuses webhooks for a webhook_id it has seen
//     refuses their copies for the same reason: its duplicate cause of
//     the same status is folded into that one.
func (cs *causes) merged() []*cause {
	byWebhookID := map[string]bool{} // statuses
	for _, x := range cs.list {
		if x.webhookID != nil {
			byWebhookID[x.status] = true
		}
	}
	key := func(x *cause) string {
		switch {
		case x.webhookID != nil, x.check == Duplicate && byWebhookID[x.status]:
			return "webhook_id|" + x.status
		case x.check == ServerError, x.check == RejectsValid, x.check == Slow:
			return x.check + "|" + x.status + "|" + string(x.res.response) + "|" + describe(x.example.Changes)
		}
		return fmt.Sprintf("%p", x)
	}
	var out []*cause
	folded := map[string]*cause{}
	fold := func(x *cause) {
		k := key(x)
		f := folded[k]
		if f == nil {
			f = &cause{}
			*f = *x
			f.actions, f.checks = slices.Clone(x.actions), slices.Clone(x.checks)
			folded[k] = f
			out = append(out, f)
			return
		}
		f.count += x.count
		for _, a := range x.actions {
			if !slices.Contains(f.actions, a) {
				f.actions = append(f.actions, a)
			}
		}
		if !slices.Contains(f.checks, x.check) {
			f.checks = append(f.checks, x.check)
		}
	}
	// the webhook_id causes first: they name the finding their copies join
	for _, first := range []bool{true, false} {
		for _, x := range cs.list {
			if (x.webhookID != nil) == first {
				fold(x)
			}
		}
	}
	return out
}

// report fills in the findings and the counts.
func (r *runner) report() {
	rep := r.rep
	rep.Sent = r.sent
	for _, p := range Parts {
		st := PartStats{Part: p}
		for _, c := range r.s.cases {
			if c.Part != p {
				continue
			}
			st.Planned++
			if r.results[c.Seq] != nil {
				st.Sent++
				if r.failed[c.Seq] {
					st.Failed++
				}
			} else {
				rep.NotSent++
			}
		}
		rep.Parts = append(rep.Parts, st)
	}
	rep.NotSent -= rep.Skipped
	rep.Stopped, rep.LeftOut = r.stop, r.s.leftOut
	list := r.causes.merged()
	slices.SortStableFunc(list, func(a, b *cause) int {
		return slices.Index(Checks, a.check) - slices.Index(Checks, b.check)
	})
	for _, x := range list {
		rep.Findings = append(rep.Findings, r.finding(x))
	}
}

func (r *runner) finding(x *cause) Finding {
	c, res := x.example, x.res
	f := Finding{
		Check: x.check, Action: c.Action, Actions: x.actions, Checks: x.checks, Part: c.Part,
		Status: res.status, Duration: res.dur, Count: x.count,
		Change: describe(c.Changes), Shrunk: x.shrunk, LiveChat: liveChat[x.check],
		Body: c.Body, Repeat: 1,
	}
	if res.kind != answered {
		f.Error = res.err.Error()
	} else {
		f.Response = report.Preview(res.response, 120, false)
	}
	switch x.check {
	case ServerError, RejectsValid:
		if x.webhookID != nil {
			f.Message = webhookIDMessage(res, x.webhookID)
			f.Repeat = 2 // a copy is refused for its webhook_id too, even by a receiver started afresh
			break
		}
		f.Message = res.reason() + " for a valid webhook"
		if res.kind == dropped {
			f.Message = "the connection was closed without an answer (" + res.err.Error() + ")"
		}
		if f.Response != "" {
			f.Message += ": " + f.Response
		}
	case Slow:
		f.Message = res.reason()
	case Duplicate:
		f.Message = fmt.Sprintf("%s when the same webhook came again (the first delivery got %s)", res.reason(), x.orig.reason())
		f.Repeat = 2
		f.Body = r.rebind(c, r.s.scenario, true) // a copy the receiver has not seen: it must take the first
	case Order:
		f.Message = fmt.Sprintf("%s when it came before the webhooks it follows (in order it got %s)", res.reason(), x.orig.reason())
		f.Body = r.rebind(c, r.s.newChat(), false) // a chat the receiver never heard of
	case Secret:
		f.Message = fmt.Sprintf("%s for a webhook with %s", res.reason(), c.What)
		f.SecretAsIs, f.NoSecret = c.secret == wrongSecret, c.secret == noSecret
	}
	if n := len(x.actions); n > 4 {
		f.Message += fmt.Sprintf(" (%d actions: %s and %d more)", n, strings.Join(x.actions[:3], ", "), n-3)
	} else if n > 1 {
		f.Message += fmt.Sprintf(" (%d actions: %s)", n, strings.Join(x.actions, ", "))
	}
	if (res.status == 401 || res.status == 403) && x.check == RejectsValid && r.s.opts.Secret == "" {
		f.Message += "; the bodies carry the fixtures' secret_key: give --secret with the receiver's"
	}
	if c.secret == receiverSecret && r.s.opts.Secret != "" {
		f.Body = payload.Redact(f.Body)
	}
	return f
}

// webhookIDMessage says what is wrong with a receiver that refuses a
// webhook for a webhook_id it has seen.
func webhookIDMessage(res, fresh *result) string {
	reason := res.reason()
	switch a := report.Preview(res.response, 60, false); {
	case res.kind == dropped:
		reason = "the connection closed without an answer (" + reason + ")"
	case a != "":
		reason += " (" + a + ")"
	}
	return fmt.Sprintf("%s for each webhook after the first with its webhook_id, copies included; with a new webhook_id, %s: "+
		"webhook_id names the registration (the same in all its webhooks), not the delivery", reason, fresh.reason())
}

// rebind returns c's body with the ids of another chat (only chat
// webhooks have ids to change).
func (r *runner) rebind(c *testCase, to *chat, perBody bool) []byte {
	if c.ids == nil {
		return c.Body
	}
	again := *c
	again.ids = r.s.g.bind(to, perBody)
	if b, err := r.s.body(&again, c.Changes); err == nil {
		return b
	}
	return c.Body
}

// liveChat says what LiveChat does about each kind of failure, completing "LiveChat ...".
var liveChat = map[string]string{
	ServerError:  "retries up to 3 times within about a minute, then gives up: the webhook is lost",
	RejectsValid: "counts any answer but 200 as failed: it retries up to 3 times within about a minute, then gives up and the webhook is lost",
	Slow:         "stops waiting after about 10 s and retries up to 3 times within a minute, so the receiver gets the webhook again while still busy with it",
	Duplicate:    "sends a webhook again after a time-out or any answer but 200; refusing the copy makes it retry until it gives up",
	Order:        "does not promise order: it retries the refused webhook up to 3 times within about a minute, then gives up and the webhook is lost",
	Secret:       "proves where a webhook comes from only by its secret_key: anyone who knows this URL can send forged webhooks",
}
