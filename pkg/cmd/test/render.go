package test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/lcwh/lcwh/pkg/deliver"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/junit"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/receivertest"
	"github.com/lcwh/lcwh/pkg/report"
)

// Finding is the JSON form of a finding.
type Finding struct {
	Check      string   `json:"check"`
	Action     string   `json:"action"`
	Actions    []string `json:"actions,omitempty"` // when more than one action failed this way
	Checks     []string `json:"checks,omitempty"`  // when the cause failed more than one check
	Part       string   `json:"part"`
	Status     int      `json:"status"`
	Error      string   `json:"error,omitempty"`
	Response   string   `json:"response,omitempty"`
	DurationMS float64  `json:"duration_ms"`
	Message    string   `json:"message"`
	LiveChat   string   `json:"livechat"`
	Change     string   `json:"change,omitempty"`
	Shrunk     bool     `json:"shrunk,omitempty"`
	Count      int      `json:"count"`
	Reproduce  string   `json:"reproduce"`
	File       string   `json:"file"`
}

// Summary is the JSON form of the totals.
type Summary struct {
	Passed    bool           `json:"passed"` // no finding, and the run was not interrupted
	Interrupt bool           `json:"interrupted,omitempty"`
	Findings  int            `json:"findings"`
	ByCheck   map[string]int `json:"by_check"`
	Requests  int            `json:"requests"`
	Shrinking int            `json:"shrinking_requests"`
	NotSent   int            `json:"not_sent"`
	Skipped   int            `json:"skipped"`  // deliveries of actions that had timed out twice
	LeftOut   int            `json:"left_out"` // variants the budget left out
	Stopped   string         `json:"stopped,omitempty"`
	ElapsedS  float64        `json:"elapsed_s"`
	Parts     []Part         `json:"parts"`
	Seed      uint64         `json:"seed"`
	Saved     string         `json:"saved,omitempty"`
	// ReproduceNote says what the reproduce commands need first.
	ReproduceNote string `json:"reproduce_note,omitempty"`
}

// Part is the JSON form of a part's counts.
type Part struct {
	Part    string `json:"part"`
	Planned int    `json:"planned"`
	Sent    int    `json:"sent"`
	Failed  int    `json:"failed"`
}

// output is what every format renders.
type output struct {
	URL        string    `json:"url"`
	APIVersion string    `json:"api_version"`
	DeadlineMS float64   `json:"deadline_ms"`
	Findings   []Finding `json:"findings"`
	Summary    Summary   `json:"summary"`

	rep *receivertest.Report
}

// save writes the body of each finding under opts.Save (a new temporary
// folder when empty, made only when there is a finding) and builds the
// output with the reproduce commands.
func save(rep *receivertest.Report, opts Options) (*output, error) {
	out := &output{URL: rep.URL, APIVersion: rep.APIVersion, DeadlineMS: deliver.MS(rep.Deadline), Findings: []Finding{}, rep: rep,
		Summary: Summary{Passed: len(rep.Findings) == 0 && !rep.Interrupt, Interrupt: rep.Interrupt, Findings: len(rep.Findings), ByCheck: map[string]int{},
			Requests: rep.Sent, Shrinking: rep.Shrinking, NotSent: rep.NotSent, Skipped: rep.Skipped, LeftOut: rep.LeftOut, Stopped: rep.Stopped,
			ElapsedS: rep.Elapsed.Seconds(), Seed: rep.Seed}}
	for _, p := range rep.Parts {
		out.Summary.Parts = append(out.Summary.Parts, Part{p.Part.String(), p.Planned, p.Sent, p.Failed})
	}
	if len(rep.Findings) == 0 {
		return out, nil
	}
	dir := opts.Save
	var err error
	if dir == "" {
		dir, err = os.MkdirTemp("", "lcwh-test-")
	} else {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return nil, fmt.Errorf("--save: %w", err)
	}
	out.Summary.Saved = dir
	if opts.SecretOnCommandLine {
		out.Summary.ReproduceNote = exportNote
	}
	for i, f := range rep.Findings {
		out.Summary.ByCheck[f.Check]++
		file := filepath.Join(dir, fmt.Sprintf("%02d-%s-%s.json", i+1, f.Check, f.Action))
		if err := os.WriteFile(file, f.Body, 0o644); err != nil {
			return nil, fmt.Errorf("--save: %w", err)
		}
		jf := Finding{Check: f.Check, Action: f.Action, Part: f.Part.String(), Status: f.Status, Error: f.Error,
			Response: f.Response, DurationMS: deliver.MS(f.Duration), Message: f.Message, LiveChat: f.LiveChat,
			Change: f.Change, Shrunk: f.Shrunk, Count: f.Count, Reproduce: reproduce(f, file, opts), File: file}
		if len(f.Actions) > 1 {
			jf.Actions = f.Actions
		}
		if len(f.Checks) > 1 {
			jf.Checks = f.Checks
		}
		out.Findings = append(out.Findings, jf)
	}
	return out, nil
}

