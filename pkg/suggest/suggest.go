// Package suggest finds the name a person probably meant ("did you mean
// incoming_chat?"): for an unknown action, a mistyped property, a config
// key. It imports no lcwh package.
package suggest

import "strings"

// Lookalike returns the candidate that name is most likely a typo of:
// one edit away, ignoring case (two for names of six letters or more);
// "" when none is.
func Lookalike(name string, candidates []string) string {
	best, bestD := "", 0
	lower := strings.ToLower(name)
	for _, c := range candidates {
		if len(c) < 3 {
			continue
		}
		limit := 1
		if len(c) >= 6 {
			limit = 2
		}
		if len(c) > len(name)+limit || len(name) > len(c)+limit {
			continue
		}
		if d := Distance(lower, strings.ToLower(c)); d <= limit && (best == "" || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}

// Distance is the optimal string alignment distance between a and b:
// the insertions, deletions, substitutions and swaps of neighbouring bytes
// that turn one into the other.
func Distance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
