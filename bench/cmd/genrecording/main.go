// Command genrecording writes a listen recording (JSON Lines of
// record.Entry) of about -size bytes, from the fixtures, for the replay
// memory benchmark.
//
//	genrecording -size 1G -out /tmp/big.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
)

func main() {
	size := flag.String("size", "1G", "approximate size: bytes, or with K, M or G")
	count := flag.Int("count", 0, "write exactly this many entries instead (overrides -size)")
	out := flag.String("out", "", "file to write")
	version := flag.String("api-version", payload.DefaultVersion, "API version of the fixtures")
	flag.Parse()
	if err := run(*size, *count, *out, *version); err != nil {
		fmt.Fprintln(os.Stderr, "genrecording:", err)
		os.Exit(1)
	}
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n * mult, err
}

func run(size string, count int, out, version string) error {
	want, err := parseSize(size)
	if err != nil || out == "" {
		return fmt.Errorf("want -size N[KMG] and -out FILE")
	}
	cat, err := payload.CatalogFor(version)
	if err != nil {
		return err
	}
	var lines [][]byte
	chat := 0
	for _, a := range cat.Names() {
		body, err := fixtures.Get(version, a)
		if err != nil {
			return err
		}
		if a == "incoming_chat" {
			chat = len(lines)
		}
		e := record.Entry{
			Time:       time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
			RemoteAddr: "127.0.0.1:50000",
			Method:     http.MethodPost,
			Path:       "/webhooks",
			Headers:    http.Header{"Content-Type": {"application/json"}, "User-Agent": {"LiveChat-Webhooks"}},
			Action:     a,
			Verdict:    record.Verdict{Parsed: true, Valid: true, Secret: "unchecked"},
			Response:   record.Response{Status: 200, DurationMS: 0.2},
		}
		e.SetBody(body)
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		lines = append(lines, append(b, '\n'))
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var n int64
	for i := 0; (count > 0 && i < count) || (count == 0 && n < want); i++ {
		l := lines[i%len(lines)]
		if i%len(lines) >= len(lines)/2 {
			l = lines[chat] // rich chats dominate
		}
		w.Write(l)
		n += int64(len(l))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}
