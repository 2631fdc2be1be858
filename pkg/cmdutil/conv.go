package cmdutil

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Conversions of a setting's value to the type a command asks for, as
// spf13/cast (which viper used) does them for the values settings hold:
// strings (environment, flags), YAML scalars (string, int, uint64, float64,
// bool, nil), lists and maps, and the typed flag values of flagValue. An
// unconvertible value gives the zero value. cast itself is not linked: it
// brings html/template and text/template's init into every run.
// TestConversionsMatchCast holds the two together.

func toString(v any) string {
	s, _ := toStringOK(v)
	return s
}

func toStringOK(v any) (string, bool) {
	switch s := v.(type) {
	case string:
		return s, true
	case bool:
		return strconv.FormatBool(s), true
	case float64:
		return strconv.FormatFloat(s, 'f', -1, 64), true
	case int:
		return strconv.Itoa(s), true
	case int64:
		return strconv.FormatInt(s, 10), true
	case uint64:
		return strconv.FormatUint(s, 10), true
	case nil:
		return "", true
	case fmt.Stringer:
		return s.String(), true
	case error:
		return s.Error(), true
	}
	return "", false
}

func toBool(v any) bool {
	switch b := v.(type) {
	case bool:
		return b
	case int:
		return b != 0
	case int64:
		return b != 0
	case uint64:
		return b != 0
	case float64:
		return b != 0
	case time.Duration:
		return b != 0
	case string:
		ok, _ := strconv.ParseBool(b)
		return ok
	}
	return false
}

func toInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case uint64:
		return int64(n), true
	case float64:
		return int64(n), true
	case time.Duration:
		return int64(n), true
	case bool:
		if n {
			return 1, true
		}
		return 0, true
	case nil:
		return 0, true
	case string:
		if n == "" {
			return 0, true
		}
		i, err := strconv.ParseInt(trimDecimal(n), 0, 0)
		if err != nil {
			return 0, false
		}
		return i, true
	}
	return 0, false
}

// trimDecimal drops the fraction of a decimal number ("12.50" -> "12").
func trimDecimal(s string) string {
	intPart, frac, ok := strings.Cut(s, ".")
	if !ok || strings.Contains(frac, ".") || strings.Trim(frac, "0123456789") != "" {
		return s
	}
	digits := strings.TrimLeft(intPart, "+-")
	if len(intPart)-len(digits) > 1 || strings.Trim(digits, "0123456789") != "" {
		return s
	}
	if digits == "" {
		return intPart + "0"
	}
	return intPart
}

func toInt(v any) int {
	n, _ := toInt64(v)
	return int(n)
}

func toDuration(v any) time.Duration {
	switch d := v.(type) {
	case time.Duration:
		return d
	case int, int64, uint64:
		n, _ := toInt64(d)
		return time.Duration(n)
	case float64:
		return time.Duration(d)
	case string:
		if !strings.ContainsAny(d, "nsuµmh") {
			d += "ns"
		}
		out, _ := time.ParseDuration(d)
		return out
	}
	return 0
}

func toStringSlice(v any) []string {
	switch s := v.(type) {
	case nil:
		return nil
	case []string:
		return s
	case []any:
		out := make([]string, len(s))
		for i, x := range s {
			str, ok := toStringOK(x)
			if !ok {
				return nil
			}
			out[i] = str
		}
		return out
	case []int:
		out := make([]string, len(s))
		for i, x := range s {
			out[i] = strconv.Itoa(x)
		}
		return out
	case string:
		return strings.Fields(s)
	}
	if str, ok := toStringOK(v); ok {
		return []string{str}
	}
	return nil
}

func toIntSlice(v any) []int {
	var items []any
	switch s := v.(type) {
	case []int:
		return s
	case []any:
		items = s
	case []string:
		for _, x := range s {
			items = append(items, x)
		}
	default:
		return nil
	}
	out := make([]int, len(items))
	for i, x := range items {
		n, ok := toInt64(x)
		if !ok {
			return nil
		}
		out[i] = int(n)
	}
	return out
}

func toStringMapString(v any) map[string]string {
	out := map[string]string{}
	switch m := v.(type) {
	case map[string]string:
		return m
	case map[string]any:
		for k, x := range m {
			out[k] = toString(x)
		}
	case map[any]any:
		for k, x := range m {
			out[toString(k)] = toString(x)
		}
	case string:
		_ = json.Unmarshal([]byte(m), &out) // what decodes as strings
	}
	return out
}
