package schemavm

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
)

func mustCompile(t *testing.T, schema string) *Schema {
	t.Helper()
	s, err := compile(t, map[string]string{"https://x/s.json": schema}, "https://x/s.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func decode(t *testing.T, doc string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// warnings renders the warnings of s.Check(doc) as sorted "location kind
// detail" lines, and fails the test if Check and Valid disagree.
func warnings(t *testing.T, s *Schema, doc string) []string {
	t.Helper()
	var out []string
	v := decode(t, doc)
	valid, found := s.Check(v)
	if valid != s.Valid(v) {
		t.Errorf("Check says valid %v, Valid %v", valid, s.Valid(v))
	}
	for _, f := range found {
		line := "/" + strings.Join(f.Location, "/") + " " + f.Kind.Keyword()
		switch f.Kind {
		case KindExpected:
			line += " " + strings.Join(f.Missing, ",")
		case KindUnknown:
			line += fmt.Sprintf(" %v?%v", f.Got, strings.Join(f.Want.([]string), ","))
		}
		out = append(out, line)
	}
	sort.Strings(out)
	return out
}

func TestWarnings(t *testing.T) {
	const event = `{
		"$defs": {
			"Event": {
				"type": "object", "required": ["id"], "x-lcwh-expected": ["visibility"],
				"properties": {"id": {"type": "string"}, "type": {"type": "string"}, "visibility": {"type": "string"}, "recipients": {"type": "string", "deprecated": true}},
				"allOf": [{"if": {"properties": {"type": {"const": "message"}}, "required": ["type"]}, "then": {"$ref": "#/$defs/Message"}}]
			},
			"Message": {"type": "object", "x-lcwh-expected": ["text"], "properties": {"text": {"type": "string"}, "postback": {"type": "object", "properties": {"id": {"type": "string"}}}}}
		},
		"type": "object",
		"properties": {
			"events": {"type": "array", "items": {"$ref": "#/$defs/Event"}},
			"properties": {"type": "object", "additionalProperties": {"type": "object"}},
			"content": {"type": "object"},
			"queue": {"type": "object", "properties": {"queued_at": {"type": "string"}, "queued_at_us": {"type": "string"}}, "anyOf": [{"required": ["queued_at"]}, {"required": ["queued_at_us"], "properties": {"position": {"type": "integer"}}}]}
		}
	}`
	s := mustCompile(t, event)
	for _, tt := range []struct {
		name, doc string
		want      []string
	}{
		{"clean", `{"events":[{"id":"a","type":"message","visibility":"all","text":"hi"}]}`, nil},
		{"expected missing, through if/then", `{"events":[{"id":"a","type":"message"}]}`,
			[]string{"/events/0 x-lcwh-expected text", "/events/0 x-lcwh-expected visibility"}},
		{"then's properties are declared only when if holds", `{"events":[{"id":"a","type":"file","visibility":"all","text":"hi"}]}`,
			[]string{"/events/0/text unevaluatedProperties text?recipients"}},
		{"unknown, with the declared names its object lacks", `{"events":[{"id":"a","type":"message","visibility":"all","txet":"hi"}]}`,
			[]string{"/events/0 x-lcwh-expected text", "/events/0/txet unevaluatedProperties txet?postback,recipients,text"}},
		{"present names are not candidates", `{"events":[{"id":"a","type":"message","visibility":"all","text":"hi","texts":"x"}]}`,
			[]string{"/events/0/texts unevaluatedProperties texts?postback,recipients"}},
		{"case", `{"events":[{"id":"a","Visibility":"all"}]}`,
			[]string{"/events/0 x-lcwh-expected visibility", "/events/0/Visibility unevaluatedProperties Visibility?recipients,type,visibility"}},
		{"deprecated", `{"events":[{"id":"a","visibility":"all","recipients":"all"}]}`, []string{"/events/0/recipients deprecated"}},
		{"nested object of a then", `{"events":[{"id":"a","type":"message","visibility":"all","text":"hi","postback":{"id":"p","idd":"q"}}]}`,
			[]string{"/events/0/postback/idd unevaluatedProperties idd?"}},
		{"additionalProperties and free objects declare everything", `{"properties":{"ns":{"anything":1}},"content":{"whatever":{"deep":1}}}`, nil},
		{"anyOf branches that hold", `{"queue":{"queued_at_us":"x","position":1,"positoin":2}}`,
			[]string{"/queue/positoin unevaluatedProperties positoin?queued_at"}},
		{"anyOf branches that fail declare nothing", `{"queue":{"queued_at":"x","position":1}}`,
			[]string{"/queue/position unevaluatedProperties position?queued_at_us"}},
		{"top level", `{"event":[]}`, []string{"/event unevaluatedProperties event?content,events,properties,queue"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := warnings(t, s, tt.doc)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func TestAnnotationKeywordsAreChecked(t *testing.T) {
	for _, kw := range []string{`"deprecated":"yes"`, `"x-lcwh-expected":"a"`, `"x-lcwh-expected":[1]`, `"x-lcwh-other":1`} {
		if _, err := compile(t, map[string]string{"https://x/a.json": `{` + kw + `}`}, "https://x/a.json"); err == nil {
			t.Errorf("%s compiled", kw)
		}
	}
}
