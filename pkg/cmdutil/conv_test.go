package cmdutil

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/spf13/cast"
)

// TestConversionsMatchCast: the typed getters convert every kind of value
// a setting can hold exactly as spf13/cast (viper's conversions) does.
func TestConversionsMatchCast(t *testing.T) {
	values := []any{
		nil, "", " ", "x", "true", "false", "1", "0", "t", "yes", "42", "-7", "+3", "0x10", "010", "1_000",
		"12.0", "12.50", "-.5", "+.", ".", "1.2.3", "1e3", "9999999999999999999", "30s", "1m30s", "250", "1.5h", "µs",
		"a b  c", "a,b", " a ,b ", `{"incoming_chat":"http://x","*":3}`, "[1,2]",
		true, false, 0, 1, -3, 42, int64(7), uint64(8), 0.0, 2.5, -1.75, 1e21,
		5 * time.Second, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), errors.New("boom"),
		[]any{}, []any{"a", 1, true, 2.5, nil}, []any{"200", 204.0, "x"}, []any{"200", 204}, []any{[]any{"nested"}},
		[]string{}, []string{"a", "b"}, []string{"200", "204"}, []string{"2x"}, []int{}, []int{200, 204},
		map[string]any{}, map[string]any{"a": "x", "b": 2, "c": nil, "d": []any{"l"}},
		map[any]any{"k": 1, 2: "two"}, map[string]string{"a": "b"},
	}
	for _, v := range values {
		check := func(name string, got, want any) {
			t.Helper()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s(%#v) = %#v, cast gives %#v", name, v, got, want)
			}
		}
		check("toString", toString(v), cast.ToString(v))
		check("toBool", toBool(v), cast.ToBool(v))
		check("toInt", toInt(v), cast.ToInt(v))
		n, _ := toInt64(v)
		check("toInt64", n, cast.ToInt64(v))
		check("toDuration", toDuration(v), cast.ToDuration(v))
		check("toStringSlice", toStringSlice(v), cast.ToStringSlice(v))
		check("toIntSlice", toIntSlice(v), cast.ToIntSlice(v))
		check("toStringMapString", toStringMapString(v), cast.ToStringMapString(v))
	}
}
