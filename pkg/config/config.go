// Package config reads lcwh's configuration (the files .lcwh.yaml and
// $XDG_CONFIG_HOME/lcwh/config.yaml, and LCWH_* variables) and resolves it
// into flags: flag > environment > project file > user file > default.
// Every value keeps where it came from, so an error names the variable,
// or the file and its line, that set it, never a flag the user did not give.
// It knows the shape of the files, not what the values mean: those are
// checked by the flags they set, and routes by pkg/cmdflags.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/lcwh/lcwh/pkg/suggest"
)

// EnvPrefix prefixes every environment variable lcwh reads.
const EnvPrefix = "LCWH"

// ProjectFile is the per-project file, read from the working directory.
const ProjectFile = ".lcwh.yaml"

// Key turns a flag name into its settings key: "api-version" -> "api_version".
func Key(flag string) string { return strings.ReplaceAll(flag, "-", "_") }

// EnvName turns a settings key into its environment variable: LCWH_API_VERSION.
func EnvName(key string) string { return EnvPrefix + "_" + strings.ToUpper(key) }

// Setting describes one key lcwh reads.
type Setting struct {
	Key     string
	Default string
	Usage   string
	// Uses are the definitions of the key's flag when commands define it
	// differently (--format: each its own values and default), in the
	// order of the tree; nil when every command agrees.
	Uses []Use
}

// Use is one definition of a flag, shared by Commands ("send", "config show").
type Use struct {
	Commands []string
	Default  string
	Usage    string
}

// FileOnlyKeys are settings with no flag: they live in config files and
// (except routes) in the environment.
var FileOnlyKeys = []Setting{
	{Key: "secrets", Usage: "webhook secrets accepted or sent (list; LCWH_SECRETS is comma or space separated)"},
	{Key: "secret_file", Usage: "file holding one secret per line (relative to the config file that names it)"},
	{Key: "routes", Usage: "map of action name (or \"*\") to the URL that webhook is sent or forwarded to"},
	// no flag: a command line shows in ps to the other users the token keeps out
	{Key: "ui_token", Usage: "listen's web inspector token, fixed for scripts (at least 16 letters, digits, - . _ ~); default: a new random one each run"},
}

