package suggest

import "testing"

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"colour", "color", 1},
		{"api_verison", "api_version", 1}, // a swap is one edit
		{"incoming_chta", "incoming_chat", 1},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
	} {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestLookalike(t *testing.T) {
	keys := []string{"color", "api_version", "forward_to", "to", "format"}
	for name, want := range map[string]string{
		"colour":      "color",
		"Color":       "color",
		"api_verison": "api_version",
		"forwardto":   "forward_to",
		"fromat":      "format",
		"plugins":     "",
		"tx":          "", // candidates under 3 letters are never suggested
	} {
		if got := Lookalike(name, keys); got != want {
			t.Errorf("Lookalike(%q) = %q, want %q", name, got, want)
		}
	}
}
