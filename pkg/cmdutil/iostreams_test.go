package cmdutil

import "testing"

// TestPaletteSequences pins the escape codes (those fatih/color printed,
// which golden files and users' terminals have seen).
func TestPaletteSequences(t *testing.T) {
	on, off := NewPalette(true), NewPalette(false)
	for _, tt := range []struct {
		paint func(Palette, string) string
		want  string
	}{
		{Palette.Red, "\x1b[31mx\x1b[0m"},
		{Palette.Green, "\x1b[32mx\x1b[0m"},
		{Palette.Yellow, "\x1b[33mx\x1b[0m"},
		{Palette.Cyan, "\x1b[36mx\x1b[0m"},
		{Palette.Bold, "\x1b[1mx\x1b[22m"},
		{Palette.Faint, "\x1b[2mx\x1b[22m"},
	} {
		if got := tt.paint(on, "x"); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
		if got := tt.paint(off, "x"); got != "x" {
			t.Errorf("colour off: got %q", got)
		}
	}
}
