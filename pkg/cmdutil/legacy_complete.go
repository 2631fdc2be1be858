package cmdutil

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload"
)

// Legacy shell completion helpers. Completion runs through cobra's hidden
// __complete command, which skips PersistentPreRunE, so these read the
// settings themselves (flag > env > config files > default) to know which
// API version's actions to offer.
//
// Most completions are registered for the whole tree by
// RegisterDefaultCompletions (--api-version, --action, --color, --config).
// A command adds the ones only it knows with one call each:
//
//	cmdutil.CompleteFormats(cmd, "text", "json")  // --format values
//	cmdutil.CompleteActionArg(f, cmd)             // first argument is an action
//	cmdutil.CompletePathArgs(cmd, "json")         // arguments are files/dirs
//	cmdutil.CompleteFileFlag(cmd, "record", "jsonl")

// CompleteFormats completes --format with the given values.
func CompleteFormats(cmd *cobra.Command, formats ...string) {
	completeFlag(cmd, "format", CompleteValues(formats...))
}

// CompleteActions completes the --action flag of cmd (if it has one) with
// the action names of the selected API version.
func CompleteActions(f *Factory, cmd *cobra.Command) {
	completeFlag(cmd, "action", actionNames(f))
}

// CompleteActionArg completes cmd's first positional argument with action
// names (lcwh schema ACTION, lcwh send ACTION).
func CompleteActionArg(f *Factory, cmd *cobra.Command) {
	names := actionNames(f)
	cmd.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return names(cmd, args, toComplete)
	}
}

// RegisterDefaultCompletions walks the tree and completes, wherever the
// flag exists and has no completion yet: --api-version (known versions),
// --action (action names), --color, --config (YAML files), and --format
// from its usage text when that reads "output format: a, b or c".
func RegisterDefaultCompletions(f *Factory, root *cobra.Command) {
	// Registered on every run, called only when completing: list the
	// versions then, not while building the tree.
	versions := func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return CompleteValues(payload.Versions()...)(cmd, args, toComplete)
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		completeFlag(c, "api-version", versions)
		completeFlag(c, "action", actionNames(f))
		completeFlag(c, "color", CompleteValues(iostreams.ColorModes...))
		if fl := localFlag(c, "format"); fl != nil {
			if formats := formatsFromUsage(fl.Usage); len(formats) > 0 {
				completeFlag(c, "format", CompleteValues(formats...))
			}
		}
		completeFlag(c, "config", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// formatsFromUsage reads the values from a usage string written the lcwh
// way: "output format: pretty, json, compact, summary or raw (default ...)".
func formatsFromUsage(usage string) []string {
	_, list, ok := strings.Cut(usage, "format: ")
	if !ok {
		return nil
	}
	list, _, _ = strings.Cut(list, "(")
	list, _, _ = strings.Cut(list, ";")
	var out []string
	for _, part := range strings.Split(strings.ReplaceAll(list, " or ", ", "), ",") {
		word := strings.TrimSpace(part)
		if word == "" || strings.ContainsAny(word, " .") {
			return nil // not a plain list: complete nothing rather than nonsense
		}
		out = append(out, word)
	}
	return out
}

// actionNames completes action names of the API version the command line
// (or the environment, or a config file) selects, with their descriptions.
func actionNames(f *Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		version := payload.DefaultVersion
		if fl := cmd.Flags().Lookup("api-version"); fl != nil {
			version = fl.Value.String()
		}
		if cf := cmd.Flags().Lookup("config"); cf != nil && f != nil && f.Getenv != nil {
			explicit := cf.Value.String()
			if explicit == "" {
				explicit = f.Getenv("LCWH_CONFIG")
			}
			probe := &Factory{IO: f.IO, Getenv: f.Getenv}
			if err := probe.LoadSettings(cmd.Flags(), explicit); err == nil && probe.Settings.GetString("api_version") != "" {
				version = probe.Settings.GetString("api_version")
			}
		}
		c, err := payload.CatalogFor(version)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, a := range c.Actions {
			if strings.HasPrefix(a.Name, toComplete) {
				out = append(out, cobra.CompletionWithDesc(a.Name, a.Description))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
