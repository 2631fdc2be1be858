// Package build reports what binary this is. Release builds stamp the
// variables with -ldflags; `go install` builds fall back to the module's
// build information.
package build

import "runtime/debug"

var (
	Version = ""
	Commit  = ""
	Date    = ""
)

// Info returns the version, commit and build date, filled from the
// module's build info where the linker did not stamp them.
func Info() (version, commit, date string) {
	version, commit, date = Version, Commit, Date
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return or(version, "dev"), or(commit, "unknown"), or(date, "unknown")
	}
	if version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if commit == "" {
				commit = s.Value
			}
		case "vcs.time":
			if date == "" {
				date = s.Value
			}
		}
	}
	return or(version, "dev"), or(commit, "unknown"), or(date, "unknown")
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
