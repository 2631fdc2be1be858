package cmdutil

import (
	"encoding/csv"
	"strings"
	"time"

	"github.com/spf13/cast"
	"github.com/spf13/pflag"
)

// Settings is the resolved configuration of one run: a key's value is the
// flag's when given on the command line, else the merged LCWH_* environment
// and config files (later layers win, nested maps merge key by key), else
// the flag's default.
//
// It does what lcwh used of viper (BindPFlag, MergeConfigMap, the typed
// getters, with the same conversions: github.com/spf13/cast) without
// viper's own dependencies (afero, gotenv, toml, fsnotify, ...), whose
// package initialisation cost every run of lcwh a few milliseconds.
type Settings struct {
	flags  map[string]*pflag.Flag // key -> the running command's flag
	values map[string]any         // files and environment, merged; keys lower-cased
}

func newSettings() *Settings {
	return &Settings{flags: map[string]*pflag.Flag{}, values: map[string]any{}}
}

// merge lays m over the values: keys are lower-cased (in m too, nested
// maps included), maps merge key by key, anything else replaces.
func (s *Settings) merge(m map[string]any) {
	lowerKeys(m)
	mergeInto(s.values, m)
}

func lowerKeys(m map[string]any) {
	for k, v := range m {
		v = lowerVal(v)
		if lk := strings.ToLower(k); lk != k {
			delete(m, k)
			m[lk] = v
		} else {
			m[k] = v
		}
	}
}

func lowerVal(v any) any {
	switch v := v.(type) {
	case map[any]any:
		m := cast.ToStringMap(v)
		lowerKeys(m)
		return m
	case map[string]any:
		lowerKeys(v)
	case []any:
		for i := range v {
			v[i] = lowerVal(v[i])
		}
	}
	return v
}

func mergeInto(dst, src map[string]any) {
	for k, sv := range src {
		dv, ok := dst[k]
		if !ok {
			dst[k] = copyVal(sv)
			continue
		}
		if dm, ok := dv.(map[string]any); ok {
			if sm, ok := sv.(map[string]any); ok {
				mergeInto(dm, sm)
			}
			continue // a map is not replaced by a single value
		}
		dst[k] = copyVal(sv)
	}
}

// copyVal copies maps so merging later layers never writes into a file's
// own parsed values (Factory.Files).
func copyVal(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := make(map[string]any, len(m))
	for k, x := range m {
		out[k] = copyVal(x)
	}
	return out
}

// Get returns the raw value of key ("a.b" looks inside map a), or nil.
func (s *Settings) Get(key string) any {
	key = strings.ToLower(key)
	fl := s.flags[key]
	if fl != nil && fl.Changed {
		return flagValue(fl)
	}
	var cur any = s.values
	for _, part := range strings.Split(key, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			cur = nil
			break
		}
		cur = m[part]
	}
	if cur != nil {
		return cur
	}
	if fl != nil {
		return flagValue(fl)
	}
	return nil
}

// flagValue types a flag's value the way viper did: numbers and booleans
// parsed, slices split from their CSV form, anything else as a string.
func flagValue(fl *pflag.Flag) any {
	switch fl.Value.Type() {
	case "int", "int8", "int16", "int32", "int64":
		return cast.ToInt(fl.Value.String())
	case "bool":
		return cast.ToBool(fl.Value.String())
	case "stringSlice", "stringArray":
		return readAsCSV(fl.Value.String())
	case "intSlice":
		return cast.ToIntSlice(readAsCSV(fl.Value.String()))
	}
	return fl.Value.String()
}

func readAsCSV(val string) []string {
	val = strings.TrimSuffix(strings.TrimPrefix(val, "["), "]")
	if val == "" {
		return []string{}
	}
	out, _ := csv.NewReader(strings.NewReader(val)).Read()
	return out
}

// The typed getters convert Get's value as viper's did (spf13/cast).
func (s *Settings) GetString(key string) string          { return cast.ToString(s.Get(key)) }
func (s *Settings) GetBool(key string) bool              { return cast.ToBool(s.Get(key)) }
func (s *Settings) GetInt(key string) int                { return cast.ToInt(s.Get(key)) }
func (s *Settings) GetInt64(key string) int64            { return cast.ToInt64(s.Get(key)) }
func (s *Settings) GetDuration(key string) time.Duration { return cast.ToDuration(s.Get(key)) }
func (s *Settings) GetStringSlice(key string) []string   { return cast.ToStringSlice(s.Get(key)) }
func (s *Settings) GetIntSlice(key string) []int         { return cast.ToIntSlice(s.Get(key)) }
func (s *Settings) GetStringMapString(key string) map[string]string {
	return cast.ToStringMapString(s.Get(key))
}
