package main

import (
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/rogpeppe/go-internal/testscript"
)

// Script commands for the bodies send makes:
//
//	distinctids DIR KEY...
//	    checks that the *.json bodies in DIR (at least two) each have a
//	    value for every KEY (the first member of that name, at any depth)
//	    and that no two bodies share one.
func init() {
	scriptCmds["distinctids"] = cmdDistinctIDs
}

func cmdDistinctIDs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: distinctids DIR KEY...")
	}
	files, _ := filepath.Glob(filepath.Join(ts.MkAbs(args[0]), "*.json"))
	if len(files) < 2 {
		ts.Fatalf("%s: %d bodies, want at least 2", args[0], len(files))
	}
	for _, key := range args[1:] {
		seen := map[string]string{}
		for _, f := range files {
			b, err := os.ReadFile(f)
			ts.Check(err)
			var v any
			ts.Check(json.Unmarshal(b, &v))
			id, ok := firstMember(v, key)
			if !ok {
				ts.Fatalf("%s has no %s", filepath.Base(f), key)
			}
			if other, dup := seen[id]; dup {
				ts.Fatalf("%s and %s share %s %s", other, filepath.Base(f), key, id)
			}
			seen[id] = filepath.Base(f)
		}
		ts.Logf("%d bodies, %d distinct %s", len(files), len(seen), key)
	}
}

// firstMember finds the first string member named key, depth first.
func firstMember(v any, key string) (string, bool) {
	switch v := v.(type) {
	case map[string]any:
		if s, ok := v[key].(string); ok {
			return s, true
		}
		for _, m := range v {
			if s, ok := firstMember(m, key); ok {
				return s, true
			}
		}
	case []any:
		for _, e := range v {
			if s, ok := firstMember(e, key); ok {
				return s, true
			}
		}
	}
	return "", false
}
