package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/payload"
)

// Script commands for send and replay:
//
//	hookserver NAME [-fail N] [-status CODE] [-sleep D] [-sleep-first N] [-retry-after S]
//	    starts a loopback HTTP server, sets $NAME_URL, and writes every body it
//	    receives to $WORK/NAME/001.json, 002.json... and the request line with
//	    the Content-Type (and any Authorization and Cookie) to 001.req. The
//	    first N requests (-fail) are answered with CODE (default 503), the
//	    rest with 200 {"ok":true}. -sleep delays every answer (or only the
//	    first -sleep-first requests).
//	waitfiles DIR N
//	    waits (up to 10 s) until DIR holds at least N *.json files.
//	wantexit CODE PROG ARGS...
//	    runs PROG like exec and checks its exit code.
//	cmpfixtures DIR VERSION [SECRET]
//	    checks that DIR holds exactly one body per action of VERSION, in
//	    catalogue order, each equal byte for byte to its fixture (with
//	    secret_key SECRET, when given).
func init() {
	scriptCmds["hookserver"] = cmdHookServer
	scriptCmds["waitfiles"] = cmdWaitFiles
	scriptCmds["cmpfixtures"] = cmdCmpFixtures
	scriptCmds["wantexit"] = cmdWantExit
}

// wantexit CODE PROG ARGS... runs PROG like exec and checks its exit code.
func cmdWantExit(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: wantexit CODE PROG [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		got = ee.ExitCode()
	} else if err != nil {
		ts.Fatalf("%v", err)
	}
	if got != want {
		ts.Fatalf("exit code %d, want %d", got, want)
	}
}

func cmdHookServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! hookserver")
	}
	fs := flag.NewFlagSet("hookserver", flag.ContinueOnError)
	fail := fs.Int("fail", 0, "")
	status := fs.Int("status", http.StatusServiceUnavailable, "")
	sleep := fs.Duration("sleep", 0, "")
	sleepFirst := fs.Int("sleep-first", 0, "")
	retryAfter := fs.String("retry-after", "", "")
	if len(args) < 1 {
		ts.Fatalf("usage: hookserver NAME [flags]")
	}
	name := args[0]
	ts.Check(fs.Parse(args[1:]))
	dir := ts.MkAbs(name)
	ts.Check(os.MkdirAll(dir, 0o755))
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		n++
		i := n
		mu.Unlock()
		req := fmt.Sprintf("%s %s\nContent-Type: %s\nX-Test: %s\n", r.Method, r.URL.Path, r.Header.Get("Content-Type"), r.Header.Get("X-Test"))
		for _, k := range []string{"Authorization", "Cookie"} { // credentials, when sent
			if v := r.Header.Get(k); v != "" {
				req += k + ": " + v + "\n"
			}
		}
		base := filepath.Join(dir, fmt.Sprintf("%03d", i))
		// the .req first: waitfiles counts .json files, which must be complete
		_ = os.WriteFile(base+".req", []byte(req), 0o644)
		_ = os.WriteFile(base+".tmp", body, 0o644)
		_ = os.Rename(base+".tmp", base+".json")
		if *sleep > 0 && (*sleepFirst == 0 || i <= *sleepFirst) {
			select {
			case <-time.After(*sleep):
			case <-r.Context().Done():
			}
		}
		if i <= *fail {
			if *retryAfter != "" {
				w.Header().Set("Retry-After", *retryAfter)
			}
			w.WriteHeader(*status)
			fmt.Fprintf(w, `{"error":"failing on purpose (%d of %d)"}`, i, *fail)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":true}`)
	}))
	ts.Defer(srv.Close)
	ts.Setenv(strings.ToUpper(name)+"_URL", srv.URL+"/hook")
}

func cmdWaitFiles(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitfiles DIR N")
	}
	want, err := strconv.Atoi(args[1])
	ts.Check(err)
	// A bound against a hang, not a timing: under the race detector on a
	// loaded machine a command may take many seconds to plan its first request.
	const limit = 60 * time.Second
	deadline := time.Now().Add(limit)
	for {
		files, _ := filepath.Glob(filepath.Join(ts.MkAbs(args[0]), "*.json"))
		if len(files) >= want {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("%s: %d files after %v, want %d", args[0], len(files), limit, want)
		}
		time.Sleep(10 * time.Millisecond) // polling the file system: there is no event to wait on
	}
}

func cmdCmpFixtures(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: cmpfixtures DIR VERSION [SECRET]")
	}
	c, err := payload.CatalogFor(args[1])
	ts.Check(err)
	files, _ := filepath.Glob(filepath.Join(ts.MkAbs(args[0]), "*.json"))
	if len(files) != len(c.Actions) {
		ts.Fatalf("%s: %d bodies received, want %d", args[0], len(files), len(c.Actions))
	}
	for i, action := range c.Names() {
		got, err := os.ReadFile(files[i])
		ts.Check(err)
		want, err := fixtures.Get(args[1], action)
		ts.Check(err)
		if len(args) == 3 {
			want = bytes.Replace(want, []byte(`"secret_key": "lcwh-example-secret"`), []byte(`"secret_key": "`+args[2]+`"`), 1)
		}
		if !bytes.Equal(got, want) {
			ts.Fatalf("%s: body %d differs from the %s fixture", args[0], i+1, action)
		}
	}
	ts.Logf("%d bodies equal to the fixtures of %s", len(files), args[1])
}
