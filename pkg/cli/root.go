// Package cli assembles the lcwh command tree and turns its result into
// an exit code. It is the only place that knows every command.
package cli

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/build"
	"github.com/lcwh/lcwh/pkg/cmd/actions"
	configcmd "github.com/lcwh/lcwh/pkg/cmd/config"
	listencmd "github.com/lcwh/lcwh/pkg/cmd/listen"
	printcmd "github.com/lcwh/lcwh/pkg/cmd/print"
	"github.com/lcwh/lcwh/pkg/cmd/replay"
	"github.com/lcwh/lcwh/pkg/cmd/schema"
	"github.com/lcwh/lcwh/pkg/cmd/send"
	testcmd "github.com/lcwh/lcwh/pkg/cmd/test"
	typescmd "github.com/lcwh/lcwh/pkg/cmd/types"
	"github.com/lcwh/lcwh/pkg/cmd/validate"
	versioncmd "github.com/lcwh/lcwh/pkg/cmd/version"
	"github.com/lcwh/lcwh/pkg/cmdflags"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/config"
	"github.com/lcwh/lcwh/pkg/iostreams"
)

// Main runs lcwh with args and returns the process exit code.
func Main(args []string, io *iostreams.IOStreams, getenv func(string) string) int {
	if len(args) == 1 && (args[0] == "--version" || args[0] == "-v") {
		// What cobra prints for the root's --version flag, without building
		// the command tree: the flag is answered before any configuration
		// is read anyway (TestVersionFastPath holds the two together).
		fmt.Fprintf(io.Out, "lcwh %s\n", versionString())
		return 0
	}
	f := &cmdutil.Factory{IO: io, Getenv: getenv}
	root := NewCmdRoot(f)
	root.SetArgs(args)
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	err := root.Execute()
	if err != nil && cmdutil.ExitCode(err) == cmdutil.ExitFailure && strings.HasPrefix(err.Error(), "unknown command ") {
		// cobra's own error for `lcwh nosuch`: a usage error like the others
		err = cmdutil.UsageError("%s\nRun 'lcwh --help' for usage.", strings.TrimRight(err.Error(), "\n"))
	}
	if err != nil && !errors.Is(err, cmdutil.ErrSilent) {
		fmt.Fprintf(io.ErrOut, "%s %s\n", iostreams.NewPalette(io.ColorErr()).Red("error:"), err)
	}
	return cmdutil.ExitCode(err)
}

// NewCmdRoot builds the command tree.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	var color string
	root := &cobra.Command{
		Use:   "lcwh",
		Short: "The LiveChat webhooks toolkit",
		Long: `lcwh validates, prints, receives and sends LiveChat (Text platform) webhooks,
fully offline. It knows every action's exact payload for each API version.`,
		Example: `  # Receive webhooks while you develop (and open the web inspector it prints)
  lcwh listen --forward-to http://localhost:3000/webhooks

  # Test your endpoint with a realistic webhook, exactly as LiveChat sends it
  lcwh send incoming_chat --to http://localhost:3000/webhooks

  # Check fixture files in CI, with GitHub annotations
  lcwh validate --format github fixtures/

  # Pretty-print a webhook from stdin
  cat webhook.json | lcwh print`,
		Version:       versionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if skipsSettings(cmd) {
				return nil // help and completion scripts work even with a broken config
			}
			if err := f.ApplyConfig(cmd); err != nil {
				return err
			}
			cfg, _ := f.Config() // read by ApplyConfig
			if err := cmdflags.CheckRoutes(cfg); err != nil {
				return &cmdutil.ExitError{Code: cmdutil.ExitUsage, Err: err}
			}
			f.IO.SetColorMode(color, f.Getenv)
			warnUnknownKeys(f.IO, cfg, cmd.Root())
			return nil
		},
	}
	root.SetVersionTemplate("lcwh {{.Version}}\n")
	cmdutil.PersistentStringEnumFlag(root, &color, "color", "", "auto", iostreams.ColorModes, "colour output").Usage += " (NO_COLOR disables auto)"
	root.PersistentFlags().StringVar(&f.ConfigFile, "config", "", "config file (default $XDG_CONFIG_HOME/lcwh/config.yaml and ./.lcwh.yaml)")
	_ = root.RegisterFlagCompletionFunc("config", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
	})
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return cmdutil.UsageError("%v\nRun '%s --help' for usage.", flagError(cmd, err), cmd.CommandPath())
	})
	root.AddCommand(
		validate.NewCmdValidate(f, nil),
		actions.NewCmdActions(f, nil),
		schema.NewCmdSchema(f, nil),
		typescmd.NewCmdTypes(f, nil),
		send.NewCmdSend(f, nil),
		replay.NewCmdReplay(f, nil),
		testcmd.NewCmdTest(f, nil),
		printcmd.NewCmdPrint(f, nil),
		listencmd.NewCmdListen(f, nil),
	)
	root.AddCommand(
		configcmd.NewCmdConfig(f),
		versioncmd.NewCmdVersion(f, nil),
	)
	root.AddCommand(helpTopics()...)
	addCompletionCmd(root)
	usageErrors(root)
	fillEnvironmentTopic(root)
	return root
}

