package render

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/tidwall/pretty"

	"github.com/lcwh/lcwh/fixtures"
)

// reference is what tidwall/pretty, which AppendPretty replaces, writes.
func reference(raw []byte, color bool) []byte {
	out := pretty.PrettyOptions(raw, &pretty.Options{Width: 80, Indent: "  "})
	if color {
		out = pretty.Color(out, pretty.TerminalStyle)
	}
	return out
}

// corpus is every fixture plus generated JSON of every shape.
func corpus(t testing.TB) [][]byte {
	var docs [][]byte
	fs.WalkDir(fixtures.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".json") {
			b, _ := fs.ReadFile(fixtures.FS(), path)
			docs = append(docs, b)
		}
		return nil
	})
	if len(docs) < 100 {
		t.Fatalf("only %d fixtures", len(docs))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		b, _ := json.Marshal(randomValue(rng, 0))
		docs = append(docs, b)
	}
	docs = append(docs, []byte(`{"a" : [ ], "b":{ }, "c": [[], [{}]], "e":"\"\\\u00e9\n", "n": -1.5e+3}`), []byte(`"x"`), []byte(`[1,2]`), []byte(`{}`))
	return docs
}

func randomValue(rng *rand.Rand, depth int) any {
	switch k := rng.IntN(8); {
	case k < 2 && depth < 6:
		m := map[string]any{}
		for i := range rng.IntN(5) {
			m[strings.Repeat("k", i+1)+"\t\"é"] = randomValue(rng, depth+1)
		}
		return m
	case k < 4 && depth < 6:
		var a []any
		for range rng.IntN(12) {
			a = append(a, randomValue(rng, depth+1))
		}
		return a
	case k == 4 && rng.IntN(2) == 0:
		return strings.Repeat("word ", rng.IntN(12)) + "\n\\\"<&>\u00e9"
	case k == 4:
		return strings.Repeat("word ", rng.IntN(12))
	case k == 5:
		return rng.Float64() * 1e6
	case k == 6:
		return rng.IntN(2) == 0
	}
	return nil
}

