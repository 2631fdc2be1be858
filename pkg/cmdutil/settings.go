package cmdutil

import (
	"sort"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lcwh/lcwh/pkg/config"
)

// TreeSettings lists every key the command tree reads: one per flag name
// (with the first default found, walking the tree in order) plus
// FileOnlyKeys, sorted by key. `lcwh help environment`, `lcwh config show`
// and the config file checks are built from it, so they never drift from
// the commands.
func TreeSettings(root *cobra.Command) []config.Setting {
	seen := map[string]bool{}
	var out []config.Setting
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			return
		}
		visit := func(fl *pflag.Flag) {
			if !config.Configurable(fl.Name) {
				return
			}
			key := config.Key(fl.Name)
			if seen[key] {
				return
			}
			seen[key] = true
			def := fl.DefValue
			if def == "[]" {
				def = ""
			}
			out = append(out, config.Setting{Key: key, Default: def, Usage: fl.Usage})
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
	for _, s := range config.FileOnlyKeys {
		if !seen[s.Key] {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}
