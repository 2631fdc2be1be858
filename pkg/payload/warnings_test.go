package payload_test

import (
	"slices"
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

// Shapes of the payloads LiveChat's Go SDK (3.4 branch) captured from real
// traffic: an agent user without visibility, a filled_form without
// form_id whose fields carry value instead of answer and no id, events
// with recipients (the name of visibility before 3.4). They are valid;
// what the pages document and the capture lacks is a warning.
func TestSDKCapturedShapes(t *testing.T) {
	const body = `{
	  "webhook_id": "5c1e8a0f3b2d4e6f8a9b0c1d2e3f4a5b",
	  "secret_key": "s3cret",
	  "action": "incoming_chat",
	  "organization_id": "7b3e1c52-94d6-4f0a-8e2b-5c1d9a6f3e87",
	  "additional_data": {},
	  "payload": {"chat": {
	    "id": "QX81LZ2C7N",
	    "users": [
	      {"id": "0d6f4f7e-1c1b-4a4e-9a55-2b0c8f3e9d10", "type": "customer", "name": "Ann", "present": true,
	       "events_seen_up_to": "2021-03-02T10:11:12.000000Z", "created_at": "2021-01-05T08:00:00.123000Z",
	       "last_visit": {"started_at": "2021-03-02T10:00:00.000001Z", "ip": "198.51.100.7", "user_agent": "Mozilla/5.0",
	         "geolocation": {"country": "Poland", "country_code": "PL", "region": "Lower Silesia", "city": "Wroclaw", "timezone": "Europe/Warsaw"},
	         "last_pages": [{"opened_at": "2021-03-02T10:00:00.000001Z", "url": "https://www.example.com/", "title": "Example"}]},
	       "statistics": {"chats_count": 1, "threads_count": 2, "visits_count": 3, "page_views_count": 4, "greetings_shown_count": 0, "greetings_accepted_count": 0}},
	      {"id": "kate@example.com", "type": "agent", "name": "Kate", "present": true,
	       "events_seen_up_to": "1970-01-01T01:00:00.000000Z", "routing_status": "accepting_chats"}
	    ],
	    "thread": {
	      "id": "QX81LZ2C7O", "active": true, "created_at": "2021-03-02T10:11:10.500000Z",
	      "user_ids": ["0d6f4f7e-1c1b-4a4e-9a55-2b0c8f3e9d10", "kate@example.com"],
	      "properties": {"routing": {"idle": false}},
	      "events": [
	        {"id": "QX81LZ2C7O_1", "type": "filled_form", "recipients": "all", "created_at": "2021-03-02T10:11:11.000001Z",
	         "author_id": "0d6f4f7e-1c1b-4a4e-9a55-2b0c8f3e9d10", "properties": {"lc2": {"form_type": "prechat"}},
	         "fields": [{"label": "Name:", "type": "name", "value": "Ann"}, {"label": "E-mail:", "type": "email", "value": ""}]},
	        {"id": "QX81LZ2C7O_2", "type": "message", "recipients": "all", "created_at": "2021-03-02T10:11:12.000000Z",
	         "author_id": "kate@example.com", "text": "Hello. How may I help you?"}
	      ]
	    }
	  }}
	}`
	v, err := payload.NewValidator("3.4")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := payload.Decode([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	r, err := v.Check(doc, payload.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Errors) != 0 {
		t.Fatalf("errors %s", findings(r.Errors))
	}
	want := []string{
		`/payload/chat/users/1: missing expected property "visibility"`,
		`/payload/chat/thread/events/0: missing expected property "form_id"`,
		`/payload/chat/thread/events/0: missing expected property "visibility"`,
		`/payload/chat/thread/events/0/recipients: "recipients" is deprecated: renamed visibility in API 3.4`,
		`/payload/chat/thread/events/0/fields/0: missing expected property "id"`,
		`/payload/chat/thread/events/0/fields/1: missing expected property "id"`,
		`/payload/chat/thread/events/1: missing expected property "visibility"`,
		`/payload/chat/thread/events/1/recipients: "recipients" is deprecated: renamed visibility in API 3.4`,
	}
	if got := strings.Join(sortedStrings(r.Warnings), "\n  "); got != strings.Join(slices.Sorted(slices.Values(want)), "\n  ") {
		t.Errorf("warnings\n  %s\nwant\n  %s", got, strings.Join(want, "\n  "))
	}
}

// sortedStrings is the findings as "pointer: message", sorted.
func sortedStrings(errs []payload.Error) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.String())
	}
	slices.Sort(out)
	return out
}

// Every fixture is clean even under --strict: no warning, no unknown property.
func TestFixturesHaveNoWarnings(t *testing.T) {
	for _, version := range payload.Versions() {
		c, _ := payload.CatalogFor(version)
		for _, action := range c.Names() {
			r := check(t, version, fixture(t, version, action), true)
			if len(r.Errors)+len(r.Warnings) != 0 {
				t.Errorf("%s %s under --strict: %s%s", version, action, findings(r.Errors), findings(r.Warnings))
			}
		}
	}
}
