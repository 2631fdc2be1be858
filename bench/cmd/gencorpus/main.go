// Command gencorpus writes a corpus of realistic webhook bodies for the
// benchmarks: every action of an API version, built from lcwh's fixtures,
// with rich chats dominating and every id varied, all valid.
//
//	go run ./bench/cmd/gencorpus -n 10000 -out /tmp/corpus
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/payload"
)

// weights: how often an action appears relative to others (1 by default).
// Chat traffic dominates real webhook streams, and incoming_chat carries the
// whole chat: users, thread, events of every type.
var weights = map[string]int{
	"incoming_chat":                  30,
	"incoming_event":                 12,
	"event_updated":                  4,
	"chat_deactivated":               4,
	"user_added_to_chat":             3,
	"incoming_rich_message_postback": 3,
	"events_marked_as_seen":          3,
	"chat_transferred":               2,
}

// idKeys name the string members whose values are ids, varied per document.
var idKeys = map[string]bool{
	"id": true, "chat_id": true, "thread_id": true, "event_id": true, "webhook_id": true,
	"author_id": true, "user_id": true, "agent_id": true, "customer_id": true, "custom_id": true,
	"previous_thread_id": true, "next_thread_id": true, "postback_id": true, "organization_id": true,
	"secret_key": true, "requester_id": true, "bot_id": true,
}

func main() {
	n := flag.Int("n", 1000, "number of files")
	out := flag.String("out", "", "directory to write to (created)")
	version := flag.String("api-version", payload.DefaultVersion, "API version of the fixtures")
	seed := flag.Uint64("seed", 1, "random seed (same seed, same corpus)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "gencorpus: -out is required")
		os.Exit(2)
	}
	if err := run(*n, *out, *version, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}

type template struct {
	action string
	value  any
}

func run(n int, out, version string, seed uint64) error {
	cat, err := payload.CatalogFor(version)
	if err != nil {
		return err
	}
	var pool []template
	for _, a := range cat.Names() {
		raw, err := fixtures.Get(version, a)
		if err != nil {
			return err
		}
		v, err := payload.Parse(raw)
		if err != nil {
			return fmt.Errorf("fixture %s: %w", a, err)
		}
		w := weights[a]
		if w == 0 {
			w = 1
		}
		for i := 0; i < w; i++ {
			pool = append(pool, template{a, v})
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var buf bytes.Buffer
	for i := 0; i < n; i++ {
		t := pool[i%len(pool)]
		if i >= len(pool) {
			t = pool[rng.IntN(len(pool))]
		}
		doc := vary(t.value, "", rng)
		buf.Reset()
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return err
		}
		name := filepath.Join(out, fmt.Sprintf("%06d_%s.json", i, t.action))
		if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// vary copies v, replacing the value of every id member by a random id of
// the same shape (length and alphabet), so no two documents are alike.
func vary(v any, key string, rng *rand.Rand) any {
	switch x := v.(type) {
	case map[string]any:
		c := make(map[string]any, len(x))
		for k, e := range x {
			c[k] = vary(e, k, rng)
		}
		return c
	case []any:
		c := make([]any, len(x))
		for i, e := range x {
			c[i] = vary(e, key, rng)
		}
		return c
	case string:
		if idKeys[key] || strings.HasSuffix(key, "_ids") {
			return reshape(x, rng)
		}
	}
	return v
}

func reshape(s string, rng *rand.Rand) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'A' && c <= 'Z':
			b[i] = 'A' + byte(rng.IntN(26))
		case c >= 'a' && c <= 'z':
			b[i] = 'a' + byte(rng.IntN(26))
		case c >= '0' && c <= '9':
			b[i] = '0' + byte(rng.IntN(10))
		}
	}
	return string(b)
}
