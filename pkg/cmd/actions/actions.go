// Package actions is the `lcwh actions` command.
package actions

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmdflags"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload"
)

// Options are the inputs of one run.
type Options struct {
	APIVersion string
	Format     string
	Diff       []string // two versions to compare; none = list APIVersion
}

// NewCmdActions returns `lcwh actions`; runF, when not nil, runs instead of Run.
func NewCmdActions(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{}
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
			if len(args) > 0 && len(opts.Diff) != 1 {
				return cmdutil.UsageError("unexpected arguments %v\nRun 'lcwh actions --help' for usage.", args)
			}
			opts.Diff = append(opts.Diff, args...) // --diff 3.4 3.6
			if len(opts.Diff) != 0 && len(opts.Diff) != 2 {
				return cmdutil.UsageError("--diff takes two versions: --diff 3.4 3.6 (or --diff 3.4,3.6)")
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(f.IO, *opts)
		},
	}
	cmdflags.APIVersion(cmd, &opts.APIVersion, false, "LiveChat API version")
	cmdutil.FormatFlag(cmd, &opts.Format, "text", "text", "json")
	cmd.Flags().StringSliceVar(&opts.Diff, "diff", nil, "compare two API versions: `FROM,TO` (or FROM TO)")
	_ = cmd.RegisterFlagCompletionFunc("diff", cmdutil.CompleteList(cmdutil.CompleteValues(payload.Versions()...)))
	return cmd
}

// Run lists the actions of a version, or compares two.
func Run(io *iostreams.IOStreams, opts Options) error {
	if len(opts.Diff) == 2 {
		return runDiff(io, opts.Format, opts.Diff[0], opts.Diff[1])
	}
	c, err := payload.CatalogFor(opts.APIVersion)
	if err != nil {
		return cmdutil.UsageError("%v", err)
	}
	if opts.Format == "json" {
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(c.Actions)
	}
	p := iostreams.NewPalette(io.ColorOut())
	w := tabwriter.NewWriter(io.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%s\t%s\t%s\n", p.Bold("ACTION"), p.Bold("CATEGORY"), p.Bold("DESCRIPTION"))
	for _, a := range c.Actions {
		fmt.Fprintf(w, "%s\t%s\t%s\n", a.Name, a.Category, a.Description)
	}
	return w.Flush()
}

func runDiff(io *iostreams.IOStreams, format, from, to string) error {
	d, err := payload.Diff(from, to)
	if err != nil {
		return cmdutil.UsageError("%v", err)
	}
	if format == "json" {
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	p := iostreams.NewPalette(io.ColorOut())
	w := io.Out
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
