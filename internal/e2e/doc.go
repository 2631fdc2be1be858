// Package e2e holds end-to-end tests that need more than the testscript
// harness in cmd/lcwh: the web inspector driven in a real headless
// Chromium (Debian's chromium, which .ci/run installs). Without chromium
// they are skipped with a message, unless LCWH_REQUIRE_BROWSER=1 (set by
// .ci/run) makes that a failure; LCWH_SKIP_BROWSER=1 skips them anyway.
package e2e
