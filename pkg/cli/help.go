package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/config"
)

// helpTopics returns the additional help topics (`lcwh help exit-codes`,
// `lcwh help environment`). They have no Run, so cobra lists them under
// "Additional help topics" and `lcwh help TOPIC` prints their Long text.
// The environment topic is filled in by fillEnvironmentTopic once the tree
// is complete, so it lists every flag's variable.
func helpTopics() []*cobra.Command {
	var b strings.Builder
	b.WriteString("lcwh exits with one of these codes (scripts and CI can rely on them):\n\n")
	for _, c := range cmdutil.ExitCodes {
		fmt.Fprintf(&b, "  %-4d %s\n", c.Code, c.Meaning)
	}
	b.WriteString(`
A command says which codes it uses in its own help; validate, for example,
exits 0 when every file is valid, 1 when any is invalid, 2 on a usage error.`)
	return []*cobra.Command{
		{
			Use:   "exit-codes",
			Short: "The exit codes of lcwh",
			Long:  b.String(),
		},
		{
			Use:   "environment",
			Short: "Every environment variable lcwh reads",
		},
	}
}

// fillEnvironmentTopic writes the environment topic from the tree's flags.
func fillEnvironmentTopic(root *cobra.Command) {
	env, _, err := root.Find([]string{"environment"})
	if err != nil || env == root {
		return
	}
	var b strings.Builder
	b.WriteString(`Every flag can also be set with an LCWH_* environment variable (and a config
file key): --api-version is LCWH_API_VERSION and api_version. The precedence is
flag > environment > ./.lcwh.yaml > $XDG_CONFIG_HOME/lcwh/config.yaml > default.
A flag that takes many values reads its variable as a list separated by commas
(LCWH_ACTIONS=incoming_chat,incoming_event); LCWH_HEADER holds one header per
line, LCWH_SECRETS (and listen's LCWH_SECRET) secrets separated by commas or
spaces. Every value is checked as the flag checks it, and an error names the
variable (LCWH_COUNT="abc": want a whole number) or the file and line.

  LCWH_CONFIG            config file to read instead of the project and user files
`)
	for _, s := range cmdutil.TreeSettings(root) {
		if s.Key == "routes" {
			continue // a map: config files only
		}
		if s.Uses == nil {
			fmt.Fprintf(&b, "  %-22s %s\n", config.EnvName(s.Key), withDefault(s.Usage, s.Default))
			continue
		}
		fmt.Fprintf(&b, "  %-22s per command:\n", config.EnvName(s.Key))
		for _, u := range s.Uses {
			fmt.Fprintf(&b, "  %-22s   %s: %s\n", "", strings.Join(u.Commands, ", "), withDefault(u.Usage, u.Default))
		}
	}
	b.WriteString(`
Other variables:

  XDG_CONFIG_HOME        where the user config lives ($XDG_CONFIG_HOME/lcwh/config.yaml)
  NO_COLOR               any value turns colour off when --color is auto
  CLICOLOR_FORCE         a value other than 0 turns colour on when --color is auto`)
	env.Long = b.String()
}

// withDefault ends usage with the default, as --help does: zero values
// ("", false, 0, 0s) go unsaid.
func withDefault(usage, def string) string {
	switch def {
	case "", "false", "0", "0s":
		return usage
	}
	return fmt.Sprintf("%s (default %s)", usage, def)
}

// addCompletionCmd adds cobra's `completion` command now (instead of at
// Execute) so the docs include it, and gives it and its shells examples.
func addCompletionCmd(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	comp, _, err := root.Find([]string{"completion"})
	if err != nil || comp == root {
		return
	}
	comp.Example = `  # Try it in the current bash session
  source <(lcwh completion bash)

  # Install for zsh (a directory on your $fpath)
  lcwh completion zsh > "${fpath[1]}/_lcwh"

  # Then: lcwh schema inc<TAB>  ->  incoming_chat, incoming_event, ...`
	examples := map[string]string{
		"bash":       "  source <(lcwh completion bash)\n  lcwh completion bash > /etc/bash_completion.d/lcwh",
		"zsh":        "  lcwh completion zsh > \"${fpath[1]}/_lcwh\"",
		"fish":       "  lcwh completion fish > ~/.config/fish/completions/lcwh.fish",
		"powershell": "  lcwh completion powershell | Out-String | Invoke-Expression",
	}
	for _, sh := range comp.Commands() {
		sh.Example = examples[sh.Name()]
	}
}

// skipsSettings tells the commands that must work whatever the
// configuration holds, and say nothing of it: help, cobra's completion
// script generators, and the shells' completion requests (a completion
// that needs the configuration reads it itself).
func skipsSettings(cmd *cobra.Command) bool {
	switch cmd.Name() {
	case "help", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
		return true
	}
	return cmd.HasParent() && cmd.Parent().Name() == "completion" && cmd.Parent().Parent() == cmd.Root()
}
