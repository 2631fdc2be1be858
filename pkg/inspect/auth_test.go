package inspect_test

import (
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"strconv"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/pkg/inspect"
	"github.com/lcwh/lcwh/pkg/listen"
)

// TestTokenGuardsEverything: the page, its assets and every API call need
// the token (cookie or bearer); without it, 403.
func TestTokenGuardsEverything(t *testing.T) {
	r := newRig(t, inspect.Config{}, listen.Config{})
	r.post("/", r.fixture("thread_tagged"))
	tok := r.in.Token()
	if len(tok) < inspect.MinTokenLen {
		t.Fatalf("token %q is short", tok)
	}
	other, err := inspect.New(inspect.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if other.Token() == tok {
		t.Fatal("two inspectors got the same token")
	}
	port := r.ui.Listener.Addr().(*net.TCPAddr).Port
	cookie := "lcwh_inspector_" + itoa(port)
	send := func(method, path, body string, header ...string) *http.Response {
		req, _ := http.NewRequest(method, r.ui.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(path, "/api/events") { // a stream does not end
			io.Copy(io.Discard, resp.Body)
		}
		resp.Body.Close()
		return resp
	}
	requests := []struct{ method, path, body string }{
		{"GET", "/", ""}, {"GET", "/app.js", ""}, {"GET", "/api/info", ""}, {"GET", "/api/deliveries", ""},
		{"GET", "/api/deliveries/1", ""}, {"GET", "/api/events", ""}, {"GET", "/api/deliveries/1/export?as=curl", ""},
		{"POST", "/api/validate", `{"body":"{}"}`}, {"POST", "/api/deliveries/1/replay", `{"url":"http://127.0.0.1:9/"}`},
	}
	for _, q := range requests {
		for name, header := range map[string][]string{
			"no token":          nil,
			"wrong bearer":      {"Authorization", "Bearer " + strings.ToLower(tok)},
			"token, no scheme":  {"Authorization", tok},
			"wrong cookie":      {"Cookie", cookie + "=nope"},
			"another port's":    {"Cookie", "lcwh_inspector_1=" + tok},
			"token in a header": {"X-Token", tok},
		} {
			if resp := send(q.method, q.path, q.body, header...); resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s with %s: %d, want 403", q.method, q.path, name, resp.StatusCode)
			}
		}
	}
	// the right token as bearer or cookie (the replay fails to connect: still a 200 answer)
	for _, q := range requests[:len(requests)-1] {
		if resp := send(q.method, q.path, q.body, "Authorization", "bearer "+tok); resp.StatusCode != http.StatusOK {
			t.Errorf("%s %s with the bearer token: %d", q.method, q.path, resp.StatusCode)
		}
		if q.path == "/api/events" {
			continue
		}
		if resp := send(q.method, q.path, q.body, "Cookie", cookie+"="+tok, "Origin", r.ui.URL); resp.StatusCode != http.StatusOK {
			t.Errorf("%s %s with the cookie: %d", q.method, q.path, resp.StatusCode)
		}
	}

	// opening the URL with the token: an HttpOnly, SameSite=Strict cookie,
	// then the same URL without the token
	if resp := send("GET", "/?token=wrong-token-0123456789", ""); resp.StatusCode != 403 || len(resp.Cookies()) != 0 {
		t.Errorf("wrong ?token=: %d, cookies %v", resp.StatusCode, resp.Cookies())
	}
	resp := send("GET", "/api/deliveries?limit=1&token="+tok, "")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/api/deliveries?limit=1" {
		t.Errorf("?token=: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	cs := resp.Cookies()
	if len(cs) != 1 || cs[0].Name != cookie || cs[0].Value != tok || !cs[0].HttpOnly || cs[0].SameSite != http.SameSiteStrictMode || cs[0].Path != "/" {
		t.Errorf("cookie set: %+v", cs)
	}
	if resp := send("GET", "//evil.example/?token="+tok, ""); !strings.HasPrefix(resp.Header.Get("Location"), "/") || strings.HasPrefix(resp.Header.Get("Location"), "//") {
		t.Errorf("redirected off the inspector: %q", resp.Header.Get("Location"))
	}

	// a browser: open the URL lcwh listen prints, then use the page
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	page, err := browser.Get(r.in.URL(r.ui.URL))
	if err != nil {
		t.Fatal(err)
	}
	page.Body.Close()
	if page.StatusCode != 200 || page.Request.URL.RawQuery != "" || page.Request.URL.Path != "/" {
		t.Errorf("the login URL ended at %d %s", page.StatusCode, page.Request.URL)
	}
	api, err := browser.Get(r.ui.URL + "/api/deliveries")
	if err != nil {
		t.Fatal(err)
	}
	api.Body.Close()
	if api.StatusCode != 200 {
		t.Errorf("the API after login: %d", api.StatusCode)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestFixedToken(t *testing.T) {
	for _, bad := range []string{"short", "has space in the token 123", "quote\"0123456789abcdef", "semi;colon0123456789"} {
		if _, err := inspect.New(inspect.Config{Token: bad}); err == nil {
			t.Errorf("token %q accepted", bad)
		}
	}
	in, err := inspect.New(inspect.Config{Token: "a-fixed_token.of~26chars00"})
	if err != nil || in.Token() != "a-fixed_token.of~26chars00" {
		t.Fatalf("fixed token: %v %q", err, in.Token())
	}
	if u := in.URL("http://127.0.0.1:8788"); u != "http://127.0.0.1:8788/?token=a-fixed_token.of~26chars00" {
		t.Errorf("URL %q", u)
	}
}

// TestReplayRefusesTheInspector: a replay into the inspector's own address,
// however it is spelled, is refused before anything is sent; into the
// listener (a fair target: it never replays) it goes through.
func TestReplayRefusesTheInspector(t *testing.T) {
	r := newRig(t, inspect.Config{}, listen.Config{})
	r.post("/", r.fixture("thread_tagged"))
	_, port, _ := net.SplitHostPort(r.ui.Listener.Addr().String())
	targets := []string{
		"http://127.0.0.1:" + port + "/api/deliveries/1/replay",
		"http://localhost:" + port + "/",
		"http://127.0.0.2:" + port + "/",
		"http://0.0.0.0:" + port + "/",
		"http://[::]:" + port + "/",
		"http://[::ffff:127.0.0.1]:" + port + "/",
	}
	if ln, err := net.Listen("tcp", "[::1]:0"); err == nil { // IPv6 loopback available
		ln.Close()
		targets = append(targets, "http://[::1]:"+port+"/")
	}
	for _, target := range targets {
		out := r.postAPI("/api/deliveries/1/replay", map[string]string{"url": target}, http.StatusBadRequest, nil)
		if !strings.Contains(string(out), "may not target the web inspector itself") {
			t.Errorf("%s: %s", target, out)
		}
	}
	var d inspect.Detail
	r.get("/api/deliveries/1", 200, &d)
	if len(d.ReplayList) != 0 {
		t.Errorf("refused replays were kept: %+v", d.ReplayList)
	}

	// into listen itself: the delivery arrives again
	var rep inspect.Replay
	r.postAPI("/api/deliveries/1/replay", map[string]string{"url": r.listen.URL + "/"}, 200, &rep)
	if rep.Status != 200 || !rep.OK {
		t.Fatalf("replay into listen: %+v", rep)
	}
	select {
	case seq := <-r.added:
		if seq != 2 {
			t.Errorf("listen received delivery %d", seq)
		}
	default:
		t.Error("the replay into listen did not arrive")
	}
}
