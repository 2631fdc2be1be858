package cmdutil

import "runtime/debug"

// TuneGC makes the collector run 4 times less often while the heap stays
// under limit bytes (then as often as needed to stay there): batch work and
// servers keep little alive but make garbage fast. It leaves the settings
// alone when the user tuned them (GOGC or GOMEMLIMIT set). It returns the
// function restoring the previous settings.
func TuneGC(getenv func(string) string, limit int64) (restore func()) {
	if getenv != nil && (getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "") {
		return func() {}
	}
	percent := debug.SetGCPercent(400)
	prev := debug.SetMemoryLimit(limit)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(prev)
	}
}
