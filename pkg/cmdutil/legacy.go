package cmdutil

// The settings of commands that still read them by key (f.Settings) rather
// than from flags bound to their options; removed once none does.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/lcwh/lcwh/pkg/config"
	"github.com/lcwh/lcwh/pkg/deliver"
	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/payload"
)

// ConfigFile is one configuration file as read.
type ConfigFile struct {
	Path   string
	Values map[string]any // keys lower-cased, as in the file
}

// LoadSettings reads the configuration files into a fresh viper and binds
// every flag of the running command to its key and LCWH_* variable, so
// all precedence is resolved here and commands only read keys.
// explicit (--config / LCWH_CONFIG) replaces both default files.
func (f *Factory) LoadSettings(flags *pflag.FlagSet, explicit string) error {
	v := viper.New()
	files := []string{config.UserFile(f.Getenv), config.ProjectFile}
	if explicit != "" {
		files = []string{explicit}
	}
	f.Sources, f.Files = nil, nil
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
		values, err := ParseConfig(path, b)
		if err != nil {
			return &ExitError{Code: ExitUsage, Err: err}
		}
		if err := v.MergeConfigMap(values); err != nil {
			return UsageError("config %s: %v", path, err)
		}
		f.Sources = append(f.Sources, path)
		f.Files = append(f.Files, ConfigFile{Path: path, Values: values})
	}
	// The environment is one more layer above the files, read through
	// f.Getenv (not viper's os.Getenv) so tests and Origin agree with it;
	// flags, bound below, override every layer when given.
	env := map[string]any{}
	envKey := func(key string) {
		if val := f.Getenv(config.EnvName(key)); val != "" {
			env[key] = val
		}
	}
	var bindErr error
	flags.VisitAll(func(fl *pflag.Flag) {
		if fl.Name == "help" || fl.Name == "config" || fl.Name == "version" {
			return
		}
		key := config.Key(fl.Name)
		if err := v.BindPFlag(key, fl); err != nil {
			bindErr = err
		}
		envKey(key)
	})
	for _, s := range config.FileOnlyKeys {
		if s.Key != "routes" {
			envKey(s.Key)
		}
	}
	if err := v.MergeConfigMap(env); err != nil {
		bindErr = err
	}
	if bindErr != nil {
		return fmt.Errorf("binding settings: %w", bindErr)
	}
	f.Settings = v
	f.flags = flags
	return nil
}

// Origin says where the effective value of key comes from: "flag --x",
// "env LCWH_X", a config file's path, or "default". A nested key such as
// "routes.incoming_chat" is looked up inside its section.
func (f *Factory) Origin(key string) string {
	if f.flags != nil {
		if fl := f.flags.Lookup(strings.ReplaceAll(key, "_", "-")); fl != nil && fl.Changed {
			return "flag --" + fl.Name
		}
	}
	if !strings.Contains(key, ".") && key != "routes" && f.Getenv != nil && f.Getenv(config.EnvName(key)) != "" {
		return "env " + config.EnvName(key)
	}
	for i := len(f.Files) - 1; i >= 0; i-- {
		if lookup(f.Files[i].Values, key) {
			return f.Files[i].Path
		}
	}
	return "default"
}

func lookup(m map[string]any, key string) bool {
	head, rest, nested := strings.Cut(key, ".")
	v, ok := m[head]
	if !ok || !nested {
		return ok
	}
	sub, ok := v.(map[string]any)
	return ok && lookup(sub, rest)
}

// Route returns the URL a webhook of action goes to when the user gave no
// explicit target (--to): routes[action], else routes["*"], else
// forward_to, else "". Commands check their own explicit flag first.
func Route(s *viper.Viper, action string) string {
	if s == nil {
		return ""
	}
	routes := s.GetStringMapString("routes")
	if u := routes[strings.ToLower(action)]; u != "" {
		return u
	}
	if u := routes["*"]; u != "" {
		return u
	}
	return s.GetString("forward_to")
}

// Secrets returns every configured secret: the `secrets` list (and the
// `secret` key of a --secret flag, if a command has one), then the lines of
// `secret_file` (blank lines and lines starting with # skipped), without
// duplicates, in that order.
func Secrets(s *viper.Viper) ([]string, error) {
	if s == nil {
		return nil, nil
	}
	var out []string
	add := func(v string) {
		v = strings.TrimSpace(v)
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, key := range []string{"secret", "secrets"} {
		for _, item := range s.GetStringSlice(key) {
			for _, part := range strings.Split(item, ",") {
				add(part)
			}
		}
	}
	if path := s.GetString("secret_file"); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, UsageError("secret_file: %v", err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if line = strings.TrimSpace(line); !strings.HasPrefix(line, "#") {
				add(line)
			}
		}
	}
	return out, nil
}

// ConfigError is a malformed configuration file, located when YAML says where.
type ConfigError struct {
	Path      string
	Line, Col int // 1-based; 0 when unknown
	Msg       string
}

