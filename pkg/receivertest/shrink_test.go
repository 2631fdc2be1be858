package receivertest

import (
	"fmt"
	"slices"
	"testing"
)

func sized(what string, size int) change {
	return change{What: fmt.Sprintf("%s×%d", what, size), Size: size, Resize: func(n int) change { return sized(what, n) }}
}

func TestShrinkFindsTheSmallestFailingChanges(t *testing.T) {
	var changes []change
	for _, w := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		changes = append(changes, change{What: w})
	}
	changes[3] = sized("d", 1000)
	calls := 0
	// fails when b is there and d has at least 37 elements
	fails := func(cs []change) bool {
		calls++
		hasB := slices.ContainsFunc(cs, func(c change) bool { return c.What == "b" })
		i := slices.IndexFunc(cs, func(c change) bool { return c.Resize != nil })
		return hasB && i >= 0 && cs[i].Size >= 37
	}
	got := describe(shrink(changes, fails))
	if want := "b; d×37"; got != want {
		t.Errorf("shrunk to %q, want %q", got, want)
	}
	if calls > 40 {
		t.Errorf("%d tries for 7 changes and one size", calls)
	}
}

func TestShrinkToTheFixture(t *testing.T) {
	if got := shrink([]change{{What: "a"}, {What: "b"}}, func([]change) bool { return true }); got != nil {
		t.Errorf("the fixture itself fails, shrunk to %v", got)
	}
}

func TestShrinkStopsWhenNothingFails(t *testing.T) {
	changes := []change{{What: "a"}, {What: "b"}, {What: "c"}}
	calls := 0
	got := shrink(changes, func([]change) bool { calls++; return false }) // the budget is spent
	if describe(got) != "a; b; c" {
		t.Errorf("got %q, want the changes unshrunk", describe(got))
	}
	if calls > 4 {
		t.Errorf("%d tries with no budget", calls)
	}
}