// UserFile is $XDG_CONFIG_HOME/lcwh/config.yaml (or the OS equivalent);
// "" when there is no such directory.
func UserFile(getenv func(string) string) string {
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

// Kind is where a value came from.
type Kind int

const (
	Default Kind = iota
	FromFile
	FromEnv
	FromFlag
)

// Source is where a value came from: a flag, a variable, a file's line
// and column, or the default.
type Source struct {
	Kind      Kind
	Name      string // flag name, variable name or file path
	Line, Col int    // in the file; 0 when unknown
}

// String is how `config show` names a source: "flag --color",
// "env LCWH_API_VERSION", ".lcwh.yaml" or "default".
func (s Source) String() string {
	switch s.Kind {
	case FromFlag:
		return "flag --" + s.Name
	case FromEnv:
		return "env " + s.Name
	case FromFile:
		return s.Name
	}
	return "default"
}

// At is the source's place in the file: "path:line:col" (or less).
func (s Source) At() string {
	switch {
	case s.Line > 0 && s.Col > 0:
		return fmt.Sprintf("%s:%d:%d", s.Name, s.Line, s.Col)
	case s.Line > 0:
		return fmt.Sprintf("%s:%d", s.Name, s.Line)
	}
	return s.Name
}

// Value is one configured setting.
type Value struct {
	Key    string
	Text   string   // a single value
	List   []string // a YAML list; nil for a single value
	Source Source
}

// Items is the value as a list: a YAML list as it is, an environment
// variable split by split, a single value as one item.
func (v Value) Items(split func(string) []string) []string {
	switch {
	case v.List != nil:
		return v.List
	case v.Source.Kind == FromEnv && split != nil:
		return split(v.Text)
	}
	return []string{v.Text}
}

// Error is a configured value that is not valid where it is used.
type Error struct {
	Source Source
	Key    string
	Value  string
	Err    error
}

func (e *Error) Error() string {
	switch e.Source.Kind {
	case FromEnv:
		return fmt.Sprintf("%s=%q: %v", e.Source.Name, e.Value, e.Err)
	case FromFile:
		return fmt.Sprintf("config %s: %s: %q: %v", e.Source.At(), e.Key, e.Value, e.Err)
	case FromFlag:
		return fmt.Sprintf("--%s %q: %v", e.Source.Name, e.Value, e.Err)
	}
	return fmt.Sprintf("%s %q: %v", e.Key, e.Value, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// FileError is a malformed configuration file, located when YAML says where.
type FileError struct {
	Path      string
	Line, Col int // 1-based; 0 when unknown
	Msg       string
}

func (e *FileError) Error() string {
	return fmt.Sprintf("config %s: %s", Source{Kind: FromFile, Name: e.Path, Line: e.Line, Col: e.Col}.At(), e.Msg)
}

// File is one configuration file as read.
type File struct {
	Path   string
	Keys   []string // in file order, lower-cased
	keyAt  map[string]Source
	values map[string]Value
	Routes []Route // in file order
}

// Value returns the file's value of key.
func (f *File) Value(key string) (Value, bool) {
	v, ok := f.values[key]
	return v, ok
}

// Route is one entry of the routes map: where webhooks of Action go.
type Route struct {
	Action   string // an action name (lower-cased), or "*"
	URL      string
	Source   Source // of the URL
	ActionAt Source // where the action is named
}

// Config is the configuration of one run: the files read and the
// environment.
type Config struct {
	Files  []*File // lowest precedence first
	getenv func(string) string
}

// Load reads the user and project files (or only explicit, from --config
// or LCWH_CONFIG). A missing default file is no error; a missing explicit
// one is.
func Load(getenv func(string) string, explicit string) (*Config, error) {
	c := &Config{getenv: getenv}
	paths := []string{UserFile(getenv), ProjectFile}
	if explicit != "" {
		paths = []string{explicit}
	}
	for _, path := range paths {
		if path == "" {
			continue
		}
		b, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) && explicit == "" {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		f, err := Parse(path, b)
		if err != nil {
			return nil, err
		}
		c.Files = append(c.Files, f)
	}
	return c, nil
}

// New is a configuration of files already parsed, for tests.
func New(getenv func(string) string, files ...*File) *Config {
	return &Config{Files: files, getenv: getenv}
}

// Paths lists the files read, lowest precedence first.
func (c *Config) Paths() []string {
	out := []string{}
	for _, f := range c.Files {
		out = append(out, f.Path)
	}
	return out
}

// Lookup returns the configured value of key: its LCWH_* variable when
// set, else the last file that has it. routes is not a value (see Routes).
func (c *Config) Lookup(key string) (Value, bool) {
	if key != "routes" && c.getenv != nil {
		name := EnvName(key)
		if v := c.getenv(name); v != "" {
			return Value{Key: key, Text: v, Source: Source{Kind: FromEnv, Name: name}}, true
		}
	}
	for i := len(c.Files) - 1; i >= 0; i-- {
		if v, ok := c.Files[i].values[key]; ok {
			return v, true
		}
	}
	return Value{}, false
}

// UnknownKeys returns a warning for each key of the files that known
// lacks (a typo lcwh would ignore), located at the key and naming the
// known key it looks like:
//
//	config .lcwh.yaml:1:1: unknown key "colour" (did you mean "color"?)
//
// LCWH_* variables are not checked: the environment is inherited by every
// process, and another tool's variable may share the prefix.
func (c *Config) UnknownKeys(known []string) []*FileError {
	var out []*FileError
	for _, f := range c.Files {
		for _, k := range f.Keys {
			if slices.Contains(known, k) {
				continue
			}
			msg := fmt.Sprintf("unknown key %q", k)
			if like := suggest.Lookalike(k, known); like != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", like)
			}
			at := f.keyAt[k]
			out = append(out, &FileError{Path: f.Path, Line: at.Line, Col: at.Col, Msg: msg})
		}
	}
	return out
}

// Routes returns the configured routes, the project's over the user's
// for the same action (forward_to is not among them: Target falls back
// to it).
func (c *Config) Routes() map[string]Route {
	out := map[string]Route{}
	for _, f := range c.Files {
		for _, r := range f.Routes {
			out[r.Action] = r
		}
	}
	return out
}

// Target is where a webhook of action goes when the command line names
// no target: routes[action], else routes["*"], else forward_to, as a
// Value whose Key says which ("routes.incoming_chat", "forward_to");
// false when none is configured.
func (c *Config) Target(action string) (Value, bool) {
	routes := c.Routes()
	r, ok := routes[strings.ToLower(action)]
	if !ok || action == "" {
		r, ok = routes["*"]
	}
	if ok {
		return Value{Key: "routes." + r.Action, Text: r.URL, Source: r.Source}, true
	}
	return c.Lookup("forward_to")
}

// Secret is one configured secret and where it came from.
type Secret struct {
	Value  string
	Source Source
}

// Secrets returns the secrets of the `secrets` key (a list, or LCWH_SECRETS
// split by commas and spaces), then the lines of `secret_file` (blank
// lines and # comments skipped), without duplicates.
func (c *Config) Secrets() ([]Secret, error) {
	var out []Secret
	seen := map[string]bool{}
	add := func(s string, src Source) {
		if s = strings.TrimSpace(s); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, Secret{s, src})
		}
	}
	if v, ok := c.Lookup("secrets"); ok {
		for _, s := range v.Items(SplitFields) {
			for _, part := range strings.Split(s, ",") {
				add(part, v.Source)
			}
		}
	}
	v, ok := c.Lookup("secret_file")
	if !ok {
		return out, nil
	}
	b, err := os.ReadFile(v.Text)
	if err != nil {
		return nil, &Error{Source: v.Source, Key: v.Key, Value: v.Text, Err: readError(err)}
	}
	for i, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); !strings.HasPrefix(line, "#") {
			add(line, Source{Kind: FromFile, Name: v.Text, Line: i + 1})
		}
	}
	return out, nil
}

