package payload_test

import (
	"strings"
	"testing"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/payload"
)

// check runs Validator.Check on value.
func check(t *testing.T, version string, value any, strict bool) payload.Report {
	t.Helper()
	v, err := payload.NewValidator(version)
	if err != nil {
		t.Fatal(err)
	}
	return report(t, v, value, payload.Options{Strict: strict})
}

func fixture(t *testing.T, version, action string) any {
	t.Helper()
	raw, err := fixtures.Get(version, action)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := payload.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Value
}

// rename moves the member at path to the name to.
func rename(t *testing.T, root any, path []string, to string) any {
	t.Helper()
	v := get(root, path)
	set(root, path, nil, true)
	return set(root, append(path[:len(path)-1:len(path)-1], to), v, false)
}

func get(root any, path []string) any {
	for _, tok := range path {
		switch x := root.(type) {
		case map[string]any:
			root = x[tok]
		case []any:
			i, _ := strconvAtoi(tok)
			root = x[i]
		}
	}
	return root
}

func findings(errs []payload.Error) string {
	var b strings.Builder
	for _, e := range errs {
		b.WriteString("\n  " + e.Severity.String() + " " + e.Keyword + " " + e.String())
	}
	return b.String()
}

// A typo in the name of an optional property is valid (LiveChat may add
// fields), but a warning names the property it looks like; --strict makes
// it an error.
func TestTypoIsAWarningWithASuggestion(t *testing.T) {
	doc := rename(t, fixture(t, "3.6", "chat_transferred"), []string{"payload", "requester_id"}, "requestor_id")
	r := check(t, "3.6", doc, false)
	want := `/payload/requestor_id: unknown property "requestor_id", did you mean "requester_id"?`
	if len(r.Errors) != 0 || len(r.Warnings) != 1 || r.Warnings[0].String() != want || r.Warnings[0].Severity != payload.SeverityWarning {
		t.Fatalf("errors %s\nwarnings %s\nwant no error and the warning %s", findings(r.Errors), findings(r.Warnings), want)
	}
	r = check(t, "3.6", doc, true)
	if len(r.Warnings) != 0 || len(r.Errors) != 1 || r.Errors[0].String() != want || r.Errors[0].Severity != payload.SeverityError {
		t.Fatalf("strict: errors %s\nwarnings %s\nwant the error %s", findings(r.Errors), findings(r.Warnings), want)
	}
}

// An unknown property that looks like no documented one is allowed
// silently; only --strict reports it.
func TestUnknownPropertyOnlyStrict(t *testing.T) {
	doc := set(fixture(t, "3.6", "chat_deactivated"), []string{"payload", "closed_by_rule"}, "r1", false)
	if r := check(t, "3.6", doc, false); len(r.Errors)+len(r.Warnings) != 0 {
		t.Fatalf("errors %s\nwarnings %s\nwant none", findings(r.Errors), findings(r.Warnings))
	}
	r := check(t, "3.6", doc, true)
	if len(r.Errors) != 1 || r.Errors[0].String() != `/payload/closed_by_rule: unknown property "closed_by_rule"` {
		t.Fatalf("strict: errors %s, want the unknown property", findings(r.Errors))
	}
	// Free objects (properties, a custom event's content) have no unknown members.
	doc = set(fixture(t, "3.6", "chat_properties_updated"), []string{"payload", "properties", "routing", "zz_new"}, true, false)
	if r := check(t, "3.6", doc, true); len(r.Errors) != 0 {
		t.Fatalf("strict on a properties namespace: %s", findings(r.Errors))
	}
}
