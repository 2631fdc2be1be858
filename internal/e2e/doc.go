// Package e2e holds end-to-end tests that need more than the testscript
// harness in cmd/lcwh: the web inspector driven in a real headless
// Chromium (Debian's chromium, which .ci/run installs). Set
// LCWH_SKIP_BROWSER=1 to skip them where no browser can be installed.
package e2e