func readError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// SplitFields splits a variable's value at commas and white space.
func SplitFields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
}

// yamlLine is compiled on first use: only a broken config file needs it.
var yamlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): (.*)$`) })

// Parse parses and checks the shape of one configuration file: a mapping
// of keys (lower-cased) to single values or lists; routes a mapping of
// names to single values; secret_file relative to the file's directory.
// Values of flags are checked when they are applied to a command's flags
// (see Apply), routes by pkg/cmdflags.
func Parse(path string, data []byte) (*File, error) {
	f := &File{Path: path, keyAt: map[string]Source{}, values: map[string]Value{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		e := &FileError{Path: path, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
		if m := yamlLine().FindStringSubmatch(err.Error()); m != nil {
			fmt.Sscanf(m[1], "%d", &e.Line)
			e.Msg = m[2]
		}
		return nil, e
	}
	if len(doc.Content) == 0 {
		return f, nil // empty file
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, at(path, root, "the file must be a mapping of keys to values (key: value), not a %s", kind(root))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, n := root.Content[i], root.Content[i+1]
		key := strings.ToLower(k.Value)
		if line, dup := seen[key]; dup {
			return nil, at(path, k, "%q is already set on line %d", k.Value, line)
		}
		seen[key] = k.Line
		f.Keys = append(f.Keys, key)
		f.keyAt[key] = Source{Kind: FromFile, Name: path, Line: k.Line, Col: k.Column}
		if key == "routes" {
			routes, err := parseRoutes(path, n)
			if err != nil {
				return nil, err
			}
			f.Routes = routes
			continue
		}
		v := Value{Key: key, Source: Source{Kind: FromFile, Name: path, Line: n.Line, Col: n.Column}}
		switch n.Kind {
		case yaml.ScalarNode:
			v.Text = n.Value
		case yaml.SequenceNode:
			v.List = []string{}
			for _, item := range n.Content {
				if item.Kind != yaml.ScalarNode {
					return nil, at(path, item, "%s: want a list of single values, found a %s", key, kind(item))
				}
				v.List = append(v.List, item.Value)
			}
		default:
			return nil, at(path, n, "%s: want a value or a list, not a %s", key, kind(n))
		}
		switch key {
		case "secret_file":
			if v.List != nil {
				return nil, at(path, n, "%s: want a single value, not a list", key)
			}
			if !filepath.IsAbs(v.Text) {
				v.Text = filepath.Join(filepath.Dir(path), v.Text)
			}
		}
		f.values[key] = v
	}
	return f, nil
}

func parseRoutes(path string, n *yaml.Node) ([]Route, error) {
	if n.Kind != yaml.MappingNode {
		return nil, at(path, n, "routes: want a mapping of action names to URLs (incoming_chat: http://localhost:3000/chats), not a %s", kind(n))
	}
	var out []Route
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		action := strings.ToLower(k.Value)
		if v.Kind != yaml.ScalarNode {
			return nil, at(path, v, "routes.%s: want a URL, not a %s", action, kind(v))
		}
		out = append(out, Route{Action: action, URL: v.Value,
			Source:   Source{Kind: FromFile, Name: path, Line: v.Line, Col: v.Column},
			ActionAt: Source{Kind: FromFile, Name: path, Line: k.Line, Col: k.Column}})
	}
	return out, nil
}

func at(path string, n *yaml.Node, format string, args ...any) error {
	return &FileError{Path: path, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)}
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
