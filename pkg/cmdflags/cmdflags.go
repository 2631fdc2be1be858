// Package cmdflags defines the flags several commands share that know
// LiveChat: --api-version, action names (arguments, --action, --actions)
// and the delivery flags of the commands that send webhooks. Each is
// defined once here, with its help, its check and its completion, so the
// commands cannot drift apart. (cmdutil holds the helpers that know
// nothing of LiveChat.)
package cmdflags

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/payload"
)

// APIVersion defines --api-version bound to p: a version lcwh knows (or
// "auto", guessed per body, when auto), default payload.DefaultVersion.
func APIVersion(cmd *cobra.Command, p *string, auto bool, usage string) *pflag.Flag {
	values := payload.Versions()
	if auto {
		values = append(values, payload.Auto)
	}
	return cmdutil.StringEnumFlag(cmd, p, "api-version", "", payload.DefaultVersion, values, usage)
}

// ActionArg completes cmd's first argument with the action names of the
// API version in effect (lcwh send ACTION, lcwh schema ACTION).
func ActionArg(f *cmdutil.Factory, cmd *cobra.Command) {
	names := actionNames(f)
	cmd.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return names(cmd, args, toComplete)
	}
}

// Action defines --action bound to p, completing action names.
func Action(f *cmdutil.Factory, cmd *cobra.Command, p *string, usage string) {
	cmd.Flags().StringVar(p, "action", "", usage)
	_ = cmd.RegisterFlagCompletionFunc("action", actionNames(f))
}

// Actions defines --actions bound to p: action names, comma-separated or
// repeated, completing each.
func Actions(f *cmdutil.Factory, cmd *cobra.Command, p *[]string, usage string) {
	cmd.Flags().StringSliceVar(p, "actions", nil, usage)
	_ = cmd.RegisterFlagCompletionFunc("actions", cmdutil.CompleteList(actionNames(f)))
}

// CheckActions refuses the names that API version lacks, naming where
// they were set: cmd's flag (--action, --actions), or the arguments when
// flag is "".
func CheckActions(cmd *cobra.Command, flag, version string, names ...string) error {
	c, err := payload.CatalogFor(version)
	if err != nil {
		return cmdutil.UsageError("%v", err)
	}
	for _, name := range names {
		if _, err := c.Require(name); err != nil {
			if flag == "" {
				return cmdutil.UsageError("%v", err)
			}
			return cmdutil.UsageError("%s: %v", cmdutil.FlagName(cmd, flag), err)
		}
	}
	return nil
}

// actionNames completes the action names, with their descriptions, of
// the API version the command line, the environment or a config file
// selects. Completion skips the root's PersistentPreRunE, so it applies
// the configuration itself.
func actionNames(f *cmdutil.Factory) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		version := payload.DefaultVersion
		if fl := cmd.Flags().Lookup("api-version"); fl != nil {
			_ = f.ApplyConfig(cmd) // a broken config leaves the default
			version = fl.Value.String()
		}
		c, err := payload.CatalogFor(version)
		if err != nil {
			c, _ = payload.CatalogFor(payload.DefaultVersion) // --api-version auto
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