// exportNote is what the reproduce commands need when the secret came
// from --secret: reports go to CI logs, so the secret is not in them.
const exportNote = `export LCWH_SECRET (the secret given with --secret, not printed here) before running the reproduce commands: they read it from there`

// reproduce is the `lcwh send` command that makes a finding's request
// again. The saved body has the receiver's secret redacted: lcwh send puts
// it back from LCWH_SECRET or the configuration, as lcwh test took it;
// one given with --secret the command reads from $LCWH_SECRET.
func reproduce(f receivertest.Finding, file string, opts Options) string {
	args := []string{"lcwh", "send", "--file", quote(file), "--to", quote(opts.Delivery.To)}
	if opts.APIVersion != payload.DefaultVersion {
		args = append(args, "--api-version", opts.APIVersion)
	}
	switch {
	case f.SecretAsIs:
		args = append(args, "--secret", quote(receivertest.WrongSecretFor(opts.Delivery.Secret)))
	case f.NoSecret:
		args = append(args, "--unset", "secret_key", "--no-validate")
	case opts.SecretOnCommandLine:
		args = append(args, "--secret", `"$LCWH_SECRET"`)
	}
	if f.Repeat > 1 {
		args = append(args, "--count", fmt.Sprint(f.Repeat))
	}
	if opts.Deadline != deliver.DefaultTimeout {
		args = append(args, "--timeout", opts.Deadline.String())
	}
	for _, k := range sortedKeys(opts.Delivery.Header) {
		for _, v := range opts.Delivery.Header[k] {
			args = append(args, "-H", quote(k+": "+v))
		}
	}
	if opts.Delivery.Insecure {
		args = append(args, "--insecure")
	}
	if opts.ConfigFile != "" {
		args = append(args, "--config", quote(opts.ConfigFile))
	}
	return strings.Join(args, " ")
}

var plainWord = regexp.MustCompile(`^[A-Za-z0-9_./:=@%+,-]+$`)

