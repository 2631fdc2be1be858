package jsonmut

import (
	"encoding/json"
	"reflect"
	"testing"
)

func decode(t *testing.T, s string) any {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func encode(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestMutants: each value removed, of another type, an unknown string,
// swapped; arrays cut to the element changed or their shortest one.
func TestMutants(t *testing.T) {
	const src = `{"a": "x", "list": [{"type": "big", "n": 1, "s": "long long long"}, {"type": "small", "n": 2}], "other": [{"k": "longer"}, {"k": 1}]}`
	doc := decode(t, src)
	got := map[string]string{}
	var order []string
	for _, m := range Mutants(doc, map[string][]any{"type": {"big", "small", "new"}}) {
		got[m.What] = encode(m.Value)
		order = append(order, m.What)
	}
	if encode(doc) != encode(decode(t, src)) {
		t.Fatal("Mutants changed the document")
	}
	for what, want := range map[string]string{
		`/a set to "zz-not-a-value"`:      `{"a":"zz-not-a-value","list":[{"n":2,"type":"small"}],"other":[{"k":1}]}`,
		`/a set to 7`:                     `{"a":7,"list":[{"n":2,"type":"small"}],"other":[{"k":1}]}`,
		`/a removed`:                      `{"list":[{"n":2,"type":"small"}],"other":[{"k":1}]}`,
		`/list/1/type set to new`:         `{"a":"x","list":[{"n":2,"type":"new"}],"other":[{"k":1}]}`,
		`/list/1/n set to zz-not-a-value`: `{"a":"x","list":[{"n":"zz-not-a-value","type":"small"}],"other":[{"k":1}]}`,
		`/list/0 removed`:                 `{"a":"x","list":[],"other":[{"k":1}]}`,
	} {
		if got[what] != want {
			t.Errorf("%s:\n got %s\nwant %s", what, got[what], want)
		}
	}
	if _, ok := got[`/list/1/type set to small`]; ok {
		t.Error("a swap to the value the field has")
	}
	if _, ok := got[`/other/1/k set to zz-not-a-value`]; ok {
		t.Error("the second element of the same kind was mutated")
	}
	again := Mutants(doc, map[string][]any{"type": {"big", "small", "new"}})
	var order2 []string
	for _, m := range again {
		order2 = append(order2, m.What)
	}
	if !reflect.DeepEqual(order, order2) {
		t.Error("two runs give the mutants in different orders")
	}
}

func TestThin(t *testing.T) {
	doc := decode(t, `[{"type": "a", "n": 1}, {"type": "a", "n": 2}, {"type": "b"}, "s", "t", 3]`)
	if got := encode(Thin(doc)); got != `[{"n":1,"type":"a"},{"type":"b"},"s",3]` {
		t.Errorf("Thin: %s", got)
	}
}
