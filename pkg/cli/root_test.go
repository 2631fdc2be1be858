package cli

import (
	"bytes"
	"testing"

	"github.com/lcwh/lcwh/pkg/iostreams"
)

// TestVersionFastPath: Main answers a lone --version (or -v) without
// building the tree, exactly as cobra's version flag does, and leaves
// --version among other arguments to cobra.
func TestVersionFastPath(t *testing.T) {
	var cobraOut, cobraErr bytes.Buffer
	root := testRoot()
	root.SetArgs([]string{"--version"})
	root.SetOut(&cobraOut)
	root.SetErr(&cobraErr)
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"--version"}, {"-v"}, {"--version", "--color=never"}} {
		var out, errOut bytes.Buffer
		io := &iostreams.IOStreams{In: &bytes.Buffer{}, Out: &out, ErrOut: &errOut}
		if code := Main(args, io, func(string) string { return "" }); code != 0 {
			t.Fatalf("Main(%q) = %d, stderr %q", args, code, errOut.String())
		}
		if out.String() != cobraOut.String() || errOut.Len() != 0 {
			t.Errorf("Main(%q) printed %q (stderr %q), cobra prints %q", args, out.String(), errOut.String(), cobraOut.String())
		}
	}
}
