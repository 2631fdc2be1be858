package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/lcwh/lcwh/pkg/record"
)

// Script commands for listen (the forward target is send's hookserver):
//
//	waitlisten FILE
//	    waits (up to 10 s) for listen's --ready-file and sets $LISTEN_URL to
//	    its first line and $UI_URL to its second (the web inspector), if any.
//	post [-H Name:Value]... URL FILE | -d BODY
//	    POSTs FILE (or BODY) with a real net/http client; prints "STATUS BODY".
//	postdir URL DIR
//	    POSTs every *.json of DIR in lexical order; prints "NAME STATUS" per file.
//	postmany N URL FILE
//	    POSTs FILE N times at once; prints "N STATUS" per status; fails on a
//	    transport error.
//	request [-H Name:Value]... [-until STATUS] [-b] METHOD URL
//	    sends a bodiless request; prints "STATUS" (-b: "STATUS BODY"). With
//	    -until it asks again (up to 20 s) until the answer is STATUS: the
//	    inspector gets a delivery just after listen has answered it.
//	reclines FILE N
//	    checks FILE holds exactly N whole lines, each a recording entry; prints
//	    "status S: N" counts and "secret_key in clear" if any body holds one.
func init() {
	scriptCmds["waitlisten"] = cmdWaitListen
	scriptCmds["post"] = cmdPost
	scriptCmds["postdir"] = cmdPostDir
	scriptCmds["postmany"] = cmdPostMany
	scriptCmds["request"] = cmdRequest
	scriptCmds["reclines"] = cmdRecLines
}

var listenClient = &http.Client{
	Timeout:   30 * time.Second,
	Transport: &http.Transport{MaxIdleConnsPerHost: 64},
}

func cmdWaitListen(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitlisten FILE")
	}
	path := ts.MkAbs(args[0])
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, err := os.ReadFile(path); err == nil {
			listenURL, uiURL, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
			ts.Setenv("LISTEN_URL", listenURL)
			ts.Setenv("UI_URL", uiURL)
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("%s did not appear within 10s: listen did not start", args[0])
		}
		time.Sleep(10 * time.Millisecond) // the file is the readiness signal; there is no event to wait on
	}
}

func postFile(url string, body []byte, headers http.Header) (int, string, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header[k] = v
	}
	resp, err := listenClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b)), err
}

// headerArgs takes the leading -H Name:Value pairs off args.
func headerArgs(args []string) (http.Header, []string) {
	headers := http.Header{}
	for len(args) >= 2 && args[0] == "-H" {
		k, v, _ := strings.Cut(args[1], ":")
		headers.Add(strings.TrimSpace(k), strings.TrimSpace(v))
		args = args[2:]
	}
	return headers, args
}

func cmdPost(ts *testscript.TestScript, neg bool, args []string) {
	headers, args := headerArgs(args)
	if neg || len(args) != 2 && (len(args) != 3 || args[1] != "-d") {
		ts.Fatalf("usage: post [-H Name:Value]... URL FILE | -d BODY")
	}
	body := args[len(args)-1]
	if len(args) == 2 {
		body = ts.ReadFile(body)
	}
	status, respBody, err := postFile(args[0], []byte(body), headers)
	ts.Check(err)
	fmt.Fprintf(ts.Stdout(), "%d %s\n", status, respBody)
}

func cmdPostDir(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: postdir URL DIR")
	}
	files, err := filepath.Glob(filepath.Join(ts.MkAbs(args[1]), "*.json"))
	ts.Check(err)
	if len(files) == 0 {
		ts.Fatalf("no *.json in %s", args[1])
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		ts.Check(err)
		status, _, err := postFile(args[0], b, nil)
		ts.Check(err)
		fmt.Fprintf(ts.Stdout(), "%s %d\n", strings.TrimSuffix(filepath.Base(f), ".json"), status)
	}
}

func cmdPostMany(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: postmany N URL FILE")
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	body := []byte(ts.ReadFile(args[2]))
	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		errs     []error
		wg       sync.WaitGroup
		start    = make(chan struct{})
	)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			status, _, err := postFile(args[1], body, nil)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			statuses[status]++
		}()
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		ts.Fatalf("%d of %d requests failed; first: %v", len(errs), n, errs[0])
	}
	var codes []int
	for c := range statuses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for _, c := range codes {
		fmt.Fprintf(ts.Stdout(), "%d %d\n", statuses[c], c)
	}
}

func cmdRequest(ts *testscript.TestScript, neg bool, args []string) {
	headers, args := headerArgs(args)
	until := 0
	if len(args) > 1 && args[0] == "-until" {
		var err error
		until, err = strconv.Atoi(args[1])
		ts.Check(err)
		args = args[2:]
	}
	withBody := len(args) > 0 && args[0] == "-b"
	if withBody {
		args = args[1:]
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: request [-H Name:Value]... [-until STATUS] [-b] METHOD URL")
	}
	var resp *http.Response
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		req, err := http.NewRequest(args[0], args[1], nil)
		ts.Check(err)
		req.Header = headers
		resp, err = listenClient.Do(req)
		ts.Check(err)
		if until == 0 || resp.StatusCode == until || time.Now().After(deadline) {
			break
		}
		resp.Body.Close()
	}
	defer resp.Body.Close()
	if !withBody {
		fmt.Fprintf(ts.Stdout(), "%d\n", resp.StatusCode)
		return
	}
	b, err := io.ReadAll(resp.Body)
	ts.Check(err)
	fmt.Fprintf(ts.Stdout(), "%d %s\n", resp.StatusCode, bytes.TrimSpace(b))
}

func cmdRecLines(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: reclines FILE N")
	}
	want, err := strconv.Atoi(args[1])
	ts.Check(err)
	data := []byte(ts.ReadFile(args[0]))
	if len(data) > 0 && data[len(data)-1] != '\n' {
		ts.Fatalf("%s: the last line is not whole", args[0])
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), record.MaxLine)
	lines := 0
	statuses := map[int]int{}
	clear := 0
	for sc.Scan() {
		lines++
		var e record.Entry
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			ts.Fatalf("%s:%d: not a whole recording entry: %v", args[0], lines, err)
		}
		if e.Time.IsZero() || e.Method == "" || e.Response.Status == 0 {
			ts.Fatalf("%s:%d: incomplete entry", args[0], lines)
		}
		statuses[e.Response.Status]++
		var body map[string]any
		if json.Unmarshal(e.RawBody(), &body) == nil {
			if s, ok := body["secret_key"].(string); ok && s != "<redacted>" {
				clear++
			}
		}
	}
	ts.Check(sc.Err())
	if lines != want {
		ts.Fatalf("%s: %d lines, want %d", args[0], lines, want)
	}
	var codes []int
	for c := range statuses {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for _, c := range codes {
		fmt.Fprintf(ts.Stdout(), "status %d: %d\n", c, statuses[c])
	}
	if clear > 0 {
		fmt.Fprintf(ts.Stdout(), "secret_key in clear: %d\n", clear)
	}
}
