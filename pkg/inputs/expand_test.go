package inputs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tree makes files (content "{}") and folders (names ending in /) under a
// temporary folder, which becomes the working directory.
func tree(t *testing.T, names ...string) {
	t.Helper()
	t.Chdir(t.TempDir())
	for _, n := range names {
		if strings.HasSuffix(n, "/") {
			if err := os.MkdirAll(n, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(n), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(n, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
}

// describe lists sources as "path" or "path (error)".
func describe(srcs []Source) string {
	var parts []string
	for _, s := range srcs {
		p := filepath.ToSlash(s.Path)
		if s.Err != nil {
			p += " (" + s.Err.Error() + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

func TestExpand(t *testing.T) {
	tree(t, "d/b.json", "d/a.JSON", "d/sub/c.jsonl", "d/sub/e.ndjson", "d/b.txt", "d/sub.json", "f.txt", "empty/", "only/notes.txt")
	for _, tc := range []struct {
		paths []string
		want  string
	}{
		{[]string{"d"}, "d/a.JSON, d/b.json, d/sub.json, d/sub/c.jsonl, d/sub/e.ndjson"},
		{[]string{"d/"}, "d/a.JSON, d/b.json, d/sub.json, d/sub/c.jsonl, d/sub/e.ndjson"},
		{[]string{"f.txt", "-", "d/sub"}, "f.txt, -, d/sub/c.jsonl, d/sub/e.ndjson"},
		{[]string{"d/sub", "d/sub"}, "d/sub/c.jsonl, d/sub/e.ndjson, d/sub/c.jsonl, d/sub/e.ndjson"},
	} {
		got, err := Expand(tc.paths)
		if err != nil || describe(got) != tc.want {
			t.Errorf("Expand(%q) = %s, %v; want %s", tc.paths, describe(got), err, tc.want)
		}
	}
	for _, tc := range []struct {
		path, want string
	}{
		{"nope.json", "nope.json: no such file or directory"},
		{"empty", "empty: no *.json, *.jsonl, *.ndjson files in this folder"},
		{"only", "only: no *.json, *.jsonl, *.ndjson files in this folder"},
	} {
		_, err := Expand([]string{"d", tc.path})
		var pe *PathError
		if !errors.As(err, &pe) || err.Error() != tc.want {
			t.Errorf("Expand(%q): %v, want %s", tc.path, err, tc.want)
		}
	}
}

// Links are followed, to files and to folders, with or without a trailing
// slash; a folder reached twice is read once; a link to nothing is kept,
// to be reported when read.
func TestExpandSymlinks(t *testing.T) {
	tree(t, "real/a.json", "real/deep/b.json", "top/x.json")
	symlink(t, "../real", "top/linked")
	symlink(t, "x.json", "top/y.json")
	symlink(t, "..", "real/deep/up")      // a loop
	symlink(t, "gone.json", "top/z.json") // dangling
	symlink(t, "real", "link")
	for _, p := range []string{"link", "link/"} {
		got, err := Expand([]string{p})
		want := strings.TrimSuffix(p, "/") + "/a.json, " + strings.TrimSuffix(p, "/") + "/deep/b.json, " + strings.TrimSuffix(p, "/") + "/deep/up (already read as " + p + " (a symbolic link loops back to it or repeats it))"
		if err != nil || describe(got) != want {
			t.Errorf("Expand(%s):\n got %s, %v\nwant %s", p, describe(got), err, want)
		}
	}
	got, err := Expand([]string{"top"})
	want := "top/linked/a.json, top/linked/deep/b.json, top/linked/deep/up (already read as top/linked (a symbolic link loops back to it or repeats it)), top/x.json, top/y.json, top/z.json (stat top/z.json: a symbolic link to nothing)"
	if err != nil || describe(got) != want {
		t.Errorf("Expand(top):\n got %s, %v\nwant %s", describe(got), err, want)
	}
	for _, s := range got {
		if s.Err != nil && Tolerated(s.Err) != !strings.HasSuffix(s.Path, "z.json") {
			t.Errorf("%s: %v: a loop is a note, a dangling link a failure", s.Path, s.Err)
		}
	}
}

func ExampleExpand() {
	srcs, err := Expand([]string{"-"})
	fmt.Println(describe(srcs), err)
	// Output: - <nil>
}
