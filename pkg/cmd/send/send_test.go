package send

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/iostreams"
)

// TestNewCmdSend: argv -> options, without a process.
func TestNewCmdSend(t *testing.T) {
	tests := []struct {
		args    []string
		check   func(*Options) bool
		wantErr string
	}{
		{args: []string{"incoming_event", "--to", "http://localhost:3000/h", "-H", "X-A: 1", "--count", "3", "--fresh", "--retries", "2"},
			check: func(o *Options) bool {
				return o.Action == "incoming_event" && o.Delivery.To == "http://localhost:3000/h" && o.Count == 3 && o.Fresh &&
					o.Delivery.Retries == 2 && o.Delivery.Header.Get("X-A") == "1" && o.Delivery.Timeout == 10*time.Second && o.Format == "text"
			}},
		{args: []string{"--file", "b.json", "--set", "payload.x=1", "--unset", "payload.y", "--dry-run"},
			check: func(o *Options) bool {
				return o.File == "b.json" && len(o.Ops) == 2 && o.DryRun && o.Delivery.Retries == 0
			}},
		{args: []string{"incoming_event", "--to", "localhost:3000"}, wantErr: `want an http:// or https:// URL`},
		{args: []string{"incoming_event", "--count", "0"}, wantErr: `must be at least 1`},
		{args: []string{"incoming_event", "--retries", "-1"}, wantErr: `must be at least 0`},
		{args: []string{"incoming_event", "-H", "nocolon"}, wantErr: `want 'Name: value'`},
		{args: []string{"incoming_event", "--set", "nope"}, wantErr: `want path=value`},
		{args: []string{"incoming_event", "-o", "yaml"}, wantErr: `want text or json`},
		{args: []string{"incoming_event", "--all"}, wantErr: `--all sends every action`},
		{args: []string{}, wantErr: `give an ACTION, --file or --all`},
		{args: []string{"--all", "--dry-run"}, wantErr: `--dry-run prints one body`},
	}
	xdg := t.TempDir()
	for _, tt := range tests {
		ios, _, _, _ := iostreams.Test()
		f := &cmdutil.Factory{IO: ios, Getenv: func(k string) string { return map[string]string{"XDG_CONFIG_HOME": xdg}[k] }}
		var got *Options
		cmd := NewCmdSend(f, func(o *Options) error { got = o; return nil })
		cmd.SetArgs(tt.args)
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		err := cmd.Execute()
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: err = %v, want %q", tt.args, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.args, err)
		case !tt.check(got):
			t.Errorf("%q: options %+v", tt.args, got)
		}
	}
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