func (e *ConfigError) Error() string {
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("config %s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("config %s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("config %s: %s", e.Path, e.Msg)
}

// yamlLine is compiled on first use: only a broken config file needs it.
var yamlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): (.*)$`) })

// ParseConfig parses and checks one configuration file. Keys are
// lower-cased; known keys are checked for type and value, with the file,
// line and column of the offending value in the error. A relative
// secret_file is made relative to the file's directory.
func ParseConfig(path string, data []byte) (map[string]any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		e := &ConfigError{Path: path, Msg: msg}
		if m := yamlLine().FindStringSubmatch(err.Error()); m != nil {
			fmt.Sscanf(m[1], "%d", &e.Line)
			e.Msg = m[2]
		}
		return nil, e
	}
	values := map[string]any{}
	if len(doc.Content) == 0 {
		return values, nil // empty file
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, at(path, root, "the file must be a mapping of keys to values (key: value), not a %s", kind(root))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, val := root.Content[i], root.Content[i+1]
		key := strings.ToLower(k.Value)
		if line, dup := seen[key]; dup {
			return nil, at(path, k, "%q is already set on line %d", k.Value, line)
		}
		seen[key] = k.Line
		var (
			v   any
			err error
		)
		switch key {
		case "routes":
			v, err = parseRoutes(path, val)
		case "secrets":
			v, err = parseStrings(path, key, val)
		case "api_version":
			v, err = scalar(path, key, val)
			if err == nil && !slices.Contains(payload.Versions(), v.(string)) {
				err = at(path, val, "api_version: unknown version %q (lcwh knows %s)", v, strings.Join(payload.Versions(), ", "))
			}
		case "color":
			v, err = scalar(path, key, val)
			if err == nil && !slices.Contains(iostreams.ColorModes, v.(string)) {
				err = at(path, val, "color: must be auto, always or never, not %q", v)
			}
		case "secret_file":
			v, err = scalar(path, key, val)
			if err == nil && !filepath.IsAbs(v.(string)) {
				v = filepath.Join(filepath.Dir(path), v.(string))
			}
		default:
			if err = val.Decode(&v); err != nil {
				err = at(path, val, "%s: %v", key, err)
			}
		}
		if err != nil {
			return nil, err
		}
		values[key] = v
	}
	return values, nil
}

func at(path string, n *yaml.Node, format string, args ...any) error {
	return &ConfigError{Path: path, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)}
}

func kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	}
	return "single value"
}

func scalar(path, key string, n *yaml.Node) (any, error) {
	if n.Kind != yaml.ScalarNode {
		return nil, at(path, n, "%s: want a single value, not a %s", key, kind(n))
	}
	return n.Value, nil
}

func parseStrings(path, key string, n *yaml.Node) (any, error) {
	if n.Kind == yaml.ScalarNode {
		return []any{n.Value}, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, at(path, n, "%s: want a list of strings, not a %s", key, kind(n))
	}
	out := []any{}
	for _, item := range n.Content {
		if item.Kind != yaml.ScalarNode {
			return nil, at(path, item, "%s: want a list of strings, found a %s", key, kind(item))
		}
		out = append(out, item.Value)
	}
	return out, nil
}

func parseRoutes(path string, n *yaml.Node) (any, error) {
	if n.Kind != yaml.MappingNode {
		return nil, at(path, n, "routes: want a mapping of action names to URLs (incoming_chat: http://localhost:3000/chats), not a %s", kind(n))
	}
	out := map[string]any{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		action := strings.ToLower(k.Value)
		if action != "*" && len(payload.VersionsWith(action)) == 0 {
			hint := ""
			vs := payload.Versions()
			if c, err := payload.CatalogFor(vs[len(vs)-1]); err == nil {
				if near := c.Closest(action, 1); len(near) > 0 {
					hint = fmt.Sprintf(" (did you mean %q?)", near[0])
				}
			}
			return nil, at(path, k, "routes: unknown action %q%s", k.Value, hint)
		}
		if v.Kind != yaml.ScalarNode {
			return nil, at(path, v, "routes.%s: want a URL, not a %s", action, kind(v))
		}
		if !deliver.IsHTTPURL(v.Value) {
			return nil, at(path, v, "routes.%s: %q is not an http:// or https:// URL", action, v.Value)
		}
		out[action] = v.Value
	}
	return out, nil
}

// Format returns the output format for a command that supports allowed
// formats. A --format flag is returned as given (the command rejects what
// it does not know), but a format from LCWH_FORMAT or a config file that
// this command does not support falls back to the flag's default: a
// project can set `format: github` for validate without breaking
// `lcwh actions`.
func (f *Factory) Format(allowed ...string) string {
	format := f.Settings.GetString("format")
	if slices.Contains(allowed, format) || f.flags == nil {
		return format
	}
	fl := f.flags.Lookup("format")
	if fl == nil || fl.Changed {
		return format
	}
	return fl.DefValue
}
