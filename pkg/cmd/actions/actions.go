// Package actions is the `lcwh actions` command.
package actions

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmdutil"
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
  lcwh actions --format json | jq -r '.[].name'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := payload.CatalogFor(f.Settings.GetString("api_version"))
			if err != nil {
				return cmdutil.UsageError("%v", err)
			}
			switch format := f.Settings.GetString("format"); format {
			case "text":
				p := cmdutil.NewPalette(f.IO.ColorOut())
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
	cmd.Flags().StringP("format", "o", "text", "output format: text or json")
	cmdutil.CompleteFormats(cmd, "text", "json")
	return cmd
}
