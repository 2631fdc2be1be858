// Package types is the `lcwh types` command.
package types

import (
	"errors"
	"go/token"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmdflags"
	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/codegen"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload/shape"
)

// Options are the inputs of one run.
type Options struct {
	Lang       string // ts or go
	Package    string // the Go package name
	APIVersion string
}

// languages are the values of --lang.
var languages = []string{"ts", "go"}

// NewCmdTypes returns `lcwh types`; runF, when not nil, runs instead of Run.
func NewCmdTypes(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{}
	cmd := &cobra.Command{
		Use:   "types --lang ts|go",
		Short: "Print the webhook types of an API version as TypeScript or Go",
		Long: `Types prints the webhooks of an API version as code, generated from the
schemas lcwh validates with, on stdout.

--lang ts: one TypeScript module exporting Webhook, a union of one type per
action discriminated on action, and a type per shared structure. Fields
LiveChat does not guarantee are optional, enums are unions of literals, each
event type's fields a member of a union, unknown fields allowed. A body typed
as Webhook compiles when it is valid, and not when a required field is
missing or a value is of the wrong type or outside its enum.

--lang go: one Go file (standard library only) with a struct per action and
structure, Parse (a body to its action's type, *IncomingChat for
incoming_chat) and Handler, an http.Handler that checks secret_key in
constant time and calls a typed function per action. Optional fields are
pointers; a field of several JSON types (a string or a boolean) is a small
type that keeps the JSON as received and decodes it on demand.

For other languages, lcwh schema --openapi gives an OpenAPI 3.1 document.

Exit status: 0 on success, 2 on usage errors.`,
		Example: `  # TypeScript types for a Node.js receiver
  lcwh types --lang ts > src/livechat-webhooks.ts

  # A Go package of the API 3.5 webhooks
  lcwh types --lang go --package livechat --api-version 3.5 > livechat/webhooks.go`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case opts.Lang == "":
				return cmdutil.UsageError("--lang is required: %s", cmdutil.OneOf(languages))
			case opts.Lang != "go" && cmd.Flags().Changed("package") && cmdutil.FlagName(cmd, "package") == "--package":
				// (a package name from the configuration is for the go runs)
				return cmdutil.UsageError("--package is for --lang go")
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(f.IO, *opts)
		},
	}
	cmdutil.StringEnumFlag(cmd, &opts.Lang, "lang", "", "", languages, "language")
	cmd.Flags().StringVar(&opts.Package, "package", "webhooks", "name of the Go package (with --lang go)")
	cmdutil.Check(cmd, "package", &opts.Package, func(name string) error {
		if !token.IsIdentifier(name) || token.IsKeyword(name) {
			return errors.New("want a Go package name, such as webhooks")
		}
		return nil
	})
	cmdflags.APIVersion(cmd, &opts.APIVersion, false, "LiveChat API version")
	return cmd
}

// Run writes the code of opts.Lang to io.Out.
func Run(io *iostreams.IOStreams, opts Options) error {
	sch, err := shape.Load(opts.APIVersion)
	if err != nil {
		return err
	}
	var src []byte
	switch opts.Lang {
	case "ts":
		src, err = codegen.TypeScript(sch)
	case "go":
		src, err = codegen.Go(sch, opts.Package)
	}
	if err != nil {
		return err
	}
	_, err = io.Out.Write(src)
	return err
}
