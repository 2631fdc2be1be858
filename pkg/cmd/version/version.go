// Package version is the `lcwh version` command.
package version

import (
	"encoding/json"
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/build"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/iostreams"
)

// Info is what `lcwh version --format json` prints.
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Date    string `json:"date"`
	Go      string `json:"go"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
}

// Options are the inputs of one run.
type Options struct {
	Format string
}

// NewCmdVersion returns `lcwh version`; runF, when not nil, runs instead
// of Run (tests check the options).
func NewCmdVersion(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date of lcwh",
		Long: `Version prints the version, commit and build date of this binary. Release
builds have them stamped in; "go install" builds take them from the module's
build information.`,
		Example: `  # Which lcwh is this?
  lcwh version

  # For a bug report or a script
  lcwh version --format json | jq -r .version`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return Run(f.IO, opts)
		},
	}
	cmdutil.FormatFlag(cmd, &opts.Format, "text", "text", "json")
	return cmd
}

// Run prints the build information.
func Run(io *iostreams.IOStreams, opts *Options) error {
	v, c, d := build.Info()
	info := Info{Version: v, Commit: c, Date: d, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	if opts.Format == "json" {
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(info)
	}
	_, err := fmt.Fprintf(io.Out, "lcwh %s\ncommit %s\nbuilt  %s\n%s %s/%s\n", info.Version, info.Commit, info.Date, info.Go, info.OS, info.Arch)
	return err
}
