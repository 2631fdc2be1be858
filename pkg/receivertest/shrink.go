package receivertest

import (
	"slices"
	"strconv"
	"strings"

	"github.com/lcwh/lcwh/pkg/edit"
)

// change is one way a variant differs from its fixture: what the shrinker
// deletes, and, when it has a size, reduces.
type change struct {
	Path  string     // where, as an edit path: "payload.user_id"
	Value *edit.Node // set there; nil removes the member
	What  string     // for people: "payload.user_id absent"
	// Size is how big the change is (a list's length, a text's), with
	// Resize giving the same change at another size; 0 when it has none.
	Size   int
	Resize func(size int) change
}

func applyChanges(root *edit.Node, changes []change) error {
	for _, c := range changes {
		var err error
		if c.Value == nil {
			err = root.DeletePath(c.Path)
		} else {
			err = root.SetPath(c.Path, c.Value.Clone()) // the body's ids are bound in place
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// describe says what a set of changes does, for people.
func describe(changes []change) string {
	whats := make([]string, len(changes))
	for i, c := range changes {
		whats[i] = c.What
	}
	return strings.Join(whats, "; ")
}

// shrink returns the simplest changes, among the candidates it tries, for
// which fails still holds, changes being the failing ones: Hypothesis's
// order, fewer changes first, then smaller sizes. It tries the fixture as
// it is (no change), then deletes runs of changes, from halves down to
// single ones (the complements of delta debugging), then halves the size
// of each change that has one. fails sends the candidate and tells
// whether it failed the same way; it answers false without sending once
// the budget is spent, which ends the search. Candidates are tried at
// most once.
func shrink(changes []change, fails func([]change) bool) []change {
	tried := map[string]bool{}
	try := func(cs []change) bool {
		k := key(cs)
		if tried[k] {
			return false
		}
		tried[k] = true
		return fails(cs)
	}
	if len(changes) == 0 || try(nil) {
		return nil
	}
	best := changes
	for n := max(len(best)/2, 1); len(best) > 1; n /= 2 {
		for i := 0; i < len(best) && len(best) > 1; {
			end := min(i+n, len(best))
			if cand := slices.Concat(best[:i], best[end:]); try(cand) {
				best = cand
			} else {
				i = end
			}
		}
		if n == 1 {
			break
		}
	}
	for i := range best {
		if best[i].Resize == nil {
			continue
		}
		// best[i] at its size fails; without it (size 0) the rest did not
		lo, hi := 0, best[i].Size
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			cand := slices.Clone(best)
			cand[i] = best[i].Resize(mid)
			if try(cand) {
				hi, best = mid, cand
			} else {
				lo = mid
			}
		}
	}
	return best
}

func key(cs []change) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(c.What)
		b.WriteByte('#')
		b.WriteString(strconv.Itoa(c.Size))
		b.WriteByte(0)
	}
	return b.String()
}
