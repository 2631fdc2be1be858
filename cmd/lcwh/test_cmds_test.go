package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/rogpeppe/go-internal/testscript"
)

// Script commands for lcwh test:
//
//	receiver NAME [ARGS...]
//	    builds the sample receiver testdata/receivers/NAME, starts it with
//	    ARGS on a free port and sets $NAME_URL (upper case, - as _); its
//	    stderr goes to NAME.stderr.
//	findings FILE CHECK
//	    checks that the `lcwh test --format json` output in FILE has at
//	    least one finding and only findings of CHECK ("none": no finding).
//	reproduce FILE
//	    runs the reproduce command of each finding in FILE ($VARS expanded)
//	    and checks it fails the same way: the finding's status in its output
//	    and exit 1 (a connection dropped without an answer too), or exit 3
//	    when the finding had no answer in time; a secret finding's command
//	    must get 2xx (exit 0). The saved body must not hold $LCWH_SECRET; a
//	    command that reads it needs a report that says to export it.
//	samerequests A B
//	    checks that two receiver logs hold the same requests in the same
//	    order, but for the order within one burst of at most 20.
func init() {
	scriptCmds["receiver"] = cmdReceiver
	scriptCmds["findings"] = cmdFindings
	scriptCmds["reproduce"] = cmdReproduce
	scriptCmds["samerequests"] = cmdSameRequests
}

var testDir, _ = os.Getwd() // the package directory: go test runs there

func cmdReceiver(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: receiver NAME [ARGS...]")
	}
	name := args[0]
	bin := ts.MkAbs(filepath.Join(".bin", name))
	if _, err := os.Stat(bin); err != nil {
		build := exec.Command("go", "build", "-o", bin, "./testdata/receivers/"+name)
		build.Dir = testDir
		if out, err := build.CombinedOutput(); err != nil {
			ts.Fatalf("building receiver %s: %v\n%s", name, err, out)
		}
	}
	cmd := exec.Command(bin, args[1:]...)
	cmd.Dir = ts.MkAbs(".")
	stdout, err := cmd.StdoutPipe()
	ts.Check(err)
	logs, err := os.Create(ts.MkAbs(name + ".stderr")) // a panicking handler's stack, for instance
	ts.Check(err)
	cmd.Stderr = logs
	ts.Check(cmd.Start())
	ts.Defer(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		logs.Close()
	})
	url, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		ts.Fatalf("receiver %s did not print its URL: %v", name, err)
	}
	ts.Setenv(strings.ToUpper(strings.ReplaceAll(name, "-", "_"))+"_URL", strings.TrimSpace(url))
}

type testOutput struct {
	Findings []struct {
		Check     string `json:"check"`
		Status    int    `json:"status"`
		Error     string `json:"error"`
		Reproduce string `json:"reproduce"`
		File      string `json:"file"`
	} `json:"findings"`
	Summary struct {
		ReproduceNote string `json:"reproduce_note"`
	} `json:"summary"`
}

func readTestOutput(ts *testscript.TestScript, file string) testOutput {
	var out testOutput
	if err := json.Unmarshal([]byte(ts.ReadFile(file)), &out); err != nil {
		ts.Fatalf("%s: %v", file, err)
	}
	return out
}

func cmdFindings(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: findings FILE CHECK")
	}
	out := readTestOutput(ts, args[0])
	if args[1] == "none" {
		if len(out.Findings) > 0 {
			ts.Fatalf("%d findings, want none: %+v", len(out.Findings), out.Findings)
		}
		return
	}
	if len(out.Findings) == 0 {
		ts.Fatalf("no finding, want %s", args[1])
	}
	for _, f := range out.Findings {
		if f.Check != args[1] {
			ts.Fatalf("a %s finding, want only %s: %+v", f.Check, args[1], out.Findings)
		}
	}
}

func cmdReproduce(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: reproduce FILE")
	}
	out := readTestOutput(ts, args[0])
	for _, f := range out.Findings {
		if strings.Contains(f.Reproduce, "$LCWH_SECRET") && !strings.Contains(out.Summary.ReproduceNote, "export LCWH_SECRET") {
			ts.Fatalf("%q reads $LCWH_SECRET, but the report does not say to export it", f.Reproduce)
		}
		if secret := ts.Getenv("LCWH_SECRET"); secret != "" && strings.Contains(ts.ReadFile(f.File), secret) {
			ts.Fatalf("%s holds the secret in clear", f.File)
		}
		words := shellWords(ts, f.Reproduce)
		if len(words) < 2 || words[0] != "lcwh" || words[1] != "send" {
			ts.Fatalf("reproduce %q is not an lcwh send command", f.Reproduce)
		}
		err := ts.Exec(words[0], words[1:]...)
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			ts.Fatalf("%v", err)
		}
		stdout := ts.ReadFile("stdout")
		want := 1
		switch {
		case f.Check == "secret":
			want = 0
		case f.Status == 0 && f.Check == "slow":
			want = 3 // no answer within --timeout: send could not reach the receiver
		}
		if code != want {
			ts.Fatalf("%s: exit %d, want %d\n%s", f.Reproduce, code, want, stdout)
		}
		if f.Status != 0 && !strings.Contains(stdout, strconv.Itoa(f.Status)) {
			ts.Fatalf("%s: status %d not in its output:\n%s", f.Reproduce, f.Status, stdout)
		}
		ts.Logf("reproduced %s: exit %d", f.Check, code)
	}
}

// shellWords splits a command as sh would, for the quoting reproduce
// commands use: single quotes, double quotes, $VAR.
func shellWords(ts *testscript.TestScript, s string) []string {
	var words []string
	var cur strings.Builder
	inWord, quote := false, rune(0)
	expand := func(i int, rs []rune) int {
		j := i + 1
		for j < len(rs) && (rs[j] == '_' || unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j])) {
			j++
		}
		cur.WriteString(ts.Getenv(string(rs[i+1 : j])))
		return j - 1
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case quote == '\'' && c != '\'', quote == '"' && c != '"' && c != '$':
			cur.WriteRune(c)
		case quote != 0 && c == quote:
			quote = 0
		case c == '$' && quote != '\'':
			i, inWord = expand(i, rs), true
		case quote == 0 && (c == '\'' || c == '"'):
			quote, inWord = c, true
		case quote == 0 && c == ' ':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

func cmdSameRequests(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: samerequests A B")
	}
	a := strings.Split(strings.TrimSpace(ts.ReadFile(args[0])), "\n")
	b := strings.Split(strings.TrimSpace(ts.ReadFile(args[1])), "\n")
	err := sameRequests(a, b)
	switch {
	case err != nil && !neg:
		ts.Fatalf("%v", err)
	case err == nil && neg:
		ts.Fatalf("%s and %s hold the same %d requests", args[0], args[1], len(a))
	}
}

func sameRequests(a, b []string) error {
	if len(a) != len(b) {
		return fmt.Errorf("%d requests, then %d", len(a), len(b))
	}
	first, last := -1, -1
	for i := range a {
		if a[i] != b[i] {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return nil
	}
	if last-first >= 20 {
		return fmt.Errorf("requests %d to %d differ: more than a burst", first+1, last+1)
	}
	x, y := slices.Clone(a[first:last+1]), slices.Clone(b[first:last+1])
	slices.Sort(x)
	slices.Sort(y)
	if !slices.Equal(x, y) {
		return fmt.Errorf("requests %d to %d differ: %v, then %v", first+1, last+1, a[first], b[first])
	}
	return nil
}
