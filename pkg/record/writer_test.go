package record

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// smallDisk is a file on a disk with room for limit bytes: a write that
// does not fit is written in part and fails with ENOSPC, as write(2) does
// on a full disk. Raising limit is space coming back.
type smallDisk struct {
	*os.File
	mu          sync.Mutex
	limit       int64
	truncateErr error
}

func (d *smallDisk) Write(b []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	fi, err := d.File.Stat()
	if err != nil {
		return 0, err
	}
	room := d.limit - fi.Size()
	if room >= int64(len(b)) {
		return d.File.Write(b)
	}
	n, _ := d.File.Write(b[:max(room, 0)])
	return n, &os.PathError{Op: "write", Path: d.Name(), Err: syscall.ENOSPC}
}

func (d *smallDisk) Truncate(size int64) error {
	if d.truncateErr != nil {
		return d.truncateErr
	}
	return d.File.Truncate(size)
}

func (d *smallDisk) setLimit(n int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.limit = n
}

func newSmallDisk(t *testing.T, limit int64) (*smallDisk, *Writer) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(t.TempDir(), "rec.jsonl"), os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	d := &smallDisk{File: f, limit: limit}
	w, err := newWriter(d)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return d, w
}

func testLine(tag string, size int) []byte {
	return []byte(`{"tag":"` + tag + `","pad":"` + strings.Repeat("x", max(size-24, 0)) + "\"}\n")
}

// TestWriterFullDisk is #12's lost delivery: a full disk left half a
// line; when space came back, the next delivery was appended onto it,
// answered 200 and could never be read back. Now the failed write is cut
// back and the next one starts a line of its own.
func TestWriterFullDisk(t *testing.T) {
	d, w := newSmallDisk(t, 1000)
	a, big, c := testLine("a", 300), testLine("big", 2000), testLine("c", 300)
	if err := w.WriteLine(a); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteLine(big); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("write on a full disk: %v", err)
	}
	d.setLimit(1 << 20) // space comes back
	if err := w.WriteLine(c); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(d.Name())
	if want := string(a) + string(c); string(got) != want {
		t.Fatalf("the file holds %d bytes:\n%.120q…\nwant the two lines that were written", len(got), got)
	}
}

// TestWriterFullDiskConcurrent: under concurrent deliveries and a disk
// that fills, each line is in the file whole exactly when its write
// succeeded.
func TestWriterFullDiskConcurrent(t *testing.T) {
	d, w := newSmallDisk(t, 40000)
	var mu sync.Mutex
	ok := map[string]bool{}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				tag := fmt.Sprintf("%d-%d", g, i)
				err := w.WriteLine(testLine(tag, 100+(g*40+i)*7%900))
				if err != nil && !errors.Is(err, syscall.ENOSPC) {
					t.Error(err)
				}
				mu.Lock()
				ok[tag] = err == nil
				mu.Unlock()
				if g == 0 && i == 20 {
					d.setLimit(80000) // some space back, then full again
				}
			}
		}()
	}
	wg.Wait()
	data, _ := os.ReadFile(d.Name())
	if len(data) == 0 || data[len(data)-1] != '\n' {
		t.Fatalf("the file does not end a line: %q", data[max(0, len(data)-40):])
	}
	stored := 0
	for _, l := range bytes.SplitAfter(data[:len(data)-1], []byte("\n")) {
		tag, _, found := strings.Cut(strings.TrimPrefix(string(l), `{"tag":"`), `"`)
		if !found || !bytes.HasSuffix(l, []byte("\"}\n")) && !bytes.HasSuffix(l, []byte("\"}")) || !ok[tag] {
			t.Fatalf("line %q… is partial, or its write failed", l[:min(len(l), 40)])
		}
		stored++
	}
	succeeded := 0
	for _, v := range ok {
		if v {
			succeeded++
		}
	}
	if stored != succeeded || succeeded == 0 || succeeded == len(ok) {
		t.Fatalf("%d lines stored, %d writes succeeded of %d", stored, succeeded, len(ok))
	}
}

// TestWriterCannotCutBack: when the partial line cannot be removed, no
// later line is written after it.
func TestWriterCannotCutBack(t *testing.T) {
	d, w := newSmallDisk(t, 100)
	d.truncateErr = errors.New("EIO")
	if err := w.WriteLine(testLine("big", 500)); err == nil || !strings.Contains(err.Error(), "partial line that could not be removed (EIO)") {
		t.Fatalf("%v", err)
	}
	d.setLimit(1 << 20)
	if err := w.WriteLine(testLine("c", 50)); err == nil || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("a write after a damaged end: %v", err)
	}
	if got, _ := os.ReadFile(d.Name()); len(got) != 100 {
		t.Fatalf("%d bytes written after the damage", len(got)-100)
	}
}

// TestCreateEndsPartialLine: a recording cut short by a crash gets a
// newline first; the next line is not appended onto the partial one.
func TestCreateEndsPartialLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	os.WriteFile(path, []byte("{\"tag\":\"whole\"}\n{\"tag\":\"cut sh"), 0o600)
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if !w.RepairedTail() {
		t.Error("RepairedTail is false")
	}
	w.WriteLine(testLine("next", 30))
	w.Close()
	got, _ := os.ReadFile(path)
	if want := "{\"tag\":\"whole\"}\n{\"tag\":\"cut sh\n" + string(testLine("next", 30)); string(got) != want {
		t.Fatalf("%q", got)
	}
	w, _ = Create(path)
	if w.RepairedTail() {
		t.Error("a whole file repaired")
	}
	w.Close()
}

// TestWriterRefusesLinesReadersSkip: a line longer than MaxLine is not written.
func TestWriterRefusesLinesReadersSkip(t *testing.T) {
	d, w := newSmallDisk(t, 1<<40)
	long := append(bytes.Repeat([]byte("x"), MaxLine+1), '\n')
	if err := w.WriteLine(long); !errors.Is(err, ErrLineTooLong) {
		t.Fatalf("%v", err)
	}
	if err := w.WriteLine(long[len(long)-MaxLine-1:]); err != nil {
		t.Fatalf("a line of MaxLine bytes: %v", err)
	}
	if fi, _ := d.Stat(); fi.Size() != MaxLine+1 {
		t.Fatalf("%d bytes in the file", fi.Size())
	}
}
