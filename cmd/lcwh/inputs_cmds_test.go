package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lcwh/lcwh/pkg/record"
)

// Script commands for reading inputs:
//
//	longline FILE N BYTES
//	    inserts, before line N of FILE, a recording entry whose line is
//	    BYTES bytes long without its newline (its body a string of x).
//	cutfile FILE BYTES
//	    drops the last BYTES bytes of FILE (a write cut short).
//	fetch [-H Name:Value]... URL
//	    GETs URL; prints the status, then the body.
//
// and the program
//
//	killafter DURATION PROG ARGS...
//	    runs PROG, passing on SIGINT and SIGTERM; if it has not ended
//	    DURATION after it started (or 5 s after a signal), kills it and
//	    exits 124. Scripts run a command that could hang through it, so a
//	    hang fails the test instead of blocking it.
func init() {
	scriptCmds["longline"] = cmdLongLine
	scriptCmds["cutfile"] = cmdCutFile
	scriptCmds["fetch"] = cmdFetch
}

func cmdLongLine(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: longline FILE N BYTES")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	size, err := strconv.Atoi(args[2])
	ts.Check(err)
	e := &record.Entry{Method: "POST", Path: "/", Verdict: record.Verdict{Secret: "ok"}, Response: record.Response{Status: 200}}
	empty, err := record.AppendLine(nil, e)
	ts.Check(err)
	e.Body = string(bytes.Repeat([]byte("x"), max(size-(len(empty)-1), 0)))
	long, err := record.AppendLine(nil, e)
	ts.Check(err)
	path := ts.MkAbs(args[0])
	data, err := os.ReadFile(path)
	ts.Check(err)
	at := 0
	for range n - 1 {
		i := bytes.IndexByte(data[at:], '\n')
		if i < 0 {
			ts.Fatalf("%s has fewer than %d lines", args[0], n-1)
		}
		at += i + 1
	}
	out := append(append(append([]byte(nil), data[:at]...), long...), data[at:]...)
	ts.Check(os.WriteFile(path, out, 0o600))
}

func cmdCutFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cutfile FILE BYTES")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	path := ts.MkAbs(args[0])
	info, err := os.Stat(path)
	ts.Check(err)
	ts.Check(os.Truncate(path, max(info.Size()-int64(n), 0)))
}

func cmdFetch(ts *testscript.TestScript, neg bool, args []string) {
	headers, args := headerArgs(args)
	if neg || len(args) != 1 {
		ts.Fatalf("usage: fetch [-H Name:Value]... URL")
	}
	req, err := http.NewRequest(http.MethodGet, args[0], nil)
	ts.Check(err)
	req.Header = headers
	resp, err := listenClient.Do(req)
	ts.Check(err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	ts.Check(err)
	fmt.Fprintf(ts.Stdout(), "%d\n%s\n", resp.StatusCode, b)
}

// killAfter is the killafter program.
func killAfter() int {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: killafter DURATION PROG ARGS...")
		return 2
	}
	d, err := time.ParseDuration(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "killafter:", err)
		return 2
	}
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "killafter:", err)
		return 127
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	deadline := time.NewTimer(d)
	for {
		select {
		case <-done:
			return cmd.ProcessState.ExitCode()
		case s := <-sigs:
			cmd.Process.Signal(s)
			deadline.Reset(5 * time.Second)
			continue
		case <-deadline.C:
		}
		cmd.Process.Kill()
		<-done
		fmt.Fprintf(os.Stderr, "killafter: %s did not end in time: killed\n", os.Args[2])
		return 124
	}
}
