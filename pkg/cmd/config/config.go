// Package config is the `lcwh config` command: show the effective
// configuration and where each value comes from, and write a starter file.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/iostreams"
)

// NewCmd returns `lcwh config` with its subcommands.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
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
	cmd.AddCommand(newCmdShow(f), newCmdInit(f))
	return cmd
}

// Entry is one line of `config show`.
type Entry struct {
	Key    string `json:"key"`
	Value  any    `json:"value"`
	Source string `json:"source"`
}

// Shown is what `config show --format json` prints.
type Shown struct {
	Files    []string `json:"files"`
	Settings []Entry  `json:"settings"`
	Unknown  []string `json:"unknown,omitempty"`
}

func newCmdShow(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Print the effective configuration and where each value comes from",
		Long: `Show prints every configuration key with its effective value and its source:
"env LCWH_X", the path of the config file that set it, or "default". Secrets are
redacted. Keys no lcwh command knows are listed as warnings (a typo in a file).`,
		Example: `  # As a table
  lcwh config show

  # Which API version will CI use?
  lcwh config show --format json | jq -r '.settings[] | select(.key=="api_version") | .value'

  # Check a specific file
  lcwh config show --config ci/lcwh.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			// Read the flag itself: a `format:` in a config file is meant
			// for validate/print, not for this report.
			format, _ := cmd.Flags().GetString("format")
			return runShow(f, cmd.Root(), format)
		},
	}
	cmd.Flags().StringP("format", "o", "text", "output format: text or json")
	cmdutil.CompleteFormats(cmd, "text", "json")
	return cmd
}

func runShow(f *cmdutil.Factory, root *cobra.Command, format string) error {
	if format != "text" && format != "json" {
		return cmdutil.UsageError("unknown --format %q (want text or json)", format)
	}
	known := cmdutil.TreeSettings(root)
	shown := Shown{Files: append([]string{}, f.Sources...)}
	if shown.Files == nil {
		shown.Files = []string{}
	}
	keys := map[string]string{} // key -> default
	for _, s := range cmdutil.ConfigKeys(known) {
		keys[s.Key] = s.Default
	}
	isKnown := map[string]bool{}
	for _, s := range known {
		isKnown[s.Key] = true
	}
	for _, file := range f.Files {
		for k := range file.Values {
			if !isKnown[k] {
				shown.Unknown = append(shown.Unknown, fmt.Sprintf("%s: unknown key %q", file.Path, k))
				continue
			}
			if _, ok := keys[k]; !ok {
				keys[k] = defaultOf(known, k)
			}
		}
	}
	for _, s := range known {
		if _, ok := keys[s.Key]; !ok && s.Key != "routes" && f.Getenv(cmdutil.EnvName(s.Key)) != "" {
			keys[s.Key] = s.Default
		}
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if k == "routes" {
			shown.Settings = append(shown.Settings, routeEntries(f)...)
			continue
		}
		v, src := f.Effective(k, keys[k])
		if k == "secrets" || k == "secret" {
			v = redactList(v)
		}
		if s, ok := v.(string); ok && k == "ui_token" && s != "" {
			v = "<redacted>"
		}
		shown.Settings = append(shown.Settings, Entry{Key: k, Value: v, Source: src})
	}
	if format == "json" {
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(shown)
	}
	return renderShow(f, shown)
}

func renderShow(f *cmdutil.Factory, shown Shown) error {
	p := iostreams.NewPalette(f.IO.ColorOut())
	w := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%s\t%s\t%s\n", p.Bold("KEY"), p.Bold("VALUE"), p.Bold("SOURCE"))
	for _, e := range shown.Settings {
		src := e.Source
		if src == "default" {
			src = p.Faint(src)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", e.Key, display(e.Value), src)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	files := "none"
	if len(shown.Files) > 0 {
		files = strings.Join(shown.Files, ", ") + " (later wins)"
	}
	fmt.Fprintf(f.IO.Out, "\nconfig files read: %s\n", files)
	pe := iostreams.NewPalette(f.IO.ColorErr())
	for _, u := range shown.Unknown {
		fmt.Fprintf(f.IO.ErrOut, "%s %s\n", pe.Yellow("warning:"), u)
	}
	return nil
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
func routeEntries(f *cmdutil.Factory) []Entry {
	src := map[string]Entry{}
	for _, file := range f.Files {
		routes, _ := file.Values["routes"].(map[string]any)
		for action, url := range routes {
			src[action] = Entry{Key: "routes." + action, Value: url, Source: file.Path}
		}
	}
	if len(src) == 0 {
		return []Entry{{Key: "routes", Value: map[string]any{}, Source: "default"}}
	}
	actions := make([]string, 0, len(src))
	for a := range src {
		actions = append(actions, a)
	}
	sort.Strings(actions)
	out := make([]Entry, 0, len(actions))
	for _, a := range actions {
		out = append(out, src[a])
	}
	return out
}

func redactList(v any) any {
	var n int
	switch v := v.(type) {
	case []any:
		n = len(v)
	case []string:
		n = len(v)
	case string:
		if v != "" {
			n = 1
		}
	}
	out := make([]string, n)
	for i := range out {
		out[i] = "<redacted>"
	}
	return out
}

func defaultOf(known []cmdutil.Setting, key string) string {
	for _, s := range known {
		if s.Key == key {
			return s.Default
		}
	}
	return ""
}

func newCmdInit(f *cmdutil.Factory) *cobra.Command {
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
			path := cmdutil.UserConfigPath(f.Getenv)
			if f.Settings.GetBool("project") {
				path = cmdutil.ProjectConfigName
			}
			return runInit(f, path, f.Settings.GetBool("force"))
		},
	}
	cmd.Flags().Bool("project", false, "write ./.lcwh.yaml instead of the user file")
	cmd.Flags().Bool("force", false, "overwrite an existing file")
	return cmd
}

func runInit(f *cmdutil.Factory, path string, force bool) error {
	if path == "" {
		return cmdutil.UsageError("cannot tell where the user config lives: set XDG_CONFIG_HOME or use --project")
	}
	if _, err := os.Stat(path); err == nil && !force {
		return cmdutil.UsageError("%s already exists; use --force to overwrite it", path)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, []byte(Starter), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(f.IO.ErrOut, "wrote %s; edit it, then check it with: lcwh config show\n", path)
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
