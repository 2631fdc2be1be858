package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// Script commands for how deliveries end:
//
//	dropserver NAME
//	    starts a loopback server that reads each request and closes the
//	    connection without answering (as a crashing receiver does), and sets
//	    $NAME_URL.
//	refusedurl NAME
//	    sets $NAME_URL to a loopback address nothing listens on.
func init() {
	scriptCmds["dropserver"] = cmdDropServer
	scriptCmds["refusedurl"] = cmdRefusedURL
}

func cmdDropServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: dropserver NAME")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	ts.Defer(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				if req, err := http.ReadRequest(bufio.NewReader(conn)); err == nil {
					io.Copy(io.Discard, req.Body)
				}
			}()
		}
	}()
	ts.Setenv(strings.ToUpper(args[0])+"_URL", "http://"+ln.Addr().String()+"/webhooks")
}

func cmdRefusedURL(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: refusedurl NAME")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	ts.Check(err)
	addr := ln.Addr().String()
	ts.Check(ln.Close())
	ts.Setenv(strings.ToUpper(args[0])+"_URL", "http://"+addr+"/webhooks")
}
