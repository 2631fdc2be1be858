package main

import (
	"os"
	"strconv"

	"github.com/rogpeppe/go-internal/testscript"
)

// Script command for names a script cannot write:
//
//	cpq SRC NAME
//	    copies SRC to NAME, read as a Go string literal without its
//	    quotes, so a name may hold control characters: 'bad\x1b[31m.json'.
func init() {
	scriptCmds["cpq"] = cmdCpq
}

func cmdCpq(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cpq SRC NAME")
	}
	name, err := strconv.Unquote(`"` + args[1] + `"`)
	ts.Check(err)
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(name), data, 0o644))
}
