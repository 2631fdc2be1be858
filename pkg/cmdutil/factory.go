package cmdutil

import (
	"slices"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lcwh/lcwh/pkg/config"
	"github.com/lcwh/lcwh/pkg/iostreams"
)

// Factory is what the root command hands every command's constructor.
type Factory struct {
	IO     *iostreams.IOStreams
	Getenv func(string) string
	// ConfigFile is the --config flag: the one file to read instead of the
	// project and user files ("" = LCWH_CONFIG, else both).
	ConfigFile string

	cfg    *config.Config
	cfgErr error
}

// Config reads the configuration once: the files and the environment.
func (f *Factory) Config() (*config.Config, error) {
	if f.cfg == nil && f.cfgErr == nil {
		explicit := f.ConfigFile
		if explicit == "" {
			explicit = f.Getenv("LCWH_CONFIG")
		}
		f.cfg, f.cfgErr = config.Load(f.Getenv, explicit)
		if f.cfgErr != nil {
			f.cfgErr = &ExitError{Code: ExitUsage, Err: f.cfgErr}
		}
	}
	return f.cfg, f.cfgErr
}

// ApplyConfig gives the flags of cmd that the command line left unset
// their configured values (see config.Apply), or fails naming the
// variable or the file and line of a value the flag refuses. A value of
// an enum flag that this command lacks but another command of the tree
// accepts (format: github, meant for validate) is left out (ForeignValue).
func (f *Factory) ApplyConfig(cmd *cobra.Command) error {
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	if err := cfg.Apply(cmd.Flags(), ForeignValue(cmd)); err != nil {
		return &ExitError{Code: ExitUsage, Err: err}
	}
	return nil
}

// ForeignValue tells the configured values cmd leaves out: those of its
// enum flags that it does not accept but another command of the tree does.
func ForeignValue(cmd *cobra.Command) func(*pflag.Flag, config.Value) bool {
	return func(fl *pflag.Flag, v config.Value) bool {
		values := EnumValues(fl)
		return values != nil && !slices.Contains(values, v.Text) && acceptedElsewhere(cmd.Root(), fl.Name, v.Text)
	}
}

// acceptedElsewhere tells whether some command of the tree has an enum
// flag name that accepts value.
func acceptedElsewhere(root *cobra.Command, name, value string) bool {
	found := false
	walk(root, func(c *cobra.Command) {
		if fl := c.LocalFlags().Lookup(name); fl != nil && slices.Contains(EnumValues(fl), value) {
			found = true
		}
	})
	return found
}

func walk(c *cobra.Command, fn func(*cobra.Command)) {
	fn(c)
	for _, sub := range c.Commands() {
		walk(sub, fn)
	}
}
