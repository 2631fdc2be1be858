// Package validate is the `lcwh validate` command.
package validate

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmdflags"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/inputs"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/render"
	"github.com/lcwh/lcwh/pkg/validate"
)

// Options are the resolved inputs of one run.
type Options struct {
	Paths      []string
	Action     string
	APIVersion string // a version or "auto"
	// DefaultVersion is assumed when an auto guess is ambiguous.
	DefaultVersion string
	Format         string
	Verbose        bool // say why a version was assumed for every file, not only failing ones
	Strict         bool // warnings and unknown properties are errors
	// BatchGC lets a run of many files trade memory (bounded) for less
	// garbage collection; off when the user tunes GOGC or GOMEMLIMIT.
	BatchGC bool
}

// Formats lists the output formats of validate.
var Formats = []string{"text", "json", "github", "junit"}

// NewCmdValidate returns `lcwh validate`; runF, when not nil, runs instead of Run.
func NewCmdValidate(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{DefaultVersion: payload.DefaultVersion}
	cmd := &cobra.Command{
		Use:   "validate PATH...",
		Short: "Check webhook files against the exact schema of their action",
		Long: `Validate checks webhook bodies against the JSON Schema of their action,
chosen from each document's "action" field. Inputs are files, folders
(searched recursively for *.json, *.jsonl and *.ndjson, symbolic links
followed) or - for stdin; a file holds one JSON document, JSON Lines of
bodies, or a recording written by 'lcwh listen --record' (each line's body is
checked). Errors are reported as file:line:col with the JSON Pointer of the
offending value; in a recording, the column is that of the escaped body.

An error is what LiveChat guarantees and a receiver can rely on: the envelope,
types, documented values, fields its pages mark as always present. A warning
is what is suspicious but real traffic may show: a documented field that is
not guaranteed is missing, a property looks like a typo of a documented one
("did you mean"), a deprecated form is used. Warnings never make a file
invalid; --strict makes them errors, and every property the schemas do not
document too (for hand-written fixture files).

Exit status: 0 when every webhook is valid, 1 when any is invalid, unparsable
or unreadable (a line over 64 MiB), 2 on usage errors (bad flag, no such path,
a folder with nothing to read, a path that is a pipe or a device).`,
		Example: `  # Check every fixture in a folder (recursively)
  lcwh validate fixtures/

  # Check a body from stdin against a given action
  curl -s https://example.com/last-webhook | lcwh validate --action incoming_chat -

  # Annotate a pull request in GitHub Actions
  lcwh validate --format github testdata/webhooks

  # A JUnit report for CI dashboards
  lcwh validate --format junit fixtures/ > lcwh-report.xml

  # Hand-written fixtures: warnings and undocumented properties fail too
  lcwh validate --strict testdata/webhooks`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if opts.Action != "" && opts.APIVersion != payload.Auto {
				if err := cmdflags.CheckActions(cmd, "action", opts.APIVersion, opts.Action); err != nil {
					return err
				}
			}
			opts.BatchGC = f.Getenv("GOGC") == "" && f.Getenv("GOMEMLIMIT") == ""
			if runF != nil {
				return runF(opts)
			}
			return Run(cmd.Context(), f.IO, *opts)
		},
	}
	cmdflags.Action(f, cmd, &opts.Action, "validate every input as this action instead of its \"action\" field")
	cmdflags.APIVersion(cmd, &opts.APIVersion, true, "LiveChat API version of the schemas, or auto to guess it per file")
	cmdutil.FormatFlag(cmd, &opts.Format, "text", Formats...)
	cmd.Flags().BoolVarP(&opts.Verbose, "verbose", "v", false, "with --api-version auto, say which version was assumed for each file and why")
	cmd.Flags().BoolVar(&opts.Strict, "strict", false, "report warnings, and every property the schemas do not document, as errors")
	cmdutil.CompletePathArgs(cmd, "json", "jsonl", "ndjson")
	return cmd
}

// Run validates the inputs and renders the results.
func Run(ctx context.Context, io *iostreams.IOStreams, opts Options) error {
	r, ok := renderers[opts.Format]
	if !ok {
		return cmdutil.UsageError("--format %q: want %s", opts.Format, cmdutil.OneOf(Formats))
	}
	vopts := validate.Options{Version: opts.APIVersion, Fallback: opts.DefaultVersion, Action: opts.Action, Strict: opts.Strict}
	srcs, err := inputs.Expand(opts.Paths)
	if err != nil {
		return cmdutil.UsageError("%v", err)
	}
	if opts.BatchGC && len(srcs) >= batchFiles {
		defer cmdutil.TuneGC(nil, 40<<20)()
	}
	out := r(io, opts.Verbose)
	var sum Summary
	if ctx == nil {
		ctx = context.Background()
	}
	warn := iostreams.NewPalette(io.ColorErr()).Yellow("warning:")
	err = validate.Files(ctx, srcs, io.In, vopts, func(res validate.Result) {
		sum.add(res)
		out.result(res)
	}, func(where string, err error) {
		fmt.Fprintf(io.ErrOut, "%s: %s %s (skipped)\n", render.Clean(where), warn, render.Clean(err.Error()))
	})
	if err != nil {
		return err
	}
	if err := out.finish(sum); err != nil {
		return err
	}
	if sum.Invalid > 0 {
		return cmdutil.SilentExit(cmdutil.ExitFailure)
	}
	return nil
}

// Summary counts the results of a run.
type Summary struct {
	Files    int `json:"files"`
	Webhooks int `json:"webhooks"` // a file of JSON Lines or a recording holds many
	Valid    int `json:"valid"`
	Invalid  int `json:"invalid"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	last     string
}

func (s *Summary) add(r validate.Result) {
	if r.Line == 0 || r.Path != s.last {
		s.Files++
	}
	s.last = r.Path
	s.Webhooks++
	if r.Valid {
		s.Valid++
	} else {
		s.Invalid++
	}
	s.Errors += len(r.Errors)
	s.Warnings += len(r.Warnings)
}

func (s Summary) String() string {
	checked := fmt.Sprintf("%d %s", s.Files, plural(s.Files, "file", "files"))
	if s.Webhooks != s.Files {
		checked = fmt.Sprintf("%d %s in %s", s.Webhooks, plural(s.Webhooks, "webhook", "webhooks"), checked)
	}
	line := fmt.Sprintf("%s checked: %d valid, %d invalid (%d %s",
		checked, s.Valid, s.Invalid, s.Errors, plural(s.Errors, "error", "errors"))
	if s.Warnings > 0 {
		line += fmt.Sprintf(", %d %s", s.Warnings, plural(s.Warnings, "warning", "warnings"))
	}
	return line + ")"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// batchFiles is the number of inputs from which tuning the collector pays.
const batchFiles = 64
