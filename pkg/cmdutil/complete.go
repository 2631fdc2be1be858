package cmdutil

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Shell completion helpers. Enum flags complete by themselves
// (StringEnumFlag); a command adds the rest with one call each:
//
//	cmdutil.CompletePathArgs(cmd, "json")             // arguments are files/dirs
//	cmdutil.CompleteFileFlag(cmd, "record", "jsonl")  // a flag names a file

// CompleteValues completes with those of values that start with what is typed.
func CompleteValues(values ...string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []string
		for _, v := range values {
			if strings.HasPrefix(v, toComplete) {
				out = append(out, v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// CompleteList completes a comma-separated list (--actions a,b) with
// fn's completions of its last item, each prefixed by the items before.
func CompleteList(fn cobra.CompletionFunc) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		i := strings.LastIndexByte(toComplete, ',')
		head := toComplete[:i+1]
		out, dir := fn(cmd, args, toComplete[i+1:])
		for j := range out {
			out[j] = head + out[j]
		}
		if head != "" {
			dir |= cobra.ShellCompDirectiveNoSpace
		}
		return out, dir
	}
}

// CompletePathArgs completes every positional argument with files having
// one of exts (and directories).
func CompletePathArgs(cmd *cobra.Command, exts ...string) {
	cmd.ValidArgsFunction = func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return exts, cobra.ShellCompDirectiveFilterFileExt
	}
}

// CompleteFileFlag completes the value of cmd's flag with files having
// one of exts.
func CompleteFileFlag(cmd *cobra.Command, flag string, exts ...string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return exts, cobra.ShellCompDirectiveFilterFileExt
	})
}

// isLocal tells whether fl, a flag of c.Flags(), is c's own non-persistent
// flag rather than c's persistent flag or one inherited from a parent
// (cobra merges those into c.Flags() as the same *pflag.Flag).
func isLocal(c *cobra.Command, fl *pflag.Flag) bool {
	if c.PersistentFlags().Lookup(fl.Name) != nil {
		return false
	}
	for p := c.Parent(); p != nil; p = p.Parent() {
		if p.PersistentFlags().Lookup(fl.Name) == fl {
			return false
		}
	}
	return true
}
