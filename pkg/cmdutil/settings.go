package cmdutil

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// Factory is what the root command hands every subcommand.
type Factory struct {
	IO       *IOStreams
	Getenv   func(string) string
	Settings *viper.Viper // flag > LCWH_* env > project file > user file > default
	Sources  []string     // config files read, lowest precedence first
}

// EnvPrefix prefixes every environment variable lcwh reads.
const EnvPrefix = "LCWH"

// Key turns a flag name into its settings key: "api-version" -> "api_version".
func Key(flag string) string { return strings.ReplaceAll(flag, "-", "_") }

// EnvName turns a settings key into its environment variable: LCWH_API_VERSION.
func EnvName(key string) string { return EnvPrefix + "_" + strings.ToUpper(key) }

// UserConfigPath is $XDG_CONFIG_HOME/lcwh/config.yaml (or the OS equivalent).
func UserConfigPath(getenv func(string) string) string {
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" {
		d, err := os.UserConfigDir()
		if err != nil {
			return ""
		}
		dir = d
	}
	return filepath.Join(dir, "lcwh", "config.yaml")
}

// ProjectConfigName is the per-project file, read from the working directory.
const ProjectConfigName = ".lcwh.yaml"

// LoadSettings reads the configuration files into a fresh viper and binds
// every flag of the running command to its key and LCWH_* variable, so
// all precedence is resolved here and commands only read keys.
// explicit (--config / LCWH_CONFIG) replaces both default files.
func (f *Factory) LoadSettings(flags *pflag.FlagSet, explicit string) error {
	v := viper.New()
	v.SetConfigType("yaml")
	files := []string{UserConfigPath(f.Getenv), ProjectConfigName}
	if explicit != "" {
		files = []string{explicit}
	}
	f.Sources = nil
	for _, path := range files {
		if path == "" {
			continue
		}
		b, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) && explicit == "" {
			continue
		}
		if err != nil {
			return UsageError("config: %v", err)
		}
		v.SetConfigFile(path)
		if err := v.MergeConfig(strings.NewReader(string(b))); err != nil {
			return UsageError("config %s: %v", path, err)
		}
		f.Sources = append(f.Sources, path)
	}
	var bindErr error
	flags.VisitAll(func(fl *pflag.Flag) {
		if fl.Name == "help" || fl.Name == "config" || fl.Name == "version" {
			return
		}
		key := Key(fl.Name)
		if err := v.BindPFlag(key, fl); err != nil {
			bindErr = err
		}
		if err := v.BindEnv(key, EnvName(key)); err != nil {
			bindErr = err
		}
	})
	if bindErr != nil {
		return fmt.Errorf("binding settings: %w", bindErr)
	}
	f.Settings = v
	return nil
}
