package main

import (
	"bufio"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// Script commands for slow senders:
//
//	drip N URL
//	    opens N connections to URL that each send a request's headers and
//	    the start of a body, then a byte every 200 ms, in the background.
//	dripcheck
//	    fails if any of them has been answered yet.
//	dripwait SECONDS
//	    waits up to SECONDS for every one to be answered; prints
//	    "N STATUS" per status line ("closed" for a connection closed
//	    without an answer).
func init() {
	scriptCmds["drip"] = cmdDrip
	scriptCmds["dripcheck"] = cmdDripCheck
	scriptCmds["dripwait"] = cmdDripWait
}

type drippers struct {
	mu       sync.Mutex
	answered []string // one per dripper, "" while unanswered
	done     chan struct{}
	left     int
}

var dripping sync.Map // *testscript.TestScript -> *drippers

func cmdDrip(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: drip N URL")
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	u, err := url.Parse(args[1])
	ts.Check(err)
	d := &drippers{answered: make([]string, n), done: make(chan struct{}), left: n}
	dripping.Store(ts, d)
	stop := make(chan struct{})
	ts.Defer(func() { close(stop) })
	head := "POST " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"a\":\""
	for i := range n {
		c, err := net.DialTimeout("tcp", u.Host, 10*time.Second)
		ts.Check(err)
		ts.Defer(func() { c.Close() })
		_, err = c.Write([]byte(head))
		ts.Check(err)
		go func() {
			t := time.NewTicker(200 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
				}
				if _, err := c.Write([]byte("x")); err != nil {
					return
				}
			}
		}()
		go func() {
			status, err := bufio.NewReader(c).ReadString('\n')
			status = strings.TrimSpace(status)
			if err != nil && status == "" {
				status = "closed"
			}
			d.mu.Lock()
			defer d.mu.Unlock()
			d.answered[i] = status
			if d.left--; d.left == 0 {
				close(d.done)
			}
		}()
	}
}

func dripState(ts *testscript.TestScript) *drippers {
	v, ok := dripping.Load(ts)
	if !ok {
		ts.Fatalf("no drip before")
	}
	return v.(*drippers)
}

func cmdDripCheck(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: dripcheck")
	}
	d := dripState(ts)
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, a := range d.answered {
		if a != "" {
			ts.Fatalf("slow sender %d was answered already: %s", i+1, a)
		}
	}
}

func cmdDripWait(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: dripwait SECONDS")
	}
	secs, err := strconv.Atoi(args[0])
	ts.Check(err)
	d := dripState(ts)
	select {
	case <-d.done:
	case <-time.After(time.Duration(secs) * time.Second):
		ts.Fatalf("%d slow senders still not answered after %ds", d.left, secs)
	}
	count := map[string]int{}
	for _, a := range d.answered {
		count[a]++
	}
	var statuses []string
	for s := range count {
		statuses = append(statuses, s)
	}
	sort.Strings(statuses)
	for _, s := range statuses {
		fmt.Fprintf(ts.Stdout(), "%d %s\n", count[s], s)
	}
}
