package inspect_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/inspect"
	"github.com/lcwh/lcwh/pkg/listen"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
	"github.com/lcwh/lcwh/pkg/render"
)

const secret = "lcwh-example-secret"

// invalid breaks routing_status_set's schema at /payload/status (line 7 pretty-printed).
const invalid = `{"webhook_id":"w1","secret_key":"lcwh-example-secret","action":"routing_status_set","organization_id":"o1","payload":{"agent_id":"john.smith@example.com","status":"busy"}}`

// rig is a real listen.Server on httptest feeding an Inspector served on
// another httptest server, as `lcwh listen` wires them.
type rig struct {
	t      *testing.T
	in     *inspect.Inspector
	listen *httptest.Server
	ui     *httptest.Server
	added  chan uint64
}

func newRig(t *testing.T, icfg inspect.Config, lcfg listen.Config) *rig {
	t.Helper()
	if lcfg.Secrets == nil {
		lcfg.Secrets = []string{secret}
	}
	srv, err := listen.New(lcfg)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, listen: httptest.NewServer(srv), added: make(chan uint64, 100)}
	t.Cleanup(r.listen.Close)
	icfg.ListenURL = r.listen.URL + "/"
	if icfg.ForwardTo == "" {
		icfg.ForwardTo = lcfg.ForwardTo
	}
	r.in, err = inspect.New(icfg)
	if err != nil {
		t.Fatal(err)
	}
	srv.Subscribe(func(d listen.Delivery) {
		r.in.Add(d)
		r.added <- d.Seq
	})
	r.ui = httptest.NewServer(r.in)
	t.Cleanup(r.ui.Close)
	return r
}

// post sends a body to listen with a real client and waits until the
// inspector has it.
func (r *rig) post(path string, body []byte, header ...string) int {
	r.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, r.listen.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	select {
	case <-r.added:
	case <-time.After(5 * time.Second):
		r.t.Fatal("the delivery never reached the inspector")
	}
	return resp.StatusCode
}

func (r *rig) fixture(action string) []byte {
	r.t.Helper()
	b, err := fixtures.Get("3.6", action)
	if err != nil {
		r.t.Fatal(err)
	}
	return b
}

// bearer is the header a script sends with the inspector's token.
func bearer(in *inspect.Inspector) []string { return []string{"Authorization", "Bearer " + in.Token()} }

// do sends req to the inspector with its token.
func (r *rig) do(req *http.Request) *http.Response {
	r.t.Helper()
	req.Header.Set("Authorization", "Bearer "+r.in.Token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	return resp
}

// get fetches an API path, checks the status and decodes into v (when not nil).
func (r *rig) get(path string, want int, v any) []byte {
	r.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, r.ui.URL+path, nil)
	resp := r.do(req)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		r.t.Fatalf("GET %s: %d %s, want %d", path, resp.StatusCode, b, want)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			r.t.Fatalf("GET %s: %v in %s", path, err, b)
		}
	}
	return b
}

// postAPI posts JSON as the page does (same origin).
func (r *rig) postAPI(path string, body any, want int, v any) []byte {
	r.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, r.ui.URL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", r.ui.URL)
	resp := r.do(req)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		r.t.Fatalf("POST %s: %d %s, want %d", path, resp.StatusCode, out, want)
	}
	if v != nil {
		if err := json.Unmarshal(out, v); err != nil {
			r.t.Fatalf("POST %s: %v in %s", path, err, out)
		}
	}
	return out
}

