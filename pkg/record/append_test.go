package record

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lcwh/lcwh/fixtures"
)

// encodingJSON is the reference: what the Writer wrote before AppendLine.
func encodingJSON(t testing.TB, e *Entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// checkLine requires AppendLine to write exactly encoding/json's bytes and
// Reader to read the entry back unchanged.
func checkLine(t testing.TB, e *Entry) {
	t.Helper()
	got, err := AppendLine([]byte("prefix"), e)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(got, []byte("prefix")) {
		t.Fatalf("dst not kept: %q", got[:10])
	}
	got = got[len("prefix"):]
	want := encodingJSON(t, e)
	if !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("AppendLine differs from encoding/json at byte %d:\n got  %q\n want %q", i, tail(got, i), tail(want, i))
	}
	back, err := NewReader(bytes.NewReader(got)).Next()
	if err != nil {
		t.Fatal(err)
	}
	var ref Entry
	if err := json.Unmarshal(want, &ref); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, &ref) {
		t.Fatalf("read back %+v, want %+v", back, &ref)
	}
}

func tail(b []byte, i int) []byte {
	i = max(0, i-20)
	return b[i:min(len(b), i+60)]
}

func sampleEntry(body []byte) *Entry {
	e := &Entry{
		Time:       time.Date(2026, 11, 24, 23, 20, 56, 123456789, time.UTC),
		RemoteAddr: "127.0.0.1:51234",
		Method:     "POST",
		Path:       "/livechat/webhooks",
		Headers:    http.Header{"Content-Type": {"application/json"}, "User-Agent": {"LiveChat-Webhooks/3.4"}, "X-Multi": {"a", "b"}},
		Action:     "incoming_chat",
		Verdict:    Verdict{Kind: Valid, Parsed: true, Valid: true, Secret: "ok"},
		Response:   Response{Status: 200, DurationMS: 0.412},
	}
	e.SetBody(body)
	return e
}

func TestAppendLineFixtures(t *testing.T) {
	n := 0
	err := fs.WalkDir(fixtures.FS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		body, err := fs.ReadFile(fixtures.FS(), path)
		if err != nil {
			return err
		}
		checkLine(t, sampleEntry(body))
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Fatalf("only %d fixtures", n)
	}
}

var hostileBodies = []string{
	"",
	`{"a":"<b>&amp;</b>"}`,
	"line\nbreak\r\ttab\b\f\x00\x01\x1f\x7f",
	`quote " backslash \ slash / \u2028`,
	"\u2028\u2029 separators and é, 日本, 🎉",
	"invalid \xff\xfe utf-8",
	"\xed\xa0\x80 surrogate",
	"truncated \xe2\x80",
	strings.Repeat("a", 70000),
	`{"secret_key":"s3cr3t","x":[1,2,3]}`,
}

func TestAppendLineHostile(t *testing.T) {
	for _, body := range hostileBodies {
		e := sampleEntry([]byte(body))
		checkLine(t, e)
		// the same text in every other string field
		e.RemoteAddr, e.Method, e.Path, e.Action, e.Verdict.Secret, e.Verdict.Kind = body, body, body, body, body, Kind(body)
		e.Headers = http.Header{body: {body, ""}, "Nil": nil, "Empty": {}}
		e.Verdict.Errors = []string{body, "1:2: " + body}
		e.Forward = &Forward{URL: body, Status: 502, DurationMS: 1e-7, Error: body}
		checkLine(t, e)
	}
}

