// Package schema is the `lcwh schema` command.
package schema

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/codegen"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/payload/shape"
)

// NewCmd returns `lcwh schema`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
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
			version := f.Settings.GetString("api_version")
			c, err := payload.CatalogFor(version)
			if err != nil {
				return cmdutil.UsageError("%v", err)
			}
			all, _ := cmd.Flags().GetBool("all")
			out, _ := cmd.Flags().GetString("out")
			openapi, _ := cmd.Flags().GetBool("openapi")
			switch {
			case openapi && (all || len(args) > 0):
				return cmdutil.UsageError("--openapi prints every action in one document: give no ACTION and no --all")
			case openapi:
				return writeOpenAPI(f, version)
			case all && len(args) == 0:
				if out == "" {
					return cmdutil.UsageError("--all needs --out DIR")
				}
				return writeAll(f, c, out)
			case !all && len(args) == 1:
				if _, err := c.Require(args[0]); err != nil {
					return cmdutil.UsageError("%v", err)
				}
				b, err := payload.SchemaFile(version, args[0])
				if err != nil {
					return err
				}
				_, err = f.IO.Out.Write(b)
				return err
			}
			return cmdutil.UsageError("give one ACTION, --all --out DIR, or --openapi")
		},
	}
	cmd.Flags().String("api-version", payload.DefaultVersion, "LiveChat API version")
	cmd.Flags().Bool("all", false, "write every schema (with --out)")
	cmd.Flags().String("out", "", "directory to write the schemas to")
	cmd.Flags().Bool("openapi", false, "print every schema as one OpenAPI 3.1 document")
	cmdutil.CompleteActionArg(f, cmd)
	_ = cmd.MarkFlagDirname("out")
	return cmd
}

func writeOpenAPI(f *cmdutil.Factory, version string) error {
	sch, err := shape.Load(version)
	if err != nil {
		return err
	}
	b, err := codegen.OpenAPI(sch)
	if err != nil {
		return err
	}
	_, err = f.IO.Out.Write(b)
	return err
}

func writeAll(f *cmdutil.Factory, c *payload.Catalog, dir string) error {
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
	fmt.Fprintf(f.IO.ErrOut, "wrote %d files to %s\n", len(names), dir)
	return nil
}