func TestListDetailAndFilters(t *testing.T) {
	r := newRig(t, inspect.Config{}, listen.Config{})
	wrong := bytes.Replace(r.fixture("thread_tagged"), []byte(secret), []byte("not-the-secret"), 1)
	if got := r.post("/hooks", r.fixture("incoming_event")); got != 200 {
		t.Fatalf("incoming_event answered %d", got)
	}
	r.post("/hooks", []byte(invalid))
	r.post("/hooks", []byte("{\"action\": \"incoming_event\",\n \"secret_key\": \"lcwh-example-secret\",\n}"))
	r.post("/hooks", wrong)
	r.post("/hooks", r.fixture("incoming_chat"))

	var all inspect.Page
	r.get("/api/deliveries", 200, &all)
	if all.Matched != 5 || all.Kept != 5 || len(all.Items) != 5 || all.Newest != 5 {
		t.Fatalf("list: matched %d kept %d items %d newest %d", all.Matched, all.Kept, len(all.Items), all.Newest)
	}
	wantVerdicts := []record.Kind{"valid", "rejected", "malformed", "invalid", "valid"} // newest first
	for i, it := range all.Items {
		if it.ID != uint64(5-i) || it.Verdict != wantVerdicts[i] {
			t.Errorf("item %d: id %d verdict %s, want id %d %s", i, it.ID, it.Verdict, 5-i, wantVerdicts[i])
		}
	}
	first := all.Items[4]
	if first.Action != "incoming_event" || first.Status != 200 || first.Secret != "ok" || !strings.Contains(first.Line, `wrote "Great, I've filled in`) {
		t.Errorf("incoming_event summary: %+v", first)
	}
	if r := all.Items[1]; r.Status != 401 || r.Secret != "wrong" || !strings.HasPrefix(r.Line, "secret_key wrong") {
		t.Errorf("rejected summary: %+v", r)
	}

	for _, c := range []struct {
		query string
		ids   []uint64
	}{
		{"action=incoming_event", []uint64{1}},
		{"validity=valid", []uint64{5, 1}},
		{"validity=problem", []uint64{4, 3, 2}},
		{"validity=malformed", []uint64{3}},
		{"validity=invalid", []uint64{2}},
		{"validity=rejected", []uint64{4}},
		{"q=BUSY", []uint64{2}}, // in the body, any case
		{"q=" + secret, nil},    // never matches the hidden secret
		{"q=hot_lead&validity=problem", []uint64{4}},
	} {
		var p inspect.Page
		r.get("/api/deliveries?"+c.query, 200, &p)
		var ids []uint64
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
		if !equalIDs(ids, c.ids) || p.Matched != len(c.ids) {
			t.Errorf("%s: ids %v matched %d, want %v", c.query, ids, p.Matched, c.ids)
		}
	}

	// paging: newest first, a cursor to the older page
	var p1, p2 inspect.Page
	r.get("/api/deliveries?limit=2", 200, &p1)
	if len(p1.Items) != 2 || p1.Items[0].ID != 5 || p1.Before != 4 || p1.Matched != 5 {
		t.Fatalf("page 1: %+v", p1)
	}
	r.get("/api/deliveries?limit=2&before=4", 200, &p2)
	if len(p2.Items) != 2 || p2.Items[0].ID != 3 || p2.Items[1].ID != 2 || p2.Before != 2 || p2.Matched != 5 {
		t.Fatalf("page 2: %+v", p2)
	}

	// the invalid one: error located in the body as received and pretty-printed
	var d inspect.Detail
	r.get("/api/deliveries/2", 200, &d)
	if len(d.ErrorList) != 1 {
		t.Fatalf("errors: %+v", d.ErrorList)
	}
	e := d.ErrorList[0]
	if e.Pointer != "/payload/status" || e.Line != 1 || e.Column < 100 || e.PrettyLine == 0 {
		t.Errorf("error located at %+v", e)
	}
	if line := strings.Split(d.Body.Pretty, "\n")[e.PrettyLine-1]; !strings.Contains(line, `"status": "busy"`) {
		t.Errorf("pretty line %d is %q, want the status", e.PrettyLine, line)
	}
	if !d.Redacted || !strings.Contains(d.Body.Raw, `"secret_key":"<redacted>"`) || d.Response.Status != 200 || d.Headers["Content-Type"][0] != "application/json" {
		t.Errorf("detail: %+v", d)
	}

	// the malformed one: the syntax error and the body, secret hidden all the same
	d = inspect.Detail{}
	r.get("/api/deliveries/3", 200, &d)
	if d.SyntaxError == nil || d.SyntaxError.Line != 3 || d.Body.Pretty != "" || d.Body.JSON || d.Response.Status != 400 {
		t.Errorf("malformed detail: %+v", d)
	}

	// a chat: the transcript
	r.get("/api/deliveries/5", 200, &d)
	if len(d.Transcript) < 2 || !strings.HasPrefix(d.Transcript[0], "customer ") {
		t.Errorf("transcript: %q", d.Transcript)
	}

	r.get("/api/deliveries/99", 404, nil)
	r.get("/api/deliveries/x", 400, nil)

	// nothing the API says holds the secret
	for _, path := range []string{"/api/deliveries", "/api/deliveries/1", "/api/deliveries/2", "/api/deliveries/3", "/api/deliveries/4", "/api/deliveries/5",
		"/api/deliveries/1/export?as=curl", "/api/deliveries/1/export?as=send", "/api/deliveries/1/export?as=fixture", "/api/deliveries/3/export?as=fixture"} {
		if b := r.get(path, 200, nil); bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s shows the secret:\n%s", path, b)
		}
	}
}

func equalIDs(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestShowSecrets(t *testing.T) {
	r := newRig(t, inspect.Config{ShowSecrets: true}, listen.Config{})
	r.post("/", r.fixture("incoming_event"), "Authorization", "Bearer abc")
	var d inspect.Detail
	r.get("/api/deliveries/1", 200, &d)
	if !strings.Contains(d.Body.Pretty, secret) || d.Redacted || d.Headers["Authorization"][0] != "Bearer abc" {
		t.Errorf("--show-secrets hid something: %+v", d)
	}
	r2 := newRig(t, inspect.Config{}, listen.Config{})
	r2.post("/", r2.fixture("incoming_event"), "Authorization", "Bearer abc")
	r2.get("/api/deliveries/1", 200, &d)
	if d.Headers["Authorization"][0] != payload.Redacted {
		t.Errorf("Authorization shown: %q", d.Headers["Authorization"])
	}
}

func TestHistoryKeepsTheLastN(t *testing.T) {
	r := newRig(t, inspect.Config{History: 3}, listen.Config{})
	for range 5 {
		r.post("/", r.fixture("thread_tagged"))
	}
	var p inspect.Page
	r.get("/api/deliveries", 200, &p)
	if len(p.Items) != 3 || p.Items[0].ID != 5 || p.Items[2].ID != 3 || p.Kept != 3 {
		t.Fatalf("kept %+v", p)
	}
	r.get("/api/deliveries/2", 404, nil)
	r.get("/api/deliveries/3", 200, nil)
}

// events reads server-sent events from a stream.
type events struct {
	t    *testing.T
	resp *http.Response
	c    chan sse
}

type sse struct {
	id, event, data string
}

func openEvents(t *testing.T, url string, header ...string) *events {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("events: %d %s", resp.StatusCode, ct)
	}
	e := &events{t: t, resp: resp, c: make(chan sse, 100)}
	go func() {
		defer close(e.c)
		sc := bufio.NewScanner(resp.Body)
		var cur sse
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if cur.event != "" {
					e.c <- cur
				}
				cur = sse{}
			case strings.HasPrefix(line, "id: "):
				cur.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				cur.event = line[7:]
			case strings.HasPrefix(line, "data: "):
				cur.data = line[6:]
			}
		}
	}()
	t.Cleanup(func() { resp.Body.Close() })
	return e
}

