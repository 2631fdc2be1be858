// Package config is the `lcwh config` command: show the effective
// configuration and where each value comes from, and write a starter file.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/config"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/report"
)

// NewCmdConfig returns `lcwh config` with its subcommands.
func NewCmdConfig(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show the effective configuration or write a starter config file",
		Long: `lcwh reads settings from flags, LCWH_* environment variables, the project file
./.lcwh.yaml and the user file $XDG_CONFIG_HOME/lcwh/config.yaml, in that order of
precedence (--config FILE or LCWH_CONFIG replaces both files). Every flag is also
a key: --api-version is api_version in a file and LCWH_API_VERSION in the
environment. Run "lcwh help environment" for every variable.`,
		Example: `  # What would lcwh use here, and why?
  lcwh config show

  # Start a project configuration, committed with the code
  lcwh config init --project`,
	}
	cmd.AddCommand(NewCmdShow(f, nil), NewCmdInit(f, nil))
	return cmd
}

// ShowOptions are the inputs of `config show`.
type ShowOptions struct {
	Format string
	Config *config.Config
	// Command is the running command: its own flags (--color, from the
	// root) show their sources; its root has every setting.
	Command *cobra.Command
	Getenv  func(string) string
}

// NewCmdShow returns `lcwh config show`.
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{Getenv: f.Getenv}
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Print the effective configuration and where each value comes from",
		Long: `Show prints every configuration key with its effective value and its source:
"flag --x", "env LCWH_X", the path of the config file that set it, or "default".
Secrets are redacted, those of secret_file included. Keys no lcwh command knows
are listed as warnings (a typo in a file); values a command would refuse are
errors, with the variable or the file and line that set them (exit 2).`,
		Example: `  # As a table
  lcwh config show

  # Which API version will CI use?
  lcwh config show --format json | jq -r '.settings[] | select(.key=="api_version") | .value'

  # Check a specific file
  lcwh config show --config ci/lcwh.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := f.Config()
			if err != nil {
				return err
			}
			opts.Config, opts.Command = cfg, cmd
			if runF != nil {
				return runF(opts)
			}
			return RunShow(f.IO, opts)
		},
	}
	cmdutil.FormatFlag(cmd, &opts.Format, "text", "text", "json")
	return cmd
}

// Entry is one line of `config show`.
type Entry struct {
	Key     string   `json:"key"`
	Value   any      `json:"value"`
	Secrets []string `json:"secrets,omitempty"` // what secret_file holds, redacted
	Source  string   `json:"source"`
}

// Shown is what `config show --format json` prints.
type Shown struct {
	Files    []string `json:"files"`
	Settings []Entry  `json:"settings"`
	Unknown  []string `json:"unknown,omitempty"`
	Errors   []string `json:"errors,omitempty"`
}

// alwaysShown are the settings `config show` lists even when unset.
var alwaysShown = []string{"addr", "api_version", "color", "format", "forward_to", "path", "routes", "secret", "secret_file", "secrets"}

// RunShow prints the effective configuration.
func RunShow(io *iostreams.IOStreams, opts *ShowOptions) error {
	cfg, root := opts.Config, opts.Command.Root()
	known := map[string]config.Setting{}
	for _, s := range cmdutil.TreeSettings(root) {
		known[s.Key] = s
	}
	shown := Shown{Files: cfg.Paths()}
	keys := map[string]bool{}
	for _, k := range alwaysShown {
		if _, ok := known[k]; ok {
			keys[k] = true
		}
	}
	for _, file := range cfg.Files {
		for _, k := range file.Keys {
			if _, ok := known[k]; ok {
				keys[k] = true
			}
		}
	}
	for _, w := range cfg.UnknownKeys(cmdutil.TreeKeys(root)) {
		shown.Unknown = append(shown.Unknown, w.Error()) // pkg/cli warned of them on stderr
	}
	for k := range known {
		if _, set := cfg.Lookup(k); set || opts.Command.Flags().Changed(strings.ReplaceAll(k, "_", "-")) {
			keys[k] = true
		}
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		switch k {
		case "routes":
			shown.Settings = append(shown.Settings, routeEntries(cfg)...)
		case "secret_file":
			e, err := secretFileEntry(cfg)
			if err != nil {
				shown.Errors = append(shown.Errors, err.Error())
			}
			shown.Settings = append(shown.Settings, e)
		default:
			shown.Settings = append(shown.Settings, entry(opts.Command, cfg, known[k]))
		}
	}
	shown.Errors = append(shown.Errors, check(opts.Command, cfg)...)
	if opts.Format == "json" {
		if err := report.WriteJSON(io.Out, shown); err != nil {
			return err
		}
	} else if err := renderShow(io, shown); err != nil {
		return err
	}
	if len(shown.Errors) > 0 {
		return cmdutil.SilentExit(cmdutil.ExitUsage)
	}
	return nil
}

// entry is the effective value of s and its source: the running
// command's own flag (--color), else the configuration, else the default.
func entry(cmd *cobra.Command, cfg *config.Config, s config.Setting) Entry {
	e := Entry{Key: s.Key, Value: s.Default, Source: "default"}
	if fl := cmd.Flags().Lookup(strings.ReplaceAll(s.Key, "_", "-")); fl != nil {
		e.Value, e.Source = fl.Value.String(), config.SourceOf(fl).String()
	} else if v, ok := cfg.Lookup(s.Key); ok {
		e.Value, e.Source = v.Text, v.Source.String()
		if v.List != nil {
			e.Value = v.List
		}
	}
	if t, ok := e.Value.(string); ok && s.Key == "ui_token" && t != "" {
		e.Value = "<redacted>"
	}
	if s.Key == "secret" || s.Key == "secrets" {
		var n int
		switch v := e.Value.(type) {
		case []string:
			n = len(v)
		case string:
			n = len(config.SplitFields(v))
		}
		e.Value = redacted(n)
	}
	return e
}

func redacted(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "<redacted>"
	}
	return out
}

// secretFileEntry shows secret_file and how many secrets it holds.
func secretFileEntry(cfg *config.Config) (Entry, error) {
	v, ok := cfg.Lookup("secret_file")
	if !ok {
		return Entry{Key: "secret_file", Value: "", Source: "default"}, nil
	}
	e := Entry{Key: "secret_file", Value: v.Text, Source: v.Source.String()}
	secrets, err := cfg.Secrets()
	n := 0
	for _, s := range secrets {
		if s.Source.Name == v.Text {
			n++
		}
	}
	e.Secrets = redacted(n)
	return e, err
}

// check applies the configuration to the flags of every command, as each
// would when it runs, and returns what they refuse.
func check(cmd *cobra.Command, cfg *config.Config) []string {
	var errs []string
	seen := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			return
		}
		if c != cmd {
			err := cfg.Apply(c.LocalNonPersistentFlags(), cmdutil.ForeignValue(c))
			var ce *config.Error
			if errors.As(err, &ce) && !seen[ce.Source.At()] {
				seen[ce.Source.At()] = true
				errs = append(errs, err.Error())
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(cmd.Root())
	return errs
}

func renderShow(io *iostreams.IOStreams, shown Shown) error {
	p := iostreams.NewPalette(io.ColorOut())
	w := tabwriter.NewWriter(io.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%s\t%s\t%s\n", p.Bold("KEY"), p.Bold("VALUE"), p.Bold("SOURCE"))
	for _, e := range shown.Settings {
		src := e.Source
		if src == "default" {
			src = p.Faint(src)
		}
		value := display(e.Value)
		if e.Secrets != nil {
			value += fmt.Sprintf(" (%d %s: %s)", len(e.Secrets), plural(len(e.Secrets), "secret", "secrets"), strings.Join(e.Secrets, ", "))
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", e.Key, value, src)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	files := "none"
	if len(shown.Files) > 0 {
		files = strings.Join(shown.Files, ", ") + " (later wins)"
	}
	fmt.Fprintf(io.Out, "\nconfig files read: %s\n", files)
	pe := iostreams.NewPalette(io.ColorErr())
	for _, e := range shown.Errors {
		fmt.Fprintf(io.ErrOut, "%s %s\n", pe.Red("error:"), e)
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func display(v any) string {
	switch v := v.(type) {
	case nil:
		return `""`
	case string:
		if v == "" {
			return `""`
		}
		return v
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = fmt.Sprint(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case []string:
		return "[" + strings.Join(v, ", ") + "]"
	}
	return fmt.Sprint(v)
}

// routeEntries lists each route with the file that set it; a project
// route for an action overrides the user file's.
// routeEntries lists each route with the file that set it; a project
// route for an action overrides the user file's.
func routeEntries(cfg *config.Config) []Entry {
	routes := cfg.Routes()
	if len(routes) == 0 {
		return []Entry{{Key: "routes", Value: map[string]any{}, Source: "default"}}
	}
	actions := make([]string, 0, len(routes))
	for a := range routes {
		actions = append(actions, a)
	}
	sort.Strings(actions)
	out := make([]Entry, 0, len(actions))
	for _, a := range actions {
		r := routes[a]
		out = append(out, Entry{Key: "routes." + a, Value: r.URL, Source: r.Source.String()})
	}
	return out
}

// InitOptions are the inputs of `config init`.
type InitOptions struct {
	Path    string // the file to write
	Project bool
	Force   bool
}

// NewCmdInit returns `lcwh config init`.
func NewCmdInit(f *cmdutil.Factory, runF func(*InitOptions) error) *cobra.Command {
	opts := &InitOptions{}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starter config file",
		Long: `Init writes a commented starter configuration: the user file
