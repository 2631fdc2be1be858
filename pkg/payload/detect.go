package payload

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Auto asks for the API version to be guessed from each body.
const Auto = "auto"

// Guess is the API version assumed for a body, and why.
type Guess struct {
	Version string `json:"version"`
	Reason  string `json:"reason"`
}

// hint narrows the versions a body can belong to.
type hint struct {
	fits   func(version string) bool
	reason string
}

func atLeast(v string) func(string) bool { return func(x string) bool { return !versionLess(x, v) } }
func atMost(v string) func(string) bool  { return func(x string) bool { return !versionLess(v, x) } }

// DetectVersion guesses the API version of a body from the hints the
// contract lists (the body itself carries no version): actions that exist
// only in some versions, `requester`, the shapes of work_scheduler, customer
// visits, postbacks and events. An ambiguous guess falls back to fallback
// when it fits, otherwise to the newest version that fits.
func DetectVersion(d *Document, fallback string) Guess {
	obj := d.Object()
	if obj == nil {
		return Guess{fallback, "not a webhook object; assumed the default " + fallback}
	}
	if _, ok := obj["license_id"]; ok && obj["organization_id"] == nil {
		return Guess{fallback, "license_id instead of organization_id means API 3.3 or older, which lcwh does not support; assumed the default " + fallback}
	}
	var hints []hint
	action, _ := obj["action"].(string)
	has := VersionsWith(action)
	if len(has) > 0 && len(has) < len(versionNames()) {
		hints = append(hints, hint{func(v string) bool { return slices.Contains(has, v) },
			fmt.Sprintf("%s exists only in %s", action, strings.Join(has, ", "))})
	}
	if _, ok := obj["requester"]; ok {
		hints = append(hints, hint{atLeast("3.6"), "a top-level requester appears from 3.6"})
	}
	walkObjects(obj["payload"], 0, func(m map[string]any) {
		if ws, ok := m["work_scheduler"].(map[string]any); ok {
			if _, ok := ws["schedule"]; ok {
				hints = append(hints, hint{atLeast("3.5"), "work_scheduler with a schedule list appears from 3.5"})
			} else if len(ws) > 0 && ws["timezone"] == nil {
				hints = append(hints, hint{atMost("3.4"), "work_scheduler keyed by weekday is the 3.4 shape"})
			}
		}
		if _, ok := m["last_visit"]; ok {
			hints = append(hints, hint{atMost("3.5"), "customer last_visit was renamed visit in 3.6"})
		}
		if _, ok := m["visit"].(map[string]any); ok && m["type"] == "customer" {
			hints = append(hints, hint{atLeast("3.6"), "customer visit (formerly last_visit) appears from 3.6"})
		}
		if _, ok := m["customer_visit"]; ok {
			hints = append(hints, hint{atLeast("3.6"), "thread customer_visit appears from 3.6"})
		}
		if m["type"] == "system" && m["created_at"] != nil {
			hints = append(hints, hint{atLeast("3.6"), "events of type system appear from 3.6"})
		}
		_, bt := m["button_type"]
		_, ec := m["ecommerce"]
		if bt || ec {
			hints = append(hints, hint{atLeast("3.6"), "postback button_type/ecommerce appear from 3.6"})
		}
	})
	// The weakest hint, last: LiveChat's 3.6 samples all carry a requester
	// on configuration webhooks, but no page guarantees it (a warning when
	// missing), so its absence only breaks a tie.
	if _, ok := obj["requester"]; !ok && isConfiguration(action, has) {
		hints = append(hints, hint{atMost("3.5"), "a configuration webhook without a top-level requester (one appears from 3.6)"})
	}
	candidates := Versions()
	var reasons []string
	for _, h := range hints {
		narrowed := slices.DeleteFunc(slices.Clone(candidates), func(v string) bool { return !h.fits(v) })
		if len(narrowed) == 0 || slices.Contains(reasons, h.reason) {
			continue // contradicts stronger hints, or already counted
		}
		candidates = narrowed
		reasons = append(reasons, h.reason)
	}
	why := strings.Join(reasons, "; ")
	switch {
	case len(candidates) == 1:
		return Guess{candidates[0], why}
	case len(reasons) == 0:
		return Guess{fallback, "nothing in the body tells the version; assumed the default " + fallback}
	case slices.Contains(candidates, fallback):
		return Guess{fallback, fmt.Sprintf("%s: fits %s; assumed the default %s", why, strings.Join(candidates, ", "), fallback)}
	}
	newest := candidates[len(candidates)-1]
	return Guess{newest, fmt.Sprintf("%s: fits %s; assumed the newest, %s", why, strings.Join(candidates, ", "), newest)}
}

// isConfiguration tells whether action, found in the versions has, is a
// configuration webhook (agents, bots, groups, tags, auto accesses).
func isConfiguration(action string, has []string) bool {
	if len(has) == 0 {
		return false
	}
	c, err := CatalogFor(has[0])
	if err != nil {
		return false
	}
	a, _ := c.Lookup(action)
	return a.Category == "Configuration"
}

// walkObjects calls visit for every object in v, depth-first, to a bounded depth.
func walkObjects(v any, depth int, visit func(map[string]any)) {
	if depth > 32 {
		return
	}
	switch v := v.(type) {
	case map[string]any:
		visit(v)
		for _, c := range v {
			walkObjects(c, depth+1, visit)
		}
	case []any:
		for _, c := range v {
			walkObjects(c, depth+1, visit)
		}
	}
}

var validators sync.Map // version → *Validator

// ValidatorFor returns the shared validator of a version; schemas compile
// once per process, on first use.
func ValidatorFor(version string) (*Validator, error) {
	if v, ok := validators.Load(version); ok {
		return v.(*Validator), nil
	}
	v, err := NewValidator(version)
	if err != nil {
		return nil, err
	}
	actual, _ := validators.LoadOrStore(version, v)
	return actual.(*Validator), nil
}
