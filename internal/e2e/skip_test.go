package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestBrowserTestWithoutChromium runs the browser test again, in this test
// binary, with a PATH where no chromium can be found: it is skipped with a
// message, unless LCWH_REQUIRE_BROWSER=1 (as .ci/run sets) makes it fail.
func TestBrowserTestWithoutChromium(t *testing.T) {
	for _, c := range []struct {
		require string
		fails   bool
		says    string
	}{
		{"", false, "--- SKIP: TestInspectorInBrowser"},
		{"1", true, "--- FAIL: TestInspectorInBrowser"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestInspectorInBrowser$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), "PATH="+t.TempDir(), "LCWH_SKIP_BROWSER=", "LCWH_REQUIRE_BROWSER="+c.require)
		out, err := cmd.CombinedOutput()
		if failed := err != nil; failed != c.fails {
			t.Errorf("LCWH_REQUIRE_BROWSER=%q without chromium: failed %v, want %v\n%s", c.require, failed, c.fails, out)
		}
		if !strings.Contains(string(out), c.says) || !strings.Contains(string(out), "chromium not found") {
			t.Errorf("LCWH_REQUIRE_BROWSER=%q without chromium: want %q and the reason\n%s", c.require, c.says, out)
		}
	}
}
