package payload

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestParseSyntaxErrors(t *testing.T) {
	tests := []struct {
		name, in   string
		line, col  int
		msgContain string
	}{
		{"empty", "", 1, 1, "empty document"},
		{"blank", "  \n ", 2, 2, "empty document"},
		{"bom", "\xef\xbb\xbf{}", 1, 1, "byte order mark"},
		{"trailing comma object", "{\"a\": 1,\n}", 2, 1, "trailing comma before '}'"},
		{"trailing comma array", `{"a": [1, 2, ]}`, 1, 14, "trailing comma before ']'"},
		{"unquoted key", `{"access": { groups: [0] }}`, 1, 14, "keys must be double-quoted"},
		{"line comment", "{\n  \"a\": 1 // note\n}", 2, 10, "comments are not allowed"},
		{"comment as value", "{\"users\": [ // array\n]}", 1, 13, "comments are not allowed"},
		{"block comment", "/* x */ {}", 1, 1, "comments are not allowed"},
		{"stray bracket", "{\"a\": {\"b\": 1} ], \"c\": 2}", 1, 16, "unexpected ']'"},
		{"truncated", `{"a": {"b": [1, 2`, 1, 18, "truncated"},
		{"truncated string", `{"a": "hel`, 1, 11, "string opened at 1:7"},
		{"invalid utf8 in string", "{\"a\": \"caf\xe9\"}", 1, 11, "invalid UTF-8 byte 0xe9"},
		{"invalid utf8 outside", "{\"a\": \xff}", 1, 7, "invalid UTF-8 byte 0xff"},
		{"control char", "{\"a\": \"line\nbreak\"}", 1, 12, `U+000A`},
		{"tab in string", "{\"a\": \"x\ty\"}", 1, 9, `\t`},
		{"second value", `{"a": 1} {"b": 2}`, 1, 10, "only one top-level value"},
		{"single quotes", `{'a': 1}`, 1, 2, "double quotes"},
		{"leading zero", `{"a": 01}`, 1, 7, "leading zeros"},
		{"bad literal", `{"a": tru}`, 1, 7, "expected true"},
		{"missing colon", `{"a" 1}`, 1, 6, "':' after key \"a\""},
		{"missing comma", `{"a": 1 "b": 2}`, 1, 9, "',' or '}'"},
		{"columns count characters", "{\"ä\": \"ö\", }", 1, 12, "trailing comma"},
		{"bad escape", `{"a": "\x"}`, 1, 8, `invalid escape`},
		{"too deep", strings.Repeat("[", MaxDepth+2), 1, MaxDepth + 2, "nesting deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("Parse(%q) error = %v, want *SyntaxError", tt.in, err)
			}
			if se.Line != tt.line || se.Column != tt.col || !strings.Contains(se.Msg, tt.msgContain) {
				t.Errorf("Parse(%q) = %d:%d %q, want %d:%d containing %q", tt.in, se.Line, se.Column, se.Msg, tt.line, tt.col, tt.msgContain)
			}
		})
	}
}

// Parse must agree with encoding/json on every valid document.
func TestParseAgreesWithEncodingJSON(t *testing.T) {
	docs := []string{
		`{}`, `[]`, `{"a":[1,-2.5e+3,0,true,false,null,"x"]}`,
		`{"s":"esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00 \ud800"}`,
		"  {\"unicode\": \"żółć 日本\"}  \n", `"top"`, `12`, `{"dup":1,"dup":2}`,
		strings.Repeat("[", 5000) + strings.Repeat("]", 5000),
	}
	for _, d := range docs {
		got, err := Parse([]byte(d))
		if err != nil {
			t.Fatalf("Parse(%.40q): %v", d, err)
		}
		var want any
		dec := json.NewDecoder(strings.NewReader(d))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Parse(%.40q) = %#v, want %#v", d, got, want)
		}
	}
}

func TestPosition(t *testing.T) {
	data := []byte("ab\nçd\n\nx")
	cases := []struct{ off, line, col int }{
		{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {5, 2, 2}, {6, 2, 3}, {7, 3, 1}, {8, 4, 1}, {100, 4, 2},
	}
	for _, tt := range cases {
		if l, c := Position(data, tt.off); l != tt.line || c != tt.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", tt.off, l, c, tt.line, tt.col)
		}
	}
	// Positions: the same, for offsets in any order
	var offs []int
	for i := len(cases) - 1; i >= 0; i-- {
		offs = append(offs, cases[i].off, cases[i].off)
	}
	lines, cols := Positions(data, offs)
	for i, off := range offs {
		if l, c := Position(data, off); lines[i] != l || cols[i] != c {
			t.Errorf("Positions at %d: %d:%d, want %d:%d", off, lines[i], cols[i], l, c)
		}
	}
}

func TestLocate(t *testing.T) {
	data := []byte(`{
  "a": {"b": [10, {"c": "x"}, "s,]}"], "d": 1},
  "e/f": true,
  "tail": [1, 2]
}`)
	for _, tt := range []struct {
		ptr  string
		want string // the text at the located offset
	}{
		{"", "{\n"},
		{"/a", `{"b"`},
		{"/a/b/1", `{"c"`},
		{"/a/b/1/c", `"x"`},
		{"/a/b/2", `"s,]}"`},
		{"/a/d", `1}`},
		{"/e~1f", "true"},
		{"/tail/1", "2]"},
		{"/a/missing", `{"b"`},
		{"/a/b/9", `[10`},
	} {
		off := Locate(data, SplitPointer(tt.ptr))
		if !strings.HasPrefix(string(data[off:]), tt.want) {
			t.Errorf("Locate(%q) at %q, want %q", tt.ptr, data[off:min(off+10, len(data))], tt.want)
		}
	}
}

func TestRedact(t *testing.T) {
	in := []byte("{\"webhook_id\": \"w\",\n  \"secret_key\" : \"s3cr\\\"et\", \"payload\": {\"secret_key\": \"inner\"}}")
	got := string(Redact(in))
	want := "{\"webhook_id\": \"w\",\n  \"secret_key\" : \"<redacted>\", \"payload\": {\"secret_key\": \"inner\"}}"
	if got != want {
		t.Errorf("Redact = %s\nwant     %s", got, want)
	}
	for _, keep := range []string{`{"a": 1}`, `[1]`, `[{"secret_key": 5}]`} {
		if got := string(Redact([]byte(keep))); got != keep {
			t.Errorf("Redact(%s) = %s, want unchanged", keep, got)
		}
	}
}

func TestRedactLoose(t *testing.T) {
	for in, want := range map[string]string{
		`{"secret_key": "abc", "x":`:  `{"secret_key": "<redacted>", "x":`,
		`{"secret_key":"a\"bc`:        `{"secret_key":"<redacted>"`,
		`{"webhook_id":"w","other":1`: `{"webhook_id":"w","other":1`,
	} {
		if got := string(RedactLoose([]byte(in))); got != want {
			t.Errorf("RedactLoose(%q) = %q, want %q", in, got, want)
		}
	}
}