func (e *events) next() (sse, inspect.Summary) {
	e.t.Helper()
	select {
	case ev, ok := <-e.c:
		if !ok {
			e.t.Fatal("the stream ended")
		}
		var s inspect.Summary
		if ev.event == "delivery" {
			if err := json.Unmarshal([]byte(ev.data), &s); err != nil {
				e.t.Fatal(err)
			}
		}
		return ev, s
	case <-time.After(5 * time.Second):
		e.t.Fatal("no event within 5s")
	}
	return sse{}, inspect.Summary{}
}

func TestEventStream(t *testing.T) {
	r := newRig(t, inspect.Config{}, listen.Config{})
	r.post("/", r.fixture("incoming_event")) // 1: before the stream opened

	all := openEvents(t, r.ui.URL+"/api/events?after=0", bearer(r.in)...)
	invalidOnly := openEvents(t, r.ui.URL+"/api/events?after=1&validity=problem", bearer(r.in)...)
	ev, s := all.next()
	if ev.event != "delivery" || ev.id != "1" || s.ID != 1 || s.Action != "incoming_event" {
		t.Fatalf("backlog event: %+v %+v", ev, s)
	}

	r.post("/", []byte(invalid))            // 2
	r.post("/", r.fixture("thread_tagged")) // 3
	r.post("/", []byte(`{"action": nope}`)) // 4
	for _, want := range []uint64{2, 3, 4} {
		if _, s := all.next(); s.ID != want {
			t.Fatalf("live event %d, want %d", s.ID, want)
		}
	}
	for _, want := range []record.Kind{"invalid", "malformed"} {
		if _, s := invalidOnly.next(); s.Verdict != want {
			t.Fatalf("filtered stream sent %s, want %s", s.Verdict, want)
		}
	}

	// a reconnecting EventSource sends Last-Event-ID: only what it missed comes
	again := openEvents(t, r.ui.URL+"/api/events", append(bearer(r.in), "Last-Event-ID", "3")...)
	if ev, s := again.next(); ev.id != "4" || s.Verdict != "malformed" {
		t.Fatalf("after Last-Event-ID 3: %+v", ev)
	}
}

func TestServeEndsOpenStreams(t *testing.T) {
	in, err := inspect.New(inspect.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- in.Serve(ctx, ln) }()
	e := openEvents(t, "http://"+ln.Addr().String()+"/api/events", bearer(in)...)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("an open stream held up the shutdown")
	}
	for range e.c { // the stream ended
	}
}

// target is a replay target that keeps what it receives.
type target struct {
	*httptest.Server
	mu  sync.Mutex
	got []received
}

type received struct {
	body   []byte
	header http.Header
}

// newTarget answers status and answer to every request.
func newTarget(t *testing.T, status int, answer string) *target {
	tg := &target{}
	tg.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		tg.mu.Lock()
		tg.got = append(tg.got, received{b, r.Header.Clone()})
		tg.mu.Unlock()
		w.WriteHeader(status)
		io.WriteString(w, answer)
	}))
	t.Cleanup(tg.Close)
	return tg
}

func (tg *target) all() []received {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	return slices.Clone(tg.got)
}

func (tg *target) last() received {
	all := tg.all()
	return all[len(all)-1]
}

