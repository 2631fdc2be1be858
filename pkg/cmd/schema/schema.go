// Package schema is the `lcwh schema` command.
package schema

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmdflags"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/codegen"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/payload/shape"
)

// Options are the inputs of one run.
type Options struct {
	Action     string
	APIVersion string
	All        bool
	Out        string
	OpenAPI    bool
}

// NewCmdSchema returns `lcwh schema`; runF, when not nil, runs instead of Run.
func NewCmdSchema(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{}
	cmd := &cobra.Command{
		Use:   "schema [ACTION]",
		Short: "Print the JSON Schema of an action, write them all, or print them as OpenAPI",
		Long: `Schema prints the JSON Schema (draft 2020-12) lcwh validates an action with.
The action schemas reference shared definitions in defs.json by relative $ref;
--all --out DIR writes every action schema, defs.json and catalog.json so other
validators can load them together.

--openapi prints an OpenAPI 3.1 document instead: its webhooks section has a
POST per action, with the action's body and the 200 answer LiveChat expects;
components/schemas holds the shared definitions and each action's body. OpenAPI
code generators (openapi-generator, datamodel-code-generator, quicktype) turn it
into types in other languages; lcwh types does TypeScript and Go itself.`,
		Example: `  # The schema of one action
  lcwh schema incoming_chat

  # Every schema, for another validator
  lcwh schema --all --out schemas/

  # OpenAPI 3.1, then Python models with datamodel-code-generator
  lcwh schema --openapi > livechat-webhooks.json
  datamodel-codegen --input livechat-webhooks.json --input-file-type openapi --output models.py`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Action = args[0]
			}
			switch {
			case opts.OpenAPI && (opts.All || opts.Action != ""):
				return cmdutil.UsageError("--openapi prints every action in one document: give no ACTION and no --all")
			case opts.All && opts.Action != "":
				return cmdutil.UsageError("--all writes every action: give no ACTION")
			case opts.All && opts.Out == "":
				return cmdutil.UsageError("--all needs --out DIR")
			case !opts.OpenAPI && !opts.All && opts.Action == "":
				return cmdutil.UsageError("give one ACTION, --all --out DIR, or --openapi")
			}
			if opts.Action != "" {
				if err := cmdflags.CheckActions(cmd, "", opts.APIVersion, opts.Action); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(f.IO, *opts)
		},
	}
	cmdflags.APIVersion(cmd, &opts.APIVersion, false, "LiveChat API version")
	cmdflags.ActionArg(f, cmd)
	cmd.Flags().BoolVar(&opts.All, "all", false, "write every schema (with --out)")
	cmd.Flags().StringVar(&opts.Out, "out", "", "directory to write the schemas to")
	_ = cmd.MarkFlagDirname("out")
	cmd.Flags().BoolVar(&opts.OpenAPI, "openapi", false, "print every schema as one OpenAPI 3.1 document")
	return cmd
}

// Run prints the schema of opts.Action, every schema as OpenAPI, or
// writes them all into opts.Out.
func Run(io *iostreams.IOStreams, opts Options) error {
	switch {
	case opts.OpenAPI:
		return writeOpenAPI(io, opts.APIVersion)
	case opts.All:
		c, err := payload.CatalogFor(opts.APIVersion)
		if err != nil {
			return err
		}
		return writeAll(io, c, opts.Out)
	}
	b, err := payload.SchemaFile(opts.APIVersion, opts.Action)
	if err != nil {
		return err
	}
	_, err = io.Out.Write(b)
	return err
}

func writeOpenAPI(io *iostreams.IOStreams, version string) error {
	sch, err := shape.Load(version)
	if err != nil {
		return err
	}
	b, err := codegen.OpenAPI(sch)
	if err != nil {
		return err
	}
	_, err = io.Out.Write(b)
	return err
}

func writeAll(io *iostreams.IOStreams, c *payload.Catalog, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	names := append([]string{"defs", "catalog"}, c.Names()...)
	for _, name := range names {
		b, err := payload.SchemaFile(c.Version, name)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(io.ErrOut, "wrote %d files to %s\n", len(names), dir)
	return nil
}