func TestAppendLineShapes(t *testing.T) {
	e := sampleEntry(nil)
	e.Headers = nil
	e.Action = ""
	e.Verdict.Kind = "" // as lines were written before the verdict was
	checkLine(t, e)
	e.Time = time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))
	e.Forward = &Forward{URL: "http://127.0.0.1:3000/"}
	checkLine(t, e)
	for _, f := range []float64{0, 1, 0.001, 12.5, 1e-6, 9.99e-7, 1e20, 1e21, 123456789.123, -3, math.SmallestNonzeroFloat64} {
		e.Response.DurationMS, e.Forward.DurationMS = f, f
		checkLine(t, e)
	}
	e.Response.DurationMS = math.NaN()
	if _, err := AppendLine(nil, e); err == nil {
		t.Error("NaN: no error")
	}
	e.Response.DurationMS = 1
	e.Time = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := AppendLine(nil, e); err == nil {
		t.Error("year 10000: no error (encoding/json refuses it)")
	}
}

func FuzzAppendLine(f *testing.F) {
	for _, b := range hostileBodies {
		f.Add([]byte(b), b, 0.5)
	}
	body, _ := fixtures.Get("3.4", "incoming_chat")
	f.Add(body, "/", 3.25)
	f.Fuzz(func(t *testing.T, body []byte, s string, ms float64) {
		if math.IsNaN(ms) || math.IsInf(ms, 0) {
			return
		}
		e := sampleEntry(body)
		e.Path, e.Headers = s, http.Header{s: {s}}
		e.Verdict.Errors = []string{s}
		e.Response.DurationMS = ms
		checkLine(t, e)
	})
}

// TestWriterConcurrent: every Write returns with its line in the file,
// whole, and Close loses nothing.
func TestWriterConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := fixtures.Get("3.4", "incoming_chat")
	const workers, each = 8, 25
	var wg sync.WaitGroup
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				e := sampleEntry(body)
				e.Response.Status = g*1000 + i
				if err := w.Write(e); err != nil {
					t.Error(err)
					return
				}
				// written before Write returned: the file holds the line now
				if i == each-1 {
					b, err := os.ReadFile(path)
					if err != nil || !bytes.Contains(b, []byte(`"status":`+itoa(g*1000+i)+`,`)) {
						t.Errorf("line %d not in the file when Write returned", g*1000+i)
					}
				}
			}
		}()
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(sampleEntry(nil)); err != ErrClosed {
		t.Errorf("write after Close: %v", err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[int]bool{}
	r := NewReader(f)
	for {
		e, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if e.Body != string(body) || seen[e.Response.Status] {
			t.Fatalf("line %d: bad or repeated entry", r.Line())
		}
		seen[e.Response.Status] = true
	}
	if len(seen) != workers*each {
		t.Fatalf("%d entries in the file, want %d", len(seen), workers*each)
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestReplaceDuration(t *testing.T) {
	for _, body := range hostileBodies {
		e := sampleEntry([]byte(`{"response":{"status":1,"duration_ms":2},` + body))
		e.Forward = &Forward{URL: `http://x/"response":{"status":`, Status: 200, DurationMS: 5, Error: `,"duration_ms":1}`}
		line, _ := AppendLine(nil, e)
		e.Response.DurationMS = 12.345
		got, ok := ReplaceDuration([]byte("x"), line, 12.345)
		if !ok {
			t.Fatal("not replaced")
		}
		if want := append([]byte("x"), encodingJSON(t, e)...); !bytes.Equal(got, want) {
			t.Fatalf("got  %q\nwant %q", got, want)
		}
	}
	if _, ok := ReplaceDuration(nil, []byte(`{"a":1}`+"\n"), 1); ok {
		t.Error("replaced in a line without a response")
	}
}

// TestSafe8 checks the 8-byte test against the byte table, every byte
// value at every place, next to safe and unsafe neighbours.
func TestSafe8(t *testing.T) {
	for _, fill := range []byte{'a', ' ', '~', 0x7f, '!', '#', '[', ']'} {
		for pos := range 8 {
			for c := range 256 {
				b := bytes.Repeat([]byte{fill}, 8)
				b[pos] = byte(c)
				want := c < 0x80 && safe[c] && safe[fill]
				if got := safe8(string(b)); got != want {
					t.Fatalf("safe8(%q) = %v", b, got)
				}
			}
		}
	}
}
