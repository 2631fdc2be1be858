// Package actions is the `lcwh actions` command.
package actions

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload"
)

// NewCmd returns `lcwh actions`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "actions",
		Short: "List the webhook actions of an API version",
		Example: `  # The catalogue as a table
  lcwh actions

  # As JSON, for scripts
  lcwh actions --format json | jq -r '.[].name'

  # The actions of API 3.4
  lcwh actions --api-version 3.4

  # What changed between two versions: actions and fields added, removed, changed
  lcwh actions --diff 3.4 3.6`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			format := f.Format("text", "json")
			diff, _ := cmd.Flags().GetStringSlice("diff")
			if len(args) > 0 && len(diff) != 1 {
				return cmdutil.UsageError("unexpected arguments %v\nRun 'lcwh actions --help' for usage.", args)
			}
			diff = append(diff, args...) // --diff 3.4 3.6
			if len(diff) > 0 {
				if len(diff) != 2 {
					return cmdutil.UsageError("--diff takes two versions: --diff 3.4 3.6 (or --diff 3.4,3.6)")
				}
				return runDiff(f, format, diff[0], diff[1])
			}
			c, err := payload.CatalogFor(f.Settings.GetString("api_version"))
			if err != nil {
				return cmdutil.UsageError("%v", err)
			}
			switch format {
			case "text":
				p := iostreams.NewPalette(f.IO.ColorOut())
				w := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
				fmt.Fprintf(w, "%s\t%s\t%s\n", p.Bold("ACTION"), p.Bold("CATEGORY"), p.Bold("DESCRIPTION"))
				for _, a := range c.Actions {
					fmt.Fprintf(w, "%s\t%s\t%s\n", a.Name, a.Category, a.Description)
				}
				return w.Flush()
			case "json":
				enc := json.NewEncoder(f.IO.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(c.Actions)
			default:
				return cmdutil.UsageError("unknown --format %q (want text or json)", format)
			}
		},
	}
	cmd.Flags().String("api-version", payload.DefaultVersion, "LiveChat API version")
	cmdutil.FormatFlag(cmd, new(string), "text", "text", "json")
	cmd.Flags().StringSlice("diff", nil, "compare two API versions: `FROM,TO` (or FROM TO)")
	return cmd
}

func runDiff(f *cmdutil.Factory, format, from, to string) error {
	d, err := payload.Diff(from, to)
	if err != nil {
		return cmdutil.UsageError("%v", err)
	}
	switch format {
	case "json":
		enc := json.NewEncoder(f.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	case "text":
	default:
		return cmdutil.UsageError("unknown --format %q (want text or json)", format)
	}
	p := iostreams.NewPalette(f.IO.ColorOut())
	w := f.IO.Out
	fmt.Fprintf(w, "%s\n", p.Bold(fmt.Sprintf("API %s → %s", from, to)))
	fmt.Fprintf(w, "\nActions added (%d)\n", len(d.Added))
	for _, a := range d.Added {
		fmt.Fprintf(w, "  %s %s\n", p.Green("+"), a)
	}
	fmt.Fprintf(w, "\nActions removed (%d)\n", len(d.Removed))
	for _, a := range d.Removed {
		fmt.Fprintf(w, "  %s %s\n", p.Red("-"), a)
	}
	fmt.Fprintf(w, "\nActions changed (%d)\n", len(d.Changed))
	for _, c := range d.Changed {
		fmt.Fprintf(w, "  %s\n", p.Bold(c.Action))
		for _, fc := range c.Added {
			fmt.Fprintf(w, "    %s %s  %s\n", p.Green("+"), fc.Field, p.Faint(orAny(fc.To)))
		}
		for _, fc := range c.Removed {
			fmt.Fprintf(w, "    %s %s  %s\n", p.Red("-"), fc.Field, p.Faint(orAny(fc.From)))
		}
		for _, fc := range c.Changed {
			fmt.Fprintf(w, "    %s %s  %s → %s\n", p.Yellow("~"), fc.Field, orAny(fc.From), orAny(fc.To))
		}
	}
	return nil
}

func orAny(desc string) string {
	if desc == "" {
		return "any"
	}
	return desc
}
