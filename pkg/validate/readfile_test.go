package validate

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFileMatchesOS(t *testing.T) {
	dir := t.TempDir()
	sizes := []int{0, 1, 511, 64 << 10, 64<<10 + 1, 300 << 10}
	buf := new([]byte)
	for _, n := range sizes {
		p := filepath.Join(dir, "f.json")
		want := bytes.Repeat([]byte("x"), n)
		if err := os.WriteFile(p, want, 0o644); err != nil {
			t.Fatal(err)
		}
		for name, read := range map[string]func(string, *[]byte) ([]byte, error){"readFile": readFile, "readFileOS": readFileOS} {
			got, err := read(p, buf)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("%s of %d bytes: got %d bytes, %v", name, n, len(got), err)
			}
		}
	}
	for name, read := range map[string]func(string, *[]byte) ([]byte, error){"readFile": readFile, "readFileOS": readFileOS} {
		_, err := read(filepath.Join(dir, "missing.json"), buf)
		if err == nil || ReadErrorText(err) != "no such file or directory" {
			t.Errorf("%s of a missing file: %v", name, err)
		}
		_, err = read(dir, buf)
		if err == nil || !strings.Contains(ReadErrorText(err), "is a directory") {
			t.Errorf("%s of a directory: %v", name, err)
		}
	}
}
