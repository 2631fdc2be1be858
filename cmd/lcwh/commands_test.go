package main

import (
	"fmt"

	"github.com/rogpeppe/go-internal/testscript"
)

// scriptCmd is a custom command for the end-to-end scripts.
type scriptCmd = func(ts *testscript.TestScript, neg bool, args []string)

// scriptCmds holds the custom script commands; each feature's test file
// adds its own in an init function, so features never edit one map.
var scriptCmds = map[string]scriptCmd{}

func scriptCommands() map[string]scriptCmd { return scriptCmds }

// scriptConds holds the custom conditions ([name] in a script), added
// like scriptCmds.
var scriptConds = map[string]func() bool{}

func scriptCondition(cond string) (bool, error) {
	if c, ok := scriptConds[cond]; ok {
		return c(), nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}
