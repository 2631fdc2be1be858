// Package receivertest tests a webhook receiver the way LiveChat treats it:
// it generates a suite of webhooks from the fixtures and schemas of an API
// version, delivers it to the receiver, and turns what went wrong into
// findings, one per distinct cause, each with the smallest body that still
// fails. It prints nothing: `lcwh test` renders the Report.
//
// The suite, in the order it is sent:
//  1. Scenarios: one chat whose webhooks share ids as LiveChat's do
//     (incoming_chat first, chat_deactivated last), then every other action
//     with its agent, bot, group or tag created before it is changed.
//  2. Variants of each action generated from the schemas (variants.go).
//  3. Delivery: every scenario webhook delivered again, the webhooks of a
//     new chat in order and of another in reverse order (a refusal is an
//     order finding only when the same webhook was accepted in order),
//     and a burst of concurrent deliveries.
//  4. Security: a wrong and a missing secret_key (with a secret only).
//
// One seed gives one suite: the same requests in the same order (a burst's
// requests are concurrent, so only their set is fixed). Failures are
// deduplicated as Schemathesis does (by check, action and status), and a
// failing body that differs from its fixture is shrunk as Hypothesis
// does, by deleting changes and then reducing the size of the ones left,
// keeping a candidate only when it fails the same way. Then the causes
// that are one are folded: the same answer to the same change for several
// actions, and the refusals of a receiver that de-duplicates on
// webhook_id (found by sending a refused webhook with a new one).
package receivertest

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// The checks, named as in `lcwh test --format json`.
const (
	ServerError  = "server-error"  // a 5xx, a reset or dropped connection for a valid webhook
	RejectsValid = "rejects-valid" // another non-2xx for a valid webhook
	Slow         = "slow"          // no answer within the deadline
	Duplicate    = "duplicate"     // a redelivered webhook not answered 2xx
	Order        = "order"         // a webhook refused when it comes before the ones it follows
	Secret       = "secret"        // a wrong or missing secret_key answered 2xx
)

// Checks lists the checks in the order reports show them.
var Checks = []string{ServerError, RejectsValid, Slow, Duplicate, Order, Secret}

// Defaults of Options.
const (
	DefaultDeadline = 10 * time.Second // LiveChat's wait for an answer
	DefaultBudget   = 2000
	BurstSize       = 20
)

// Options shape one run.
type Options struct {
	URL        string
	Secret     string // put in every body; "" keeps the fixtures' and skips the security part
	Header     http.Header
	Insecure   bool
	APIVersion string
	Actions    []string      // test only these (chat webhooks keep the incoming_chat that announces their chat); nil: all
	Deadline   time.Duration // an answer later than this is a finding (slow)
	Seed       uint64
	Budget     int            // at most this many requests, shrinking included
	Progress   func(Progress) // after each request, never concurrently
}

// Progress is how far a run is.
type Progress struct {
	Sent, Planned, Findings int
}

// Part is a part of the suite.
type Part int

// The parts, in the order they are sent.
const (
	Scenarios Part = iota + 1
	Variants
	Delivery
	Security
)

var partNames = [...]string{Scenarios: "scenarios", Variants: "variants", Delivery: "delivery", Security: "security"}

func (p Part) String() string { return partNames[p] }

// Parts lists the parts in order.
var Parts = []Part{Scenarios, Variants, Delivery, Security}

// Finding is one distinct cause of failure.
type Finding struct {
	Check    string
	Action   string   // of the example
	Actions  []string // every action that failed this way, in suite order
	Checks   []string // every check that failed this way, Check first
	Part     Part
	Status   int    // of the example; 0 when there was no answer
	Error    string // why there was no answer
	Response string // the start of the answer's body
	Duration time.Duration
	Message  string // what went wrong, in one line
	LiveChat string // what LiveChat would do about it
	Change   string // the smallest change from the fixture that still fails; "" for the fixture as it is
	Shrunk   bool   // Change is the result of shrinking
	Count    int    // requests that failed this way
	// Reproduce says how to make the request again: Body (secret_key
	// redacted when it is the receiver's) sent Repeat times, with the
	// receiver's secret put back unless SecretAsIs; without secret_key
	// when NoSecret.
	Body       []byte
	Repeat     int
	SecretAsIs bool
	NoSecret   bool
}

// PartStats counts what one part sent.
type PartStats struct {
	Part    Part
	Planned int
	Sent    int
	Failed  int
}

// Report is the outcome of a run.
type Report struct {
	URL        string
	APIVersion string
	Seed       uint64
	Budget     int
	Deadline   time.Duration
	Findings   []Finding
	Parts      []PartStats
	Sent       int    // requests, shrinking included
	Shrinking  int    // requests spent shrinking and diagnosing findings
	NotSent    int    // planned requests not sent (the run stopped early)
	Skipped    int    // deliveries of actions that had timed out twice, not sent
	LeftOut    int    // variants the budget left out of the plan
	Stopped    string // why the run ended early, "" when it did not
	Interrupt  bool   // the run was interrupted (its context ended)
	Elapsed    time.Duration
	// Tested lists, per check, the actions it was applied to (in suite
	// order): the test cases of a JUnit report.
	Tested map[string][]string
}

// UnreachableError is returned when the receiver cannot be reached at the start.
type UnreachableError struct {
	URL string
	Err error
}

func (e *UnreachableError) Error() string { return fmt.Sprintf("cannot reach %s: %v", e.URL, e.Err) }
func (e *UnreachableError) Unwrap() error { return e.Err }

// BudgetError is returned when the budget cannot cover the fixed parts of the suite.
type BudgetError struct{ Budget, Need int }

func (e *BudgetError) Error() string {
	return fmt.Sprintf("a budget of %d requests is below the %d the scenarios, delivery and security parts need (narrow with --actions, or raise --budget)", e.Budget, e.Need)
}

// Run plans the suite, delivers it and returns the findings. The error is
// an *UnreachableError, a *BudgetError, an unknown version or action, or
// ctx's error when the run was interrupted (with the report so far).
func Run(ctx context.Context, opts Options) (*Report, error) {
	if opts.Deadline <= 0 {
		opts.Deadline = DefaultDeadline
	}
	if opts.Budget <= 0 {
		opts.Budget = DefaultBudget
	}
	s, err := plan(opts)
	if err != nil {
		return nil, err
	}
	return newRunner(s).run(ctx)
}