func TestReplayAndEditedSend(t *testing.T) {
	app := newTarget(t, 202, "accepted by the app")
	other := newTarget(t, 500, "")

	r := newRig(t, inspect.Config{}, listen.Config{ForwardTo: app.URL + "/hooks"})
	body := r.fixture("incoming_event")
	r.post("/", body, "X-Request-Trace", "abc")
	var d inspect.Detail
	r.get("/api/deliveries/1", 200, &d)
	if d.ForwardFull == nil || d.ForwardFull.Status != 202 || d.ForwardFull.Body != "accepted by the app" || d.Status != 202 {
		t.Fatalf("forward shown as %+v", d.ForwardFull)
	}

	// to the forward target: the exact bytes, secret included, original headers
	var rep inspect.Replay
	r.postAPI("/api/deliveries/1/replay", map[string]string{}, 200, &rep)
	if rep.Status != 202 || !rep.OK || rep.URL != app.URL+"/hooks" || rep.Body != "accepted by the app" {
		t.Fatalf("replay: %+v", rep)
	}
	// to a URL the user names
	r.postAPI("/api/deliveries/1/replay", map[string]string{"url": other.URL}, 200, &rep)
	if rep.Status != 500 || rep.OK {
		t.Fatalf("replay elsewhere: %+v", rep)
	}
	// an edited body keeps the real secret where the page showed <redacted>
	edited := strings.Replace(d.Body.Pretty, "Great, I've", "Edited: I've", 1)
	r.postAPI("/api/deliveries/1/replay", map[string]any{"body": edited}, 200, &rep)
	if !rep.Edited || rep.Status != 202 || len(rep.Errors) != 0 {
		t.Fatalf("edited send: %+v", rep)
	}
	r.postAPI("/api/deliveries/1/replay", map[string]any{"body": `{"action":"incoming_event"}`}, 200, &rep)
	if len(rep.Errors) == 0 {
		t.Errorf("an invalid edited body was sent without its errors: %+v", rep)
	}

	received := app.all()
	if len(received) != 4 { // forward, replay, edited, edited invalid
		t.Fatalf("the app received %d requests", len(received))
	}
	if !bytes.Equal(received[1].body, body) || received[1].header.Get("X-Request-Trace") != "abc" || received[1].header.Get("Content-Type") != "application/json" {
		t.Errorf("replay sent %q with %v", received[1].body, received[1].header)
	}
	if b := received[2].body; !bytes.Contains(b, []byte(`"secret_key": "`+secret+`"`)) || !bytes.Contains(b, []byte("Edited: I've")) {
		t.Errorf("edited body sent: %s", b)
	}

	r.get("/api/deliveries/1", 200, &d)
	if len(d.ReplayList) != 4 || d.Replays != 4 {
		t.Errorf("replays kept: %d", len(d.ReplayList))
	}
	for _, bad := range []string{"ftp://127.0.0.1/x", "file:///etc/passwd", "javascript:alert(1)", "127.0.0.1:9/no-scheme"} {
		r.postAPI("/api/deliveries/1/replay", map[string]string{"url": bad}, 400, nil)
	}
	r.postAPI("/api/deliveries/9/replay", map[string]string{}, 404, nil)

	// without --forward-to a replay needs a URL
	r2 := newRig(t, inspect.Config{}, listen.Config{})
	r2.post("/", body)
	r2.postAPI("/api/deliveries/1/replay", map[string]string{}, 400, nil)
}

func TestValidateEndpoint(t *testing.T) {
	r := newRig(t, inspect.Config{}, listen.Config{})
	var v inspect.Validation
	r.postAPI("/api/validate", map[string]string{"body": invalid}, 200, &v)
	if v.Valid || len(v.Errors) != 1 || v.Errors[0].Pointer != "/payload/status" {
		t.Errorf("validate invalid: %+v", v)
	}
	r.postAPI("/api/validate", map[string]string{"body": "{\n  \"a\": 1,\n}"}, 200, &v)
	if v.SyntaxError == nil || v.SyntaxError.Line != 3 {
		t.Errorf("validate malformed: %+v", v)
	}
	r.postAPI("/api/validate", map[string]string{"body": string(r.fixture("thread_tagged"))}, 200, &v)
	if !v.Valid || v.Action != "thread_tagged" {
		t.Errorf("validate valid: %+v", v)
	}
}