// TestPrettyMatchesTidwall: within the limits, the text is tidwall/pretty's
// to the byte, so nothing a user saw before changes; so are the colours,
// but for tidwall's colouring of an escaped backslash (it colours the
// character after it as part of the escape).
func TestPrettyMatchesTidwall(t *testing.T) {
	for i, raw := range corpus(t) {
		got, cut := AppendPretty(nil, raw, false, DefaultLimits)
		if want := reference(raw, false); !bytes.Equal(got, want) {
			t.Fatalf("%.200s\n got %q\nwant %q", raw, firstDiff(got, want), firstDiff(want, got))
		}
		if cut != (Cut{Depth: DefaultLimits.Depth}) {
			t.Fatalf("cut %+v for %.100s", cut, raw)
		}
		colored, _ := AppendPretty(nil, raw, true, DefaultLimits)
		if want := reference(raw, true); !bytes.Contains(raw, []byte(`\\`)) && !bytes.Equal(colored, want) {
			t.Fatalf("corpus %d coloured, %.200s\n got %q\nwant %q", i, raw, firstDiff(colored, want), firstDiff(want, colored))
		}
		if plain := ansi.ReplaceAll(colored, nil); !bytes.Equal(plain, got) {
			t.Fatalf("coloured text differs: %q", firstDiff(plain, got))
		}
		if got, want := Indent(raw), reference(raw, false); !bytes.Equal(got, want) {
			t.Fatalf("Indent %.200s\n got %q\nwant %q", raw, got, want)
		}
	}
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// firstDiff is a from 40 bytes before where it differs from b.
func firstDiff(a, b []byte) []byte {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	a = a[max(0, i-40):]
	return a[:min(len(a), 120)]
}

// nested is a 200 KB body of arrays nested 9,000 deep, eleven times: it
// made the pretty view write 1.8 GB.
func nested() []byte {
	deep := strings.Repeat("[", 9000) + strings.Repeat("]", 9000)
	return []byte(`{"action":"incoming_event","payload":{"event":{"properties":{"x":{"y":[` + strings.Repeat(deep+",", 10) + deep + `]}}}}}`)
}

func TestPrettyBoundsDepthAndBytes(t *testing.T) {
	raw := nested()
	out, cut := AppendPretty(nil, raw, true, DefaultLimits)
	if len(out) > 64<<10 {
		t.Fatalf("%d bytes for a %d-byte body", len(out), len(raw))
	}
	if cut.Values != 11 || cut.Bytes != 0 || !strings.Contains(cut.String(), "11 values nested deeper than 32 levels shown as […]") {
		t.Fatalf("cut %+v: %s", cut, cut)
	}
	if !strings.Contains(string(out), "[…]") {
		t.Fatalf("no marker:\n%s", out)
	}

	// Indent keeps the value whole and valid, compact below the limit
	ind := Indent(raw)
	var a, b any
	if err := json.Unmarshal(ind, &a); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal(raw, &b)
	if len(ind) > 2*len(raw)+64<<10 {
		t.Fatalf("Indent wrote %d bytes for %d", len(ind), len(raw))
	}

	// a long body stops at the last whole line within the limit
	big := []byte(`{"a":[` + strings.Repeat(`"0123456789012345678901234567890123456789",`, 50000) + `1]}`)
	out, cut = AppendPretty(nil, big, false, Limits{Bytes: 10000})
	if len(out) > 10000 || len(out) < 9000 || out[len(out)-1] != '\n' {
		t.Fatalf("%d bytes, ends %q", len(out), out[len(out)-20:])
	}
	shownIn := len(big) - cut.Bytes
	if cut.Bytes == 0 || !bytes.HasPrefix(big[shownIn:], []byte(`"0123`)) {
		t.Fatalf("cut %+v: the body resumes at %.20q", cut, big[shownIn:])
	}
	// colour codes do not count
	colored, ccut := AppendPretty(nil, big, true, Limits{Bytes: 10000})
	if ccut != cut || len(colored) <= len(out) {
		t.Fatalf("coloured: %+v %d bytes, plain %+v %d", ccut, len(colored), cut, len(out))
	}
}

// TestPrettyEscapesControls: nothing from a body reaches a terminal as a
// control character, or as a bidirectional override that reorders what
// the terminal shows (Trojan Source), even one cut by a 4 KiB chunk.
func TestPrettyEscapesControls(t *testing.T) {
	raw := []byte("{\"action\":\"x\u001b[31m\x7f\u009b2J\u202e\",\"\u0085k\u2066\":1,\"long\":\"" + strings.Repeat("a", 4094) + "\u202e\u009b\u2069\"}")
	for _, out := range [][]byte{Indent(raw), func() []byte { b, _ := AppendPretty(nil, raw, false, DefaultLimits); return b }(), CleanJSON(raw)} {
		if bytes.ContainsAny(out, "\x1b\x7f\u009b\u0085\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") {
			t.Fatalf("control character in %q", out)
		}
		var v map[string]any
		if err := json.Unmarshal(out, &v); err != nil || v["action"] != "x\u001b[31m\x7f\u009b2J\u202e" || v["\u0085k\u2066"] != 1.0 ||
			v["long"] != strings.Repeat("a", 4094)+"\u202e\u009b\u2069" {
			t.Fatalf("%q is not the same value: %v %v", out, v, err)
		}
	}
	// a broken escape does not carry one through
	for _, raw := range []string{"\"\\\x1b[31m\"", "\"\\u0\u202e\"", "{\"a\":\"\\\f"} {
		if out, _ := AppendPretty(nil, []byte(raw), false, DefaultLimits); jsonSafeRun(out) < len(out) {
			t.Errorf("%q shown as %q", raw, out)
		}
	}
	// every override and isolate, and the characters around them, kept
	bidi := "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
	if got, want := Clean("a"+bidi+"\u2029\u200f\u2070é"), `a\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069`+"\u2029\u200f\u2070é"; got != want {
		t.Errorf("Clean = %q, want %q", got, want)
	}
}

func FuzzPretty(f *testing.F) {
	for _, raw := range corpus(f)[:50] {
		f.Add(raw)
	}
	f.Add([]byte(`{"a":[1,{"b":"\`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		lim := Limits{Bytes: 4096, Depth: 8}
		out, _ := AppendPretty(nil, raw, true, lim)
		plain, _ := AppendPretty(nil, raw, false, lim)
		if len(plain) > lim.Bytes+1 {
			t.Fatalf("%d bytes shown", len(plain))
		}
		if len(out) > 20*len(plain)+64 {
			t.Fatalf("%d bytes with colour, %d without", len(out), len(plain))
		}
		if i := jsonSafeRun(plain); i < len(plain) {
			t.Fatalf("a control character at %d of %q", i, plain)
		}
		if json.Valid(raw) {
			ind := Indent(raw)
			if !json.Valid(ind) {
				t.Fatalf("Indent(%q) = %q, not JSON", raw, ind)
			}
			if c := CleanJSON(raw); !json.Valid(c) || jsonSafeRun(c) < len(c) {
				t.Fatalf("CleanJSON(%q) = %q", raw, c)
			}
		}
	})
}
