package payload_test

import (
	"slices"
	"testing"

	"github.com/lcwh/lcwh/pkg/payload"
)

func TestDiff(t *testing.T) {
	d, err := payload.Diff("3.4", "3.6")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"thread_summary_set", "event_deleted", "auto_accesses_updated", "tag_created", "tag_deleted", "tag_updated"}; !sameSet(d.Added, want) {
		t.Errorf("added %v, want %v", d.Added, want)
	}
	if want := []string{"incoming_customer", "auto_access_added", "auto_access_updated", "auto_access_deleted"}; !sameSet(d.Removed, want) {
		t.Errorf("removed %v, want %v", d.Removed, want)
	}
	changes := map[string]payload.ActionChange{}
	for _, c := range d.Changed {
		changes[c.Action] = c
	}
	has := func(list []payload.FieldChange, field string) bool {
		return slices.ContainsFunc(list, func(f payload.FieldChange) bool { return f.Field == field })
	}
	if c := changes["agent_created"]; !has(c.Added, "requester") || !has(c.Added, "payload.work_scheduler.schedule") {
		t.Errorf("agent_created changes %+v lack requester and work_scheduler.schedule", c)
	}
	if c := changes["incoming_chat"]; !has(c.Added, "payload.chat.users[].visit") || !has(c.Changed, "payload.chat.users[].last_visit") {
		t.Errorf("incoming_chat changes %+v lack visit/last_visit", c)
	}
	if f, _ := payload.Fields("3.6", "incoming_chat"); f["payload.chat.users[].last_visit"] != "object, deprecated" || f["additional_data"] != "object, expected" {
		t.Errorf("3.6 incoming_chat: last_visit %q, additional_data %q; want deprecated, expected", f["payload.chat.users[].last_visit"], f["additional_data"])
	}
	if c := changes["incoming_rich_message_postback"]; !has(c.Added, "payload.postback.ecommerce") {
		t.Errorf("postback changes %+v lack ecommerce", c)
	}
	same, _ := payload.Diff("3.6", "3.7")
	if len(same.Added)+len(same.Removed)+len(same.Changed) != 0 {
		t.Errorf("3.6 → 3.7 should be identical, got %+v", same)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
