package cmdutil

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lcwh/lcwh/pkg/config"
)

// Flags are bound to fields of a command's options struct. The helpers
// here add what pflag lacks: values checked when they are set (from the
// command line or from the configuration, so an error names where the
// value came from), and enum flags whose one list of values drives the
// help text, the check and the completion.

// enumAnnotation holds an enum flag's values.
const enumAnnotation = "lcwh_enum"

// StringEnumFlag defines a flag of cmd bound to p that takes one of
// values: its usage ends with them ("output format: text or json"), a
// value that is not one of them is refused, and they complete. def may
// be "" for a default decided later (say so in usage).
func StringEnumFlag(cmd *cobra.Command, p *string, name, shorthand, def string, values []string, usage string) *pflag.Flag {
	return enumFlag(cmd, cmd.Flags(), p, name, shorthand, def, values, usage)
}

// PersistentStringEnumFlag is StringEnumFlag for a flag cmd's subcommands
// inherit (--color).
func PersistentStringEnumFlag(cmd *cobra.Command, p *string, name, shorthand, def string, values []string, usage string) *pflag.Flag {
	return enumFlag(cmd, cmd.PersistentFlags(), p, name, shorthand, def, values, usage)
}

func enumFlag(cmd *cobra.Command, fs *pflag.FlagSet, p *string, name, shorthand, def string, values []string, usage string) *pflag.Flag {
	*p = def
	fs.VarP(&enumValue{p: p, values: values}, name, shorthand, usage+": "+OneOf(values))
	fl := fs.Lookup(name)
	fl.Annotations = map[string][]string{enumAnnotation: values}
	_ = cmd.RegisterFlagCompletionFunc(name, CompleteValues(values...))
	return fl
}

// FormatFlag defines -o/--format bound to p: "output format: " and values.
func FormatFlag(cmd *cobra.Command, p *string, def string, values ...string) *pflag.Flag {
	return StringEnumFlag(cmd, p, "format", "o", def, values, "output format")
}

// EnumValues returns the values of an enum flag; nil for other flags.
func EnumValues(fl *pflag.Flag) []string { return fl.Annotations[enumAnnotation] }

type enumValue struct {
	p      *string
	values []string
}

func (e *enumValue) Set(s string) error {
	for _, v := range e.values {
		if s == v {
			*e.p = s
			return nil
		}
	}
	return fmt.Errorf("want %s", OneOf(e.values))
}

func (e *enumValue) String() string { return *e.p }
func (e *enumValue) Type() string   { return "string" }

// OneOf lists values for people: "a", "a or b", "a, b or c".
func OneOf(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}

// Check makes cmd's flag name, bound to p, refuse every value, from the
// command line or the configuration, that fails check. Use the checks
// below or write one whose error says what is wanted.
//
//	cmd.Flags().IntVar(&opts.Count, "count", 1, "send N times")
//	cmdutil.Check(cmd, "count", &opts.Count, cmdutil.AtLeast(1))
func Check[T any](cmd *cobra.Command, name string, p *T, check func(T) error) {
	fl := cmd.Flags().Lookup(name)
	fl.Value = &checkedValue[T]{Value: fl.Value, p: p, check: check}
	if fl.DefValue == "[]" {
		// pflag tells an empty list by the type it wraps no more: without
		// this, --help would print "(default [])"
		fl.DefValue = ""
	}
}

type checkedValue[T any] struct {
	pflag.Value
	p     *T
	check func(T) error
}

func (c *checkedValue[T]) Set(s string) error {
	if err := c.Value.Set(s); err != nil {
		return err
	}
	return c.check(*c.p)
}

// AtLeast refuses numbers under min.
func AtLeast(min int) func(int) error {
	return func(n int) error {
		if n < min {
			return fmt.Errorf("must be at least %d", min)
		}
		return nil
	}
}

// Positive refuses zero and negative numbers and durations.
func Positive[T ~int | ~int64 | ~float64](v T) error {
	if v <= 0 {
		return errors.New("must be more than 0")
	}
	return nil
}

// HostPort refuses what net.Listen could not listen on: want host:port
// (the host may be empty, the port a number up to 65535).
func HostPort(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("want host:port, e.g. 127.0.0.1:8787 or :8787")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return errors.New("want a port number from 0 to 65535")
	}
	return nil
}

// FlagName names where the value of cmd's flag came from, for errors about
// it: "--count", "LCWH_COUNT" or "count (.lcwh.yaml:3:8)".
func FlagName(cmd *cobra.Command, flag string) string {
	if fl := cmd.Flags().Lookup(flag); fl != nil {
		return config.Name(fl)
	}
	return "--" + flag
}
