package schemavm

import (
	"strings"
	"testing"
)

func compile(t *testing.T, docs map[string]string, loc string) (*Schema, error) {
	t.Helper()
	c := NewCompiler(func(u string) ([]byte, error) {
		d, ok := docs[u]
		if !ok {
			t.Fatalf("unexpected load of %s", u)
		}
		return []byte(d), nil
	})
	return c.Compile(loc)
}

func TestUnknownKeywordFailsLoudly(t *testing.T) {
	for _, kw := range []string{`"oneOf":[true]`, `"minItems":1`, `"format":"email"`, `"unevaluatedProperties":false`, `"$schema":"http://json-schema.org/draft-07/schema#"`, `"type":"float"`} {
		_, err := compile(t, map[string]string{"https://x/a.json": `{"properties":{"a":{` + kw + `}}}`}, "https://x/a.json")
		if err == nil || !strings.Contains(err.Error(), "https://x/a.json#/properties/a") {
			t.Errorf("%s: err = %v, want a compile error naming the location", kw, err)
		}
	}
}

func TestRefCycleIsRejected(t *testing.T) {
	_, err := compile(t, map[string]string{"https://x/a.json": `{"$defs":{"A":{"$ref":"#/$defs/B"},"B":{"allOf":[{"$ref":"#/$defs/A"}]}},"$ref":"#/$defs/A"}`}, "https://x/a.json")
	if err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Fatalf("err = %v, want a cycle error", err)
	}
	// recursion through a property descends into the value: fine
	s, err := compile(t, map[string]string{"https://x/t.json": `{"type":"object","properties":{"child":{"$ref":"#"}}}`}, "https://x/t.json")
	if err != nil {
		t.Fatal(err)
	}
	if s.Valid(map[string]any{"child": map[string]any{"child": "x"}}) {
		t.Fatal("a string child of a child must be invalid")
	}
}

func TestDateTimeFastPathAgreesWithReference(t *testing.T) {
	for _, s := range []string{
		"2024-02-29T23:59:60Z", "2023-02-29T10:00:00Z", "2024-02-29T10:00:00.123456Z", "2024-13-01T00:00:00Z",
		"2024-01-01T24:00:00Z", "2024-01-01T23:59:60z", "2024-01-01t10:00:00Z", "2024-01-01T10:00:00.Z",
		"2024-01-01T10:00:00+01:00", "2024-01-01T+1:00:00Z", "0000-01-01T00:00:00Z", "2024-04-31T00:00:00Z",
		"2024-01-01T22:59:60-01:00", "2024-01-01 10:00:00Z", "2024-01-01T10:00:00",
	} {
		fast, decided := fastDateTime(s)
		if !decided {
			continue
		}
		if slow := referenceDateTime(s); fast != slow {
			t.Errorf("%s: fast path %v, reference %v", s, fast, slow)
		}
	}
}

// referenceDateTime is validDateTime without the fast path.
func referenceDateTime(s string) bool {
	if len(s) < 20 || (s[10] != 't' && s[10] != 'T') {
		return false
	}
	if _, err := parseDate(s[:10]); err != nil {
		return false
	}
	return validTime(s[11:])
}

// A failed Compile must leave nothing half-built behind: another schema
// sharing the broken $ref must fail too, not compile against a node that
// lacks the keywords after the failing one.
func TestFailedCompileLeavesNoHalfBuiltNode(t *testing.T) {
	docs := map[string]string{
		"https://x/defs.json": `{"$defs":{"X":{"type":"object","required":["a"],"properties":{"a":{"type":"string"},"bad":{"minItems":1}}}}}`,
		"https://x/a.json":    `{"$ref":"defs.json#/$defs/X"}`,
		"https://x/b.json":    `{"type":"object","properties":{"x":{"$ref":"defs.json#/$defs/X"}}}`,
	}
	c := NewCompiler(func(u string) ([]byte, error) { return []byte(docs[u]), nil })
	if _, err := c.Compile("https://x/a.json"); err == nil {
		t.Fatal("a.json compiled, want the minItems error")
	}
	s, err := c.Compile("https://x/b.json")
	if err == nil {
		t.Fatalf("b.json compiled against the broken X (valid {x:{}}: %v)", s.Valid(map[string]any{"x": map[string]any{}}))
	}
	if !strings.Contains(err.Error(), "minItems") {
		t.Fatalf("err = %v, want the minItems error again", err)
	}
}
