package send

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lcwh/lcwh/internal/cmdtest"
	"github.com/lcwh/lcwh/pkg/iostreams"
)

// TestNewCmdSend: argv -> options, without a process.
func TestNewCmdSend(t *testing.T) {
	cmdtest.Cases(t, NewCmdSend, nil, []cmdtest.Case[Options]{
		{Args: []string{"incoming_event", "--to", "http://localhost:3000/h", "-H", "X-A: 1", "--count", "3", "--fresh", "--retries", "2"},
			Check: func(o *Options) bool {
				return o.Action == "incoming_event" && o.Delivery.To == "http://localhost:3000/h" && o.Count == 3 && o.Fresh &&
					o.Delivery.Retries == 2 && o.Delivery.Header.Get("X-A") == "1" && o.Delivery.Timeout == 10*time.Second && o.Format == "text"
			}},
		{Args: []string{"--file", "b.json", "--set", "payload.x=1", "--unset", "payload.y", "--dry-run"},
			Check: func(o *Options) bool {
				return o.File == "b.json" && len(o.Ops) == 2 && o.DryRun && o.Delivery.Retries == 0
			}},
		{Args: []string{"incoming_event", "--to", "localhost:3000"}, WantErr: `want an http:// or https:// URL`},
		{Args: []string{"incoming_event", "--count", "0"}, WantErr: `must be at least 1`},
		{Args: []string{"incoming_event", "--retries", "-1"}, WantErr: `must be at least 0`},
		{Args: []string{"incoming_event", "-H", "nocolon"}, WantErr: `want 'Name: value'`},
		{Args: []string{"incoming_event", "--expect-status", "999"}, WantErr: `want an HTTP status from 100 to 599`},
		{Args: []string{"incoming_event", "--expect-status", "200,99"}, WantErr: `want an HTTP status from 100 to 599`},
		{Args: []string{"incoming_event", "--expect-status", "202,204", "--expect-status", "410"},
			Check: func(o *Options) bool { return len(o.Delivery.ExpectStatus) == 3 && o.Delivery.ExpectStatus[2] == 410 }},
		{Args: []string{"incoming_event", "--set", "nope"}, WantErr: `want path=value`},
		{Args: []string{"incoming_event", "-o", "yaml"}, WantErr: `want text or json`},
		{Args: []string{"incoming_event", "--all"}, WantErr: `--all sends every action`},
		{Args: []string{}, WantErr: `give an ACTION, --file or --all`},
		{Args: []string{"--all", "--dry-run"}, WantErr: `--dry-run prints one body`},
	})
}

// TestCountShowsProgressOnATerminal: with --count, a progress line on a
// terminal's stderr, cleared at the end; none in a pipe.
func TestCountShowsProgressOnATerminal(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	for _, tty := range []bool{true, false} {
		ios, _, out, errOut := iostreams.Test()
		ios.ErrTTY = tty
		opts := Options{Action: "incoming_event", APIVersion: "3.4", Count: 3, Concurrency: 1, Fresh: true, Format: "text"}
		opts.Delivery.To = srv.URL
		if err := Run(t.Context(), ios, opts); err != nil {
			t.Fatal(err)
		}
		progress := strings.Contains(errOut.String(), "1 of 3 sent, 0 failed") && strings.HasSuffix(errOut.String(), "\r\033[K")
		if progress != tty {
			t.Errorf("tty %v: stderr %q", tty, errOut)
		}
		if !strings.HasPrefix(out.String(), "3 sent: 3 succeeded") {
			t.Errorf("stdout %q", out)
		}
	}
}

// TestFreshGivesEachDeliveryItsOwnIDs, in process: three bodies, three chats.
func TestFreshGivesEachDeliveryItsOwnIDs(t *testing.T) {
	bodies := make(chan string, 3)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies <- string(b)
	}))
	defer srv.Close()
	ios, _, _, _ := iostreams.Test()
	opts := Options{Action: "incoming_event", APIVersion: "3.6", Count: 3, Concurrency: 1, Fresh: true, Format: "text"}
	opts.Delivery.To = srv.URL
	if err := Run(t.Context(), ios, opts); err != nil {
		t.Fatal(err)
	}
	close(bodies)
	var got []string
	for b := range bodies {
		got = append(got, b)
	}
	if len(got) != 3 || got[0] == got[1] || got[1] == got[2] || got[0] == got[2] {
		t.Fatalf("bodies not distinct: %d", len(got))
	}
	for _, b := range got {
		if strings.Contains(b, "PJ0MRSHTDG") || strings.Contains(b, "3f9c2a4e-6b1d-4e8a-9c57-0d2e8b4f1a63") {
			t.Errorf("the fixture's chat or customer id kept: %.200s", b)
		}
	}
}