// quote makes s one shell word.
func quote(s string) string {
	if plainWord.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func render(ios *iostreams.IOStreams, opts Options, out *output) error {
	switch opts.Format {
	case "json":
		return report.WriteJSON(ios.Out, out)
	case "junit":
		return junit.Write(ios.Out, junitSuite(out))
	}
	writeText(ios.Out, iostreams.NewPalette(ios.ColorOut()), opts, out)
	return nil
}

// writeText prints the findings grouped by check, then a summary as a
// test runner does.
func writeText(w io.Writer, pal iostreams.Palette, opts Options, out *output) {
	rep := out.rep
	fmt.Fprintf(w, "lcwh test %s (API %s, seed %d, deadline %s)\n", out.URL, out.APIVersion, rep.Seed, rep.Deadline)
	for _, check := range receivertest.Checks {
		first := true
		for _, f := range out.Findings {
			if f.Check != check {
				continue
			}
			if first {
				fmt.Fprintf(w, "\n%s\n", pal.Bold(check))
				first = false
			}
			fmt.Fprintf(w, "  %s %s: %s\n", pal.Red("✗"), f.Action, f.Message)
			detail := fmt.Sprintf("%d %s failed this way (the first in the %s)", f.Count, plural(f.Count, "request", "requests"), f.Part)
			if f.Status != 0 {
				detail += fmt.Sprintf(", answered in %s", report.Round(time.Duration(f.DurationMS*float64(time.Millisecond))))
			}
			fmt.Fprintf(w, "      %s\n", pal.Faint(detail))
			if f.Change != "" {
				fmt.Fprintf(w, "      %s\n", changeLine(f))
			}
			fmt.Fprintf(w, "      LiveChat: %s\n", f.LiveChat)
			fmt.Fprintf(w, "      reproduce: %s\n", pal.Cyan(f.Reproduce))
		}
	}
	fmt.Fprintln(w)
	s := out.Summary
	took := report.Round(rep.Elapsed)
	verdict := pal.Green("PASS")
	switch {
	case s.Interrupt:
		verdict = pal.Yellow("STOPPED")
	case !s.Passed:
		verdict = pal.Red("FAIL")
	}
	if s.Findings == 0 {
		fmt.Fprintf(w, "%s  no findings in %d requests, %s\n", verdict, s.Requests, took)
	} else {
		var byCheck []string
		for _, c := range receivertest.Checks {
			if n := s.ByCheck[c]; n > 0 {
				byCheck = append(byCheck, fmt.Sprintf("%d %s", n, c))
			}
		}
		fmt.Fprintf(w, "%s  %d %s (%s) in %d requests, %s\n", verdict, s.Findings, plural(s.Findings, "finding", "findings"),
			strings.Join(byCheck, ", "), s.Requests, took)
	}
	var parts []string
	for _, p := range s.Parts {
		switch {
		case p.Planned == 0 && p.Part == receivertest.Security.String() && opts.Delivery.Secret == "":
			parts = append(parts, "security: not tested (give --secret)")
		case p.Planned == 0:
		case p.Failed > 0:
			parts = append(parts, fmt.Sprintf("%s: %d sent, %d failed", p.Part, p.Sent, p.Failed))
		default:
			parts = append(parts, fmt.Sprintf("%s: %d sent", p.Part, p.Sent))
		}
	}
	fmt.Fprintf(w, "  %s\n", strings.Join(parts, " · "))
	if s.Shrinking > 0 {
		fmt.Fprintf(w, "  %d of the requests went into shrinking and diagnosing the findings\n", s.Shrinking)
	}
	if s.LeftOut > 0 {
		fmt.Fprintf(w, "  %s %d variants left out by --budget %d\n", pal.Yellow("!"), s.LeftOut, rep.Budget)
	}
	if s.Skipped > 0 {
		fmt.Fprintf(w, "  %s %d deliveries of actions that had timed out twice were skipped\n", pal.Yellow("!"), s.Skipped)
	}
	if s.Stopped != "" {
		fmt.Fprintf(w, "  %s stopped early: %s; %d requests not sent\n", pal.Yellow("!"), s.Stopped, s.NotSent)
	}
	if s.Saved != "" {
		fmt.Fprintf(w, "  bodies saved in %s", s.Saved)
		if opts.Delivery.Secret != "" && !opts.SecretOnCommandLine {
			fmt.Fprintf(w, " (secret_key redacted: lcwh send puts it back from LCWH_SECRET or the configuration)")
		}
		fmt.Fprintln(w)
	}
	if s.ReproduceNote != "" {
		fmt.Fprintf(w, "  %s %s\n", pal.Yellow("!"), s.ReproduceNote)
	}
	fmt.Fprintf(w, "  run again with --seed %d\n", s.Seed)
}

// junitSuite has one test case per check and action tested.
func junitSuite(out *output) junit.Suite {
	elapsed := out.Summary.ElapsedS
	ts := junit.Suite{Name: "lcwh test", Time: &elapsed}
	for _, check := range receivertest.Checks {
		for _, action := range out.rep.Tested[check] {
			tc := junit.Case{Name: action, Classname: check}
			for _, f := range out.Findings {
				if (f.Check == check || slices.Contains(f.Checks, check)) && (f.Action == action || slices.Contains(f.Actions, action)) {
					tc.Failure = &junit.Failure{Message: f.Message, Type: check,
						Text: fmt.Sprintf("%s\nLiveChat: %s\nreproduce: %s\n", changeLine(f), f.LiveChat, f.Reproduce)}
					if n := out.Summary.ReproduceNote; n != "" {
						tc.Failure.Text += n + "\n"
					}
					break
				}
			}
			if tc.Failure != nil {
				ts.Failures++
			}
			ts.Tests++
			ts.Cases = append(ts.Cases, tc)
		}
	}
	return ts
}

// changeLine says how the failing body differs from its fixture.
func changeLine(f Finding) string {
	switch {
	case f.Change == "":
		return "change: none (the fixture, with the suite's ids)"
	case f.Shrunk:
		return "smallest change: " + f.Change
	}
	return "change: " + f.Change
}