$XDG_CONFIG_HOME/lcwh/config.yaml, or with --project ./.lcwh.yaml (commit it so the
whole team and CI share the API version and routes). Every setting is commented
out; uncomment what you need. An existing file is kept unless --force.`,
		Example: `  # Your own defaults, for every project
  lcwh config init

  # A project file next to your code
  lcwh config init --project

  # Start over
  lcwh config init --project --force`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Path = config.UserFile(f.Getenv)
			if opts.Project {
				opts.Path = config.ProjectFile
			}
			if opts.Path == "" {
				return cmdutil.UsageError("cannot tell where the user config lives: set XDG_CONFIG_HOME or use --project")
			}
			if runF != nil {
				return runF(opts)
			}
			return RunInit(f.IO, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Project, "project", false, "write ./.lcwh.yaml instead of the user file")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite an existing file")
	return cmd
}

// RunInit writes the starter file.
func RunInit(io *iostreams.IOStreams, opts *InitOptions) error {
	if _, err := os.Stat(opts.Path); err == nil && !opts.Force {
		return cmdutil.UsageError("%s already exists; use --force to overwrite it", opts.Path)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(opts.Path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(opts.Path, []byte(Starter), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(io.ErrOut, "wrote %s; edit it, then check it with: lcwh config show\n", opts.Path)
	return nil
}

// Starter is the file `config init` writes. Every line is commented so
// the file changes nothing until edited (a test keeps it parseable and
// its keys known).
const Starter = `# lcwh configuration. Precedence: flag > LCWH_* env > ./.lcwh.yaml > user file > default.
# Every flag is a key here (--api-version -> api_version). "lcwh config show" prints the result.

# LiveChat webhook API version of schemas, fixtures and action names.
# api_version: "3.6"

# Output format of validate and print (commands fall back to their own default
# when they do not support it): text, json, github, junit, pretty, summary...
# format: text

# Colour: auto (terminals only; NO_COLOR honoured), always or never.
# color: auto

# Secrets: listen accepts webhooks whose secret_key is one of these; send and
# replay put the first one into secret_key. Prefer secret_file for real secrets
# and keep it out of version control.
# secrets:
#   - my-webhook-secret
# secret_file: .lcwh-secrets   # one secret per line, relative to this file

# lcwh listen: where to serve and which path accepts webhooks.
# addr: 127.0.0.1:8787
# path: /

# Forward every received webhook (listen) or send it (send, replay) here ...
# forward_to: http://localhost:3000/webhooks

# ... or choose the URL per action; "*" catches the rest.
# routes:
#   incoming_chat: http://localhost:3000/chats
#   incoming_event: http://localhost:3000/events
#   "*": http://localhost:3000/webhooks
`