// warnUnknownKeys warns, once a run, of each key of the config files no
// command knows: a typo that would otherwise be ignored in silence.
func warnUnknownKeys(io *iostreams.IOStreams, cfg *config.Config, root *cobra.Command) {
	if len(cfg.Files) == 0 {
		return
	}
	pal := iostreams.NewPalette(io.ColorErr())
	for _, w := range cfg.UnknownKeys(cmdutil.TreeKeys(root)) {
		fmt.Fprintf(io.ErrOut, "%s %v\n", pal.Yellow("warning:"), w)
	}
}

// versionString is the root command's Version: "v1.2.3 (commit abc, built date)".
func versionString() string {
	version, commit, date := build.Info()
	return fmt.Sprintf("%s (commit %s, built %s)", version, commit, date)
}

// pflagInvalid matches pflag's error for a value a flag refuses.
var pflagInvalid = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^invalid argument (".*") for "(?:-., )?--([^"]+)" flag: (.*)$`)
})

// flagError words a refused flag value as a refused configured value is
// worded: --count "abc": want a whole number.
func flagError(cmd *cobra.Command, err error) error {
	m := pflagInvalid().FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	why := errors.New(m[3])
	if fl := cmd.Flags().Lookup(m[2]); fl != nil {
		why = config.Explain(fl, why)
	}
	return fmt.Errorf("--%s %s: %v", m[2], m[1], why)
}

// usageErrors makes every way of calling a command wrongly a usage error
// (exit 2): argument counts, a group (lcwh config, lcwh completion) given
// an unknown subcommand, and help on an unknown topic. cobra's default
// is to print help and exit 0 for the last two.
func usageErrors(root *cobra.Command) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if check := c.Args; check != nil {
			c.Args = func(cmd *cobra.Command, args []string) error {
				if err := check(cmd, args); err != nil {
					return cmdutil.UsageError("%v\nRun '%s --help' for usage.", err, cmd.CommandPath())
				}
				return nil
			}
		}
		if c.HasParent() && c.HasSubCommands() && !c.Runnable() {
			c.RunE = func(cmd *cobra.Command, args []string) error {
				if len(args) > 0 {
					return cmdutil.UsageError("unknown command %q for %q\nRun '%s --help' for usage.", args[0], cmd.CommandPath(), cmd.CommandPath())
				}
				return cmd.Help()
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	for _, c := range root.Commands() {
		walk(c)
	}
	root.InitDefaultHelpCmd()
	help, _, err := root.Find([]string{"help"})
	if err != nil || help.Run == nil {
		return
	}
	run := help.Run
	help.Run = nil
	help.RunE = func(c *cobra.Command, args []string) error {
		if _, rest, err := c.Root().Find(args); err != nil || len(rest) > 0 {
			return cmdutil.UsageError("unknown help topic %q\nRun 'lcwh help' for the commands and topics.", strings.Join(args, " "))
		}
		run(c, args)
		return nil
	}
}
