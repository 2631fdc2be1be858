package cmdutil

import (
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lcwh/lcwh/pkg/config"
)

// TreeSettings lists every key the command tree reads: one per flag name
// (with the first definition found, walking the tree in order, and every
// other one in Uses) plus FileOnlyKeys, sorted by key. `lcwh help
// environment`, `lcwh config show` and the config file checks are built
// from it, so they never drift from the commands.
func TreeSettings(root *cobra.Command) []config.Setting {
	index := map[string]int{}
	var out []config.Setting
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			return
		}
		name := strings.TrimPrefix(c.CommandPath(), root.Name()+" ")
		visit := func(fl *pflag.Flag) {
			if !config.Configurable(fl.Name) {
				return
			}
			key := config.Key(fl.Name)
			_, usage := pflag.UnquoteUsage(fl) // `FROM,TO` names the value in --help only
			def := fl.DefValue
			if def == "[]" {
				def = ""
			}
			use := config.Use{Commands: []string{name}, Default: def, Usage: usage}
			i, seen := index[key]
			if !seen {
				index[key] = len(out)
				out = append(out, config.Setting{Key: key, Default: use.Default, Usage: use.Usage, Uses: []config.Use{use}})
				return
			}
			s := &out[i]
			for j := range s.Uses {
				if u := &s.Uses[j]; u.Default == use.Default && u.Usage == use.Usage {
					u.Commands = append(u.Commands, name)
					return
				}
			}
			s.Uses = append(s.Uses, use)
		}
		c.PersistentFlags().VisitAll(visit)
		c.Flags().VisitAll(func(fl *pflag.Flag) { // c.LocalNonPersistentFlags(), without building it
			if isLocal(c, fl) {
				visit(fl)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	for i := range out {
		if len(out[i].Uses) == 1 {
			out[i].Uses = nil // one definition: Default and Usage say it
		}
	}
	for _, s := range config.FileOnlyKeys {
		if _, seen := index[s.Key]; !seen {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// TreeKeys are the keys of TreeSettings: every key a config file may set.
func TreeKeys(root *cobra.Command) []string {
	settings := TreeSettings(root)
	keys := make([]string, len(settings))
	for i, s := range settings {
		keys[i] = s.Key
	}
	return keys
}
