package payload_test

import (
	"strings"
	"testing"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/payload"
)

func TestDetectVersion(t *testing.T) {
	get := func(version, action string) *payload.Document {
		raw, err := fixtures.Get(version, action)
		if err != nil {
			t.Fatal(err)
		}
		d, err := payload.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	parse := func(s string) *payload.Document {
		d, err := payload.Decode([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tt := range []struct {
		name     string
		doc      *payload.Document
		fallback string
		want     string
		reason   string
	}{
		{"3.4-only action", get("3.4", "auto_access_added"), "3.6", "3.4", "auto_access_added exists only in 3.4"},
		{"3.4 weekday scheduler", get("3.4", "agent_created"), "3.6", "3.4", "keyed by weekday"},
		{"3.5 array payload", get("3.5", "auto_accesses_updated"), "3.6", "3.5", "without a top-level requester"},
		{"3.5 schedule", get("3.5", "agent_created"), "3.4", "3.5", "without a top-level requester"},
		{"3.4 configuration", get("3.4", "agent_approved"), "3.6", "3.5", "fits 3.4, 3.5; assumed the newest"},
		{"3.6 array payload", get("3.6", "auto_accesses_updated"), "3.4", "3.7", "assumed the newest"},
		{"3.5 last_visit in a chat", get("3.5", "incoming_chat"), "3.6", "3.5", "last_visit"},
		{"incoming_customer", get("3.5", "incoming_customer"), "3.6", "3.5", "exists only in 3.4, 3.5"},
		{"3.6 requester", get("3.6", "group_created"), "3.6", "3.6", "requester"},
		{"3.6 thread summary", get("3.6", "thread_summary_set"), "3.4", "3.7", "exists only in 3.6, 3.7"},
		{"ambiguous", get("3.6", "thread_tagged"), "3.5", "3.5", "nothing in the body"},
		{"license_id", parse(`{"license_id": 123, "action": "incoming_chat"}`), "3.6", "3.6", "3.3 or older"},
		{"not an object", parse(`[1]`), "3.6", "3.6", "not a webhook"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := payload.DetectVersion(tt.doc, tt.fallback)
			if g.Version != tt.want || !strings.Contains(g.Reason, tt.reason) {
				t.Errorf("got %s (%s), want %s with reason containing %q", g.Version, g.Reason, tt.want, tt.reason)
			}
		})
	}
}

// Payloads of one version are rejected by another where they really differ,
// and accepted where the difference is only an unknown field.
func TestVersionsDiffer(t *testing.T) {
	check := func(fixtureVersion, action, underVersion, force string, wantValid bool, wantMsg string) {
		t.Helper()
		raw, _ := fixtures.Get(fixtureVersion, action)
		d, _ := payload.Decode(raw)
		v, _ := payload.ValidatorFor(underVersion)
		errs, err := v.Validate(d, force)
		if err != nil {
			t.Fatal(err)
		}
		if (len(errs) == 0) != wantValid {
			t.Errorf("%s %s under %s: valid=%v, want %v: %v", fixtureVersion, action, underVersion, len(errs) == 0, wantValid, errs)
		}
		found := false
		for _, e := range errs {
			found = found || strings.Contains(e.String(), wantMsg)
		}
		if wantMsg != "" && !found {
			t.Errorf("%s %s under %s: errors %v, want %q", fixtureVersion, action, underVersion, errs, wantMsg)
		}
	}
	check("3.4", "auto_access_added", "3.5", "", false, "auto_access_added was replaced by auto_accesses_updated in API 3.5; it exists in 3.4")
	check("3.5", "auto_accesses_updated", "3.4", "", false, "auto_accesses_updated was added in API 3.5")
	check("3.5", "auto_accesses_updated", "3.4", "auto_access_updated", false, "/payload")
	check("3.6", "group_created", "3.4", "", true, "")                    // requester is an unknown field in 3.4
	check("3.6", "incoming_chat", "3.4", "", false, `"type" is "system"`) // the system event type is new in 3.6
	check("3.6", "incoming_event", "3.4", "", true, "")                   // new fields are unknown fields, no conflict
	// The 3.5 scheduler's keys are unknown weekday keys to 3.4's open map.
	check("3.5", "agent_created", "3.4", "", true, "")
	check("3.4", "incoming_customer", "3.6", "", false, "incoming_customer was removed in API 3.6; it exists in 3.4, 3.5")
}
