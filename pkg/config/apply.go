package config

import (
	"errors"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// Flags that are never configured: they choose the configuration or
// answer at once.
var unconfigured = map[string]bool{"help": true, "version": true, "config": true}

// Configurable tells whether a flag can be set from the configuration.
func Configurable(flag string) bool { return !unconfigured[flag] }

// Annotations a flag's definition can carry (pflag.Flag.Annotations).
const (
	// SplitAnnotation says how a list flag's LCWH_* variable is split:
	// "lines" (one item per line: headers), "fields" (commas and white
	// space: secrets); commas when absent.
	SplitAnnotation = "lcwh_env_split"
	// sourceAnnotation records where Apply took the flag's value from.
	sourceAnnotation = "lcwh_source"
)

// Apply gives every flag of fs that the command line did not set its
// configured value (Lookup), parsed and checked by the flag itself, and
// records where it came from (SourceOf); applying twice changes nothing.
// An invalid value is an *Error
// naming its variable or file and line. skip, when not nil, may leave a
// configured value out (a value meant for another command).
func (c *Config) Apply(fs *pflag.FlagSet, skip func(fl *pflag.Flag, v Value) bool) error {
	var err error
	fs.VisitAll(func(fl *pflag.Flag) {
		if err != nil || fl.Changed || !Configurable(fl.Name) || fl.Annotations[sourceAnnotation] != nil {
			return // given, not configurable, or applied already (a list would grow)
		}
		v, ok := c.Lookup(Key(fl.Name))
		if !ok || (skip != nil && skip(fl, v)) {
			return
		}
		if err = set(fl, v); err != nil {
			return
		}
		if fl.Annotations == nil {
			fl.Annotations = map[string][]string{}
		}
		fl.Annotations[sourceAnnotation] = []string{strconv.Itoa(int(v.Source.Kind)), v.Source.Name, strconv.Itoa(v.Source.Line), strconv.Itoa(v.Source.Col)}
	})
	return err
}

// set parses v into fl: each item of a list flag, the text of others.
func set(fl *pflag.Flag, v Value) error {
	fail := func(text string, err error) error {
		return &Error{Source: v.Source, Key: v.Key, Value: text, Err: Explain(fl, err)}
	}
	if !IsList(fl) {
		if v.List != nil {
			return fail(strings.Join(v.List, ", "), errors.New("want a single value, not a list"))
		}
		if err := fl.Value.Set(v.Text); err != nil {
			return fail(v.Text, err)
		}
		return nil
	}
	for _, item := range v.Items(splitter(fl)) {
		if err := fl.Value.Set(item); err != nil {
			return fail(item, err)
		}
	}
	return nil
}

func splitter(fl *pflag.Flag) func(string) []string {
	switch first(fl.Annotations[SplitAnnotation]) {
	case "lines":
		return func(s string) []string { return splitTrimmed(s, "\n") }
	case "fields":
		return SplitFields
	}
	return func(s string) []string { return splitTrimmed(s, ",") }
}

// splitTrimmed splits s at sep, trims each part and drops the empty ones.
func splitTrimmed(s, sep string) []string {
	var out []string
	for _, part := range strings.Split(s, sep) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// IsList tells a flag that takes many values (a slice or an array).
func IsList(fl *pflag.Flag) bool {
	t := fl.Value.Type()
	return strings.HasSuffix(t, "Slice") || strings.HasSuffix(t, "Array")
}

// Explain rewords pflag's parse errors ("strconv.ParseInt: parsing ...")
// as what the flag wants; other errors (a flag's own checks) stay.
func Explain(fl *pflag.Flag, err error) error {
	msg, t := err.Error(), fl.Value.Type()
	switch {
	case strings.HasPrefix(msg, "time: "):
		return errors.New("want a duration such as 10s, 1m30s or 500ms")
	case !strings.HasPrefix(msg, "strconv."):
		return err
	case t == "bool":
		return errors.New("want true or false")
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"):
		return errors.New("want a whole number")
	}
	return errors.New("want a number")
}

// SourceOf says where fl's value came from: the command line, the
// configuration (as recorded by Apply) or the default.
func SourceOf(fl *pflag.Flag) Source {
	if fl.Changed {
		return Source{Kind: FromFlag, Name: fl.Name}
	}
	if a := fl.Annotations[sourceAnnotation]; len(a) == 4 {
		kind, _ := strconv.Atoi(a[0])
		line, _ := strconv.Atoi(a[2])
		col, _ := strconv.Atoi(a[3])
		return Source{Kind: Kind(kind), Name: a[1], Line: line, Col: col}
	}
	return Source{}
}

// Name is how an error names a setting: "--count" when it came from the
// command line or the default, "LCWH_COUNT", or "count (.lcwh.yaml:3:8)".
func Name(fl *pflag.Flag) string {
	switch s := SourceOf(fl); s.Kind {
	case FromEnv:
		return s.Name
	case FromFile:
		return Key(fl.Name) + " (" + s.At() + ")"
	}
	return "--" + fl.Name
}