func TestGuards(t *testing.T) {
	r := newRig(t, inspect.Config{}, listen.Config{})
	r.post("/", r.fixture("thread_tagged"))
	do := func(method, path, host, origin, ctype string) int {
		req, _ := http.NewRequest(method, r.ui.URL+path, strings.NewReader(`{}`))
		if host != "" {
			req.Host = host
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp := r.do(req)
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, c := range []struct {
		name                              string
		method, path, host, origin, ctype string
		want                              int
	}{
		{"rebound DNS name", "GET", "/api/deliveries", "evil.example:8788", "", "", 403},
		{"rebound DNS name on the page", "GET", "/", "attacker.test", "", "", 403},
		{"localhost", "GET", "/api/deliveries", "localhost:8788", "", "", 200},
		{"sub.localhost", "GET", "/api/info", "lcwh.localhost:8788", "", "", 200},
		{"IPv6 loopback", "GET", "/api/info", "[::1]:8788", "", "", 200},
		{"cross-site POST", "POST", "/api/validate", "", "http://evil.example", "application/json", 403},
		{"cross-port POST", "POST", "/api/validate", "", "http://127.0.0.1:1", "application/json", 403},
		{"form POST", "POST", "/api/validate", "", "", "text/plain", 415},
		{"same-origin POST", "POST", "/api/validate", "", r.ui.URL, "application/json", 200},
		{"non-browser POST", "POST", "/api/validate", "", "", "application/json", 200},
		{"wrong method", "DELETE", "/api/deliveries/1", "", r.ui.URL, "application/json", 405},
	} {
		if got := do(c.method, c.path, c.host, c.origin, c.ctype); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
	// a cross-site page sends Sec-Fetch-Site even when it hides Origin
	req, _ := http.NewRequest("POST", r.ui.URL+"/api/deliveries/1/replay", strings.NewReader(`{"url":"http://127.0.0.1:9/"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp := r.do(req)
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("Sec-Fetch-Site cross-site: %d", resp.StatusCode)
	}
}

func TestUIIsEmbeddedAndLocked(t *testing.T) {
	r := newRig(t, inspect.Config{}, listen.Config{})
	req, _ := http.NewRequest(http.MethodGet, r.ui.URL+"/", nil)
	resp := r.do(req)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	if resp.StatusCode != 200 || !strings.Contains(csp, "default-src 'none'") || !strings.Contains(string(b), "<html") {
		t.Fatalf("index: %d %q", resp.StatusCode, csp)
	}
	// every asset is local: no http(s) URL is loaded by the page
	for _, name := range []string{"/", "/app.js", "/app.css"} {
		body := r.get(name, 200, nil)
		for _, bad := range []string{"src=\"http", "href=\"http", "url(http", "@import", "fonts.googleapis", "cdn"} {
			if bytes.Contains(body, []byte(bad)) {
				t.Errorf("%s refers to something remote: %s", name, bad)
			}
		}
	}
	var info inspect.Info
	r.get("/api/info", 200, &info)
	if info.History != inspect.DefaultHistory || len(info.Actions) < 30 || info.ListenURL != r.listen.URL+"/" {
		t.Errorf("info: %+v", info)
	}
}

func TestLoadRecording(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rec.jsonl")
	w, err := record.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, inspect.Config{}, listen.Config{Recorder: w})
	r.post("/", r.fixture("incoming_event"))
	r.post("/", []byte(invalid))
	r.post("/", []byte(`{"broken": `))
	r.post("/", r.fixture("thread_tagged"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("not a recording line\n")
	f.Close()

	in, err := inspect.New(inspect.Config{History: 3})
	if err != nil {
		t.Fatal(err)
	}
	rf, _ := os.Open(path)
	defer rf.Close()
	var skipped []string
	loaded, err := in.Load(rf, func(err error) { skipped = append(skipped, err.Error()) })
	if bad := len(skipped); err != nil || loaded != 4 || bad != 1 || in.Len() != 3 || !strings.HasPrefix(skipped[0], "line 5: ") {
		t.Fatalf("loaded %d, skipped %q, kept %d, err %v", loaded, skipped, in.Len(), err)
	}
	ui := httptest.NewServer(in)
	defer ui.Close()
	rr := &rig{t: t, in: in, ui: ui}
	var p inspect.Page
	rr.get("/api/deliveries", 200, &p)
	if len(p.Items) != 3 || p.Items[0].Action != "thread_tagged" || p.Items[0].Source != "recording" ||
		p.Items[1].Verdict != "malformed" || p.Items[2].Verdict != "invalid" || p.Items[0].Verdict != "valid" {
		t.Fatalf("recorded list: %+v", p.Items)
	}
	var d inspect.Detail
	rr.get("/api/deliveries/2", 200, &d) // the invalid one, its error located again
	if len(d.ErrorList) != 1 || d.ErrorList[0].Pointer != "/payload/status" || d.ErrorList[0].PrettyLine == 0 || d.Response.Status != 200 {
		t.Errorf("recorded detail: %+v", d.ErrorList)
	}
}

func TestExportCommandsRunInAShell(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	r := newRig(t, inspect.Config{}, listen.Config{})
	r.post("/", r.fixture("incoming_event"))
	// the commands, with curl and lcwh replaced by cat, hand over the body
	for _, as := range []string{"curl", "send"} {
		cmd := string(r.get("/api/deliveries/1/export?as="+as+"&url=http://127.0.0.1:3000/it's", 200, nil))
		if !strings.Contains(cmd, `'http://127.0.0.1:3000/it'\''s'`) {
			t.Errorf("%s: URL not quoted:\n%s", as, cmd)
		}
		if as == "send" && !strings.Contains(cmd, `--secret "$LCWH_SECRET"`) {
			t.Errorf("send: no --secret:\n%s", cmd)
		}
		out, err := exec.Command(sh, "-c", "curl() { cat; }; lcwh() { cat; }; "+cmd).Output()
		if err != nil {
			t.Fatalf("%s: %v\n%s", as, err, cmd)
		}
		var v map[string]any
		if err := json.Unmarshal(out, &v); err != nil || v["action"] != "incoming_event" || v["secret_key"] != payload.Redacted {
			t.Errorf("%s hands over %s (%v)", as, out, err)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, r.ui.URL+"/api/deliveries/1/export?as=fixture", nil)
	resp := r.do(req)
	resp.Body.Close()
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="incoming_event-1.json"` {
		t.Errorf("fixture download: %q", cd)
	}
	r.get("/api/deliveries/1/export?as=zip", 400, nil)
	r.get("/api/deliveries/1/export?as=curl&url=ftp://x", 400, nil)
}

// padded is a webhook body of about n bytes with the given secret.
func padded(secretKey string, n int) []byte {
	return []byte(`{"action":"incoming_event","secret_key":"` + secretKey + `","payload":{"pad":"` + strings.Repeat("x", n) + `"}}`)
}

// TestHistoryBoundedByBytes: the history drops the oldest deliveries to
// stay within HistoryBytes, rejected (401) ones counted like the others,
// and its memory follows.
func TestHistoryBoundedByBytes(t *testing.T) {
	const budget = 4 << 20
	r := newRig(t, inspect.Config{History: 1000, HistoryBytes: budget}, listen.Config{MaxBody: 2 << 20})
	const n, size = 40, 1 << 20
	for i := range n {
		if status := r.post("/", padded("not-the-secret", size)); status != 401 {
			t.Fatalf("delivery %d answered %d, want 401", i+1, status)
		}
	}

	var info inspect.Info
	r.get("/api/info", 200, &info)
	if info.HistoryBytes != budget || info.KeptBytes > budget || info.Kept < 1 || info.Kept > budget/size {
		t.Fatalf("kept %d deliveries in %d bytes, want at most %d bytes", info.Kept, info.KeptBytes, budget)
	}
	// each counts its body as received and as shown (redacted): two copies
	if info.KeptBytes < int64(info.Kept)*2*size {
		t.Errorf("%d deliveries of %d bytes counted as %d bytes", info.Kept, size, info.KeptBytes)
	}
	r.get("/api/deliveries/1", 404, nil)
	r.get("/api/deliveries/40", 200, nil)

	// a delivery larger than the whole budget is kept alone (the newest always is)
	r2 := newRig(t, inspect.Config{HistoryBytes: 64 << 10}, listen.Config{})
	r2.post("/", r2.fixture("thread_tagged"))
	r2.post("/", padded(secret, 100<<10))
	r2.get("/api/info", 200, &info)
	if info.Kept != 1 {
		t.Errorf("kept %d, want the newest alone", info.Kept)
	}
	r2.get("/api/deliveries/2", 200, nil)
}

// TestHistoryHeapWithinBytes: what the history holds in memory is what it
// counts. Nothing it keeps from a delivery (ids, names learned, the
// secret) may pin the parsed document, a copy of the whole body.
func TestHistoryHeapWithinBytes(t *testing.T) {
	const budget, size, n = 16 << 20, 1 << 20, 48
	r := newRig(t, inspect.Config{History: 1000, HistoryBytes: budget}, listen.Config{MaxBody: 2 << 20})
	chat, event := string(r.fixture("incoming_chat")), string(r.fixture("incoming_event"))
	r.post("/", []byte(chat)) // schemas compiled, buffers grown
	r.post("/", []byte(event))
	heap := func() int64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	before := heap()
	for i := range n {
		// a new customer each time (the names learned), 1 MiB of text
		body := strings.ReplaceAll(chat, "3f9c2a4e-6b1d-4e8a-9c57-0d2e8b4f1a63", fmt.Sprintf("%08x-6b1d-4e8a-9c57-0d2e8b4f1a63", i))
		if i%2 == 1 {
			body = strings.ReplaceAll(event, "3f9c2a4e-6b1d-4e8a-9c57-0d2e8b4f1a63", fmt.Sprintf("%08x-6b1d-4e8a-9c57-0d2e8b4f1a63", i))
		}
		body = strings.Replace(body, `"webhook_id"`, `"note": "`+strings.Repeat("x", size)+`", "webhook_id"`, 1)
		if status := r.post("/", []byte(body)); status != 200 {
			t.Fatalf("delivery %d answered %d", i+1, status)
		}
	}
	grown := heap() - before
	kept, held := r.in.Kept()
	t.Logf("%d deliveries of 1 MiB: kept %d, counted %.1f MiB, heap grew %.1f MiB", n, kept, float64(held)/(1<<20), float64(grown)/(1<<20))
	// the margin: the last delivery, still on its way out of listen
	if held > budget || grown > budget+3<<20 {
		t.Errorf("kept %d deliveries counted as %d bytes; the heap grew by %.1f MiB for a %d MiB history",
			kept, held, float64(grown)/(1<<20), budget>>20)
	}
}

func TestLoadRecordingBoundedByBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	w, err := record.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, inspect.Config{}, listen.Config{Recorder: w})
	for range 10 {
		r.post("/", padded("not-the-secret", 100<<10))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	in, err := inspect.New(inspect.Config{HistoryBytes: 500 << 10})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	loaded, err := in.Load(f, func(err error) { t.Errorf("skipped: %v", err) })
	n, held := in.Kept()
	if err != nil || loaded != 10 || n < 1 || n > 2 || held > 500<<10 {
		t.Fatalf("loaded %d (%v): kept %d in %d bytes", loaded, err, n, held)
	}
	ui := httptest.NewServer(in)
	defer ui.Close()
	rr := &rig{t: t, in: in, ui: ui}
	var p inspect.Page
	rr.get("/api/deliveries", 200, &p)
	if p.Newest != 10 || p.Items[len(p.Items)-1].ID != uint64(11-n) || p.Items[0].Verdict != "rejected" {
		t.Errorf("kept %+v", p)
	}
}

// TestReplaySendsTheRealCredentials: the inspector hides Authorization,
// Cookie and the secret_key, but a replay sends the real ones; from a
// recording (which holds them redacted) it restores what listen knows and
// says what it could not.
func TestReplaySendsTheRealCredentials(t *testing.T) {
	app := newTarget(t, 200, "")
	last := app.last
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	w, err := record.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, inspect.Config{}, listen.Config{Recorder: w})
	body := r.fixture("thread_tagged")
	creds := []string{"Authorization", "Bearer tok-123", "Cookie", "session=cookie-456", "X-Trace", "t1"}
	r.post("/", body, creds...)
	r.post("/", bytes.Replace(body, []byte(secret), []byte("not-the-secret"), 1), creds...) // rejected
	w.Close()

	// live: shown redacted, replayed real
	var d inspect.Detail
	out := r.get("/api/deliveries/1", 200, &d)
	if bytes.Contains(out, []byte("tok-123")) || bytes.Contains(out, []byte("cookie-456")) || d.Headers["Authorization"][0] != payload.Redacted {
		t.Errorf("the detail shows a credential: %s", d.Headers)
	}
	var rep inspect.Replay
	r.postAPI("/api/deliveries/1/replay", map[string]string{"url": app.URL}, 200, &rep)
	if g := last(); g.header.Get("Authorization") != "Bearer tok-123" || g.header.Get("Cookie") != "session=cookie-456" ||
		g.header.Get("X-Trace") != "t1" || !bytes.Equal(g.body, body) || len(rep.Notes) != 0 {
		t.Errorf("the live replay sent %v %s (notes %q)", g.header, g.body, rep.Notes)
	}

	// from the recording: the credential headers cannot come back and are
	// not sent as placeholders; the secret_key is listen's when it accepted it
	in, err := inspect.New(inspect.Config{Secrets: []string{secret}})
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	if _, err := in.Load(f, func(err error) { t.Error(err) }); err != nil {
		t.Fatal(err)
	}
	rr := &rig{t: t, in: in, ui: httptest.NewServer(in)}
	defer rr.ui.Close()
	rr.postAPI("/api/deliveries/1/replay", map[string]string{"url": app.URL}, 200, &rep)
	g := last()
	if g.header.Get("Authorization") != "" || g.header.Get("Cookie") != "" || g.header.Get("X-Trace") != "t1" || !bytes.Equal(g.body, body) {
		t.Errorf("the recorded replay sent %v %s", g.header, g.body)
	}
	if notes := strings.Join(rep.Notes, "\n"); !strings.Contains(notes, "Authorization was recorded redacted: not sent") ||
		!strings.Contains(notes, "Cookie was recorded redacted: not sent") || !strings.Contains(notes, "secret_key was recorded redacted: restored") {
		t.Errorf("notes: %q", rep.Notes)
	}
	// the rejected one: its wrong secret is not known; the placeholder goes, said
	rr.postAPI("/api/deliveries/2/replay", map[string]string{"url": app.URL}, 200, &rep)
	if g := last(); secretOf(g.body) != payload.Redacted || !strings.Contains(strings.Join(rep.Notes, "\n"), "cannot restore it") {
		t.Errorf("the rejected replay sent %s (notes %q)", g.body, rep.Notes)
	}
	// an edited body keeps the restored secret where it shows <redacted>
	rr.get("/api/deliveries/1", 200, &d)
	rr.postAPI("/api/deliveries/1/replay", map[string]any{"url": app.URL, "body": strings.Replace(d.Body.Pretty, `"hot_lead"`, `"edited"`, 1)}, 200, &rep)
	if g := last(); secretOf(g.body) != secret || !bytes.Contains(g.body, []byte("edited")) {
		t.Errorf("the edited replay sent %s", g.body)
	}
}

func secretOf(body []byte) string {
	var v struct {
		SecretKey string `json:"secret_key"`
	}
	json.Unmarshal(body, &v)
	return v.SecretKey
}

// Validation warnings are listed beside the errors, in the detail and in
// the edit check, and never make a delivery invalid.
func TestWarningsListed(t *testing.T) {
	r := newRig(t, inspect.Config{}, listen.Config{})
	typo := `{"webhook_id":"w","secret_key":"` + secret + `","action":"chat_deactivated","organization_id":"o","additional_data":{},
  "payload":{"chat_id":"PJ0MRSHTDG","thread_id":"K600PKZON8","usr_id":"jane@example.com"}}`
	r.post("/hooks", []byte(typo))
	var d inspect.Detail
	r.get("/api/deliveries/1", 200, &d)
	if d.Verdict != "valid" || len(d.ErrorList) != 0 || len(d.WarningList) != 1 {
		t.Fatalf("verdict %s, errors %+v, warnings %+v", d.Verdict, d.ErrorList, d.WarningList)
	}
	if w := d.WarningList[0]; w.Pointer != "/payload/usr_id" || !strings.Contains(w.Message, `did you mean "user_id"?`) || w.Line != 2 || w.PrettyLine == 0 {
		t.Errorf("warning %+v", w)
	}
	var v inspect.Validation
	r.postAPI("/api/validate", map[string]string{"body": typo}, 200, &v)
	if !v.Valid || len(v.Warnings) != 1 || v.Warnings[0].Pointer != "/payload/usr_id" {
		t.Errorf("validate: %+v", v)
	}
}

// TestOneVerdict: the inspector serves record's verdicts (names, labels)
// for the page's filter, takes each delivery's from listen or the
// recording (old lines without one included), and filters on every one.
func TestOneVerdict(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rec.jsonl")
	w, err := record.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, inspect.Config{}, listen.Config{Recorder: w, Path: "/hooks", MaxBody: 4096})
	var info inspect.Info
	r.get("/api/info", 200, &info)
	if !reflect.DeepEqual(info.Verdicts, record.Kinds) {
		t.Errorf("/api/info verdicts %+v, want record.Kinds", info.Verdicts)
	}

	r.post("/hooks", r.fixture("thread_tagged"))                              // 1 valid
	r.post("/hooks", []byte(invalid))                                         // 2 invalid
	r.post("/hooks", []byte(`{"action":`))                                    // 3 malformed
	r.post("/elsewhere", r.fixture("thread_tagged"))                          // 4 wrong_path
	r.post("/hooks", padded(secret, 8192))                                    // 5 too_large
	r.post("/hooks", padded("not-the-secret", 10))                            // 6 rejected
	conn, err := net.Dial("tcp", strings.TrimPrefix(r.listen.URL, "http://")) // 7 unread: the sender hangs up
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(conn, "POST /hooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"action\":")
	conn.(*net.TCPConn).CloseWrite()
	select {
	case <-r.added:
	case <-time.After(10 * time.Second):
		t.Fatal("the cut-short delivery never reached the inspector")
	}
	conn.Close()
	w.Close()

	want := []record.Kind{record.Valid, record.Invalid, record.Malformed, record.WrongPath, record.TooLarge, record.Rejected, record.Unread}
	check := func(rr *rig, what string) {
		t.Helper()
		var p inspect.Page
		rr.get("/api/deliveries", 200, &p)
		for i, s := range p.Items {
			if s.Verdict != want[len(want)-1-i] {
				t.Errorf("%s: delivery %d is %s, want %s", what, s.ID, s.Verdict, want[len(want)-1-i])
			}
		}
		for _, k := range want {
			rr.get("/api/deliveries?validity="+string(k), 200, &p)
			if len(p.Items) != 1 || p.Items[0].Verdict != k {
				t.Errorf("%s: validity=%s lists %+v", what, k, p.Items)
			}
		}
		rr.get("/api/deliveries?validity=problem", 200, &p)
		if p.Matched != len(want)-1 {
			t.Errorf("%s: validity=problem matched %d", what, p.Matched)
		}
	}
	check(r, "live")

	// the recording says the same, with the verdict in each line
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range want {
		if !bytes.Contains(bytes.Split(data, []byte("\n"))[i], []byte(`"verdict":{"kind":"`+string(k)+`",`)) {
			t.Errorf("recording line %d lacks verdict %s", i+1, k)
		}
	}
	load := func(data []byte) *rig {
		in, err := inspect.New(inspect.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := in.Load(bytes.NewReader(data), func(err error) { t.Error(err) }); err != nil {
			t.Fatal(err)
		}
		rr := &rig{t: t, in: in, ui: httptest.NewServer(in)}
		t.Cleanup(rr.ui.Close)
		return rr
	}
	check(load(data), "recorded")
	// lines written before the verdict was recorded: worked out the same
	old := regexp.MustCompile(`"kind":"[a-z_]+",`).ReplaceAll(data, nil)
	if bytes.Contains(old, []byte(`"kind"`)) {
		t.Fatal("the kinds are still there")
	}
	check(load(old), "recorded without verdicts")
}

// TestListSaysWhatHappened: the list says what each delivery tells in the
// words listen's one-line view uses (render.Namer): who wrote what, which
// chat moved where, with names once a webhook introduced them.
func TestListSaysWhatHappened(t *testing.T) {
	r := newRig(t, inspect.Config{}, listen.Config{})
	names := &render.Namer{} // as listen's terminal view, fed the same deliveries
	var want []string
	for _, action := range []string{"incoming_event", "incoming_chat", "incoming_event", "chat_transferred", "user_added_to_chat", "thread_tagged"} {
		body := r.fixture(action)
		r.post("/", body)
		doc, err := payload.Decode(body)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, names.What(doc))
	}
	var p inspect.Page
	r.get("/api/deliveries", 200, &p)
	for i, s := range p.Items {
		if w := want[len(want)-1-i]; s.Line != w {
			t.Errorf("delivery %d (%s) reads %q, want %q", s.ID, s.Action, s.Line, w)
		}
	}
	// the customer is a name once the chat introduced her
	if first, again := p.Items[5].Line, p.Items[3].Line; !strings.Contains(first, "customer 3f9c2a4e-") || !strings.HasPrefix(again, "customer Jane Cooper wrote ") {
		t.Errorf("before the chat: %q; after: %q", first, again)
	}
	if moved := p.Items[2].Line; !strings.Contains(moved, "transferred chat PJ0MRSHTDG to ") {
		t.Errorf("the transfer reads %q", moved)
	}
}
