package payload

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// tokenSeeds are JSON texts and near misses for the tokenizer's tests.
var tokenSeeds = []string{
	``, `{}`, `[]`, `"x"`, `12`, `-0.5e+3`, `01`, `1.`, `1e`, `-`, `tru`, `nul`, `{"a":1,}`, `[1,]`,
	`{"s":"esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00 \ud800 \udc00 \ud800\u0041"}`,
	"{\"a\":\"\xff\"}", "{\"a\":\"caf\xc3\xa9\"}", "{\"a\":\"x\ty\"}", `{"a":"\x"}`, `{"a":"\u12"}`, `{"a":"\u12g4"}`,
	`{"a":"hel`, `{"a":"\`, `{"a" 1}`, `{a:1}`, `{'a':1}`, `{"a":1} {"b":2}`, `{"a":1}//c`, "\xef\xbb\xbf{}",
	`{"dup":1,"dup":2}`, `{"secret_key":"s","secret_key":"t","secret\u005fkey":"u"}`, strings.Repeat("[", 100),
	`{"a":[{"b":"}"},"]",{"c":["{"]}]}`, " \n\t{ \"k\" : [ 1 , 2 ] } \r\n",
}

// Parse agrees with encoding/json: what one accepts the other does (when
// the text is valid UTF-8, which Parse insists on), with the same value.
func FuzzParseAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range tokenSeeds {
		f.Add([]byte(s))
	}
	for _, fx := range allFixtures(f) {
		f.Add(fx.raw)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Parse(data)
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var want any
		werr := dec.Decode(&want)
		if werr == nil && len(bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n")) > 0 {
			werr = errTrailing // Unmarshal's rule: one value
		}
		valid := utf8.Valid(data) && !bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) && len(data) > 0
		switch {
		case err == nil && werr != nil:
			t.Fatalf("Parse accepts %q, encoding/json does not: %v", data, werr)
		case err != nil && werr == nil && valid && depthOK(data):
			t.Fatalf("encoding/json accepts %q, Parse does not: %v", data, err)
		case err == nil && !reflect.DeepEqual(got, want):
			t.Fatalf("%q: Parse gives %#v, encoding/json %#v", data, got, want)
		}
	})
}

var errTrailing = &SyntaxError{Msg: "trailing data"}

// depthOK tells whether data nests no deeper than MaxDepth.
func depthOK(data []byte) bool {
	return bytes.Count(data, []byte("["))+bytes.Count(data, []byte("{")) <= MaxDepth
}

func benchDocs(b *testing.B) [][]byte {
	docs := benchFixtures(b)
	b.ReportAllocs()
	b.ResetTimer()
	return docs
}

// BenchmarkParse is the parser alone (Decode adds the envelope).
func BenchmarkParse(b *testing.B) {
	docs := benchDocs(b)
	for b.Loop() {
		for _, d := range docs {
			if _, err := Parse(d); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkLocateAll locates every value of every fixture.
func BenchmarkLocateAll(b *testing.B) {
	docs := benchFixtures(b)
	ptrs := make([][]string, len(docs))
	for i, d := range docs {
		v, _ := Parse(d)
		ptrs[i] = allPointers(v, "")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for i, d := range docs {
			LocateAll(d, ptrs[i])
		}
	}
}

func allPointers(v any, at string) []string {
	out := []string{at}
	switch v := v.(type) {
	case map[string]any:
		for k, c := range v {
			out = append(out, allPointers(c, at+"/"+pointerEscaper.Replace(k))...)
		}
	case []any:
		for i, c := range v {
			out = append(out, allPointers(c, at+"/"+itoa(i))...)
		}
	}
	return out
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// BenchmarkRedact redacts every fixture (each has a secret_key).
func BenchmarkRedact(b *testing.B) {
	docs := benchDocs(b)
	for b.Loop() {
		for _, d := range docs {
			Redact(d)
		}
	}
}

// Unquote decodes what encoding/json decodes, the same way; what it
// declines (ok false) StringEnd reports, and the lenient skips stay inside
// the text.
func FuzzUnquote(f *testing.F) {
	for _, s := range tokenSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || data[0] != '"' {
			data = append([]byte(`"`), data...)
		}
		got, end, ok := Unquote(data, 0)
		send, _, serr := StringEnd(data, 0)
		if ok != (serr == nil) || ok && end != send {
			t.Fatalf("%q: Unquote ok %v end %d, StringEnd %d %v", data, ok, end, send, serr)
		}
		var want string
		werr := json.Unmarshal(data[:max(send, 1)], &want)
		if ok && (werr != nil || string(got) != want) {
			t.Fatalf("%q: Unquote %q, encoding/json %q %v", data, got, want, werr)
		}
		if serr != nil && (serr.Off < 0 || serr.Off > len(data)) {
			t.Fatalf("%q: fault at %d", data, serr.Off)
		}
		if e, _ := SkipString(data, 0); e > len(data) || ok && e != end {
			t.Fatalf("%q: SkipString %d, Unquote %d", data, e, end)
		}
		for i := range data {
			if e := SkipValue(data, i); e < i || e > len(data) {
				t.Fatalf("%q: SkipValue(%d) = %d", data, i, e)
			}
		}
	})
}

// Members reads an object's members as encoding/json does, in order,
// duplicates included; on any text it stops without reading past the end.
func FuzzMembers(f *testing.F) {
	for _, s := range tokenSeeds {
		f.Add([]byte(s))
	}
	for _, fx := range allFixtures(f)[:8] {
		f.Add(fx.raw)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		at := SpaceEnd(data, 0)
		if at >= len(data) || data[at] != '{' {
			return
		}
		var got []string
		m := ObjectMembers(data, at)
		for n := 0; m.Next(); n++ {
			if m.Value >= len(data) || n > len(data) {
				t.Fatalf("%q: value at %d, member %d", data, m.Value, n)
			}
			got = append(got, m.Name()+"="+string(data[m.Value:SkipValue(data, m.Value)]))
		}
		end, closed := m.End()
		if v, err := Parse(data); err != nil || v == nil {
			return
		}
		want, err := decoderMembers(data)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) || !closed || SpaceEnd(data, end) != len(data) {
			t.Fatalf("%q: members %q (closed %v at %d), want %q", data, got, closed, end, want)
		}
	})
}

// decoderMembers lists the members of the object data as encoding/json reads them.
func decoderMembers(data []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var out []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, k.(string)+"="+string(v))
	}
	return out, nil
}

func TestMembersStops(t *testing.T) {
	for _, tc := range []struct {
		text   string
		want   string // the names read
		closed bool
	}{
		{`{}`, "", true},
		{` { "a" : 1 , "b\u0063" : [1,{"c":2}] } `, "a bc", true},
		{`{"a":1,"a":2}`, "a a", true},
		{`{"a":1,}`, "a", true},
		{`{"a":1 "b":2}`, "a", false},
		{`{"a":,"b":2}`, "a b", true},
		{`{"a":}`, "a", true},
		{`{"a"`, "", false},
		{`{"a":`, "", false},
		{`{"a":"x`, "a", false},
		{`{"a":{"b":1}`, "a", false},
		{`{a:1}`, "", false},
	} {
		var names []string
		m := ObjectMembers([]byte(tc.text), strings.IndexByte(tc.text, '{'))
		for m.Next() {
			names = append(names, m.Name())
		}
		if _, closed := m.End(); strings.Join(names, " ") != tc.want || closed != tc.closed {
			t.Errorf("%s: read %q, closed %v; want %q, %v", tc.text, names, closed, tc.want, tc.closed)
		}
	}
}
