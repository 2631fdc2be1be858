package codegen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"text/template"

	"github.com/lcwh/lcwh/fixtures"
	"github.com/lcwh/lcwh/pkg/payload"
)

// TestGoParsesEveryFixture writes the generated Go of every version into a
// module of its own (standard library only, no network), with a test that
// parses every fixture of the version into its action's type, encodes it
// back to the same JSON, and drives Handler over real HTTP; then runs go
// vet and go test there.
func TestGoParsesEveryFixture(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a module of generated code")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module lcwh.test/generated\n\ngo 1.24\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, v := range payload.Versions() {
		pkg := "v" + strings.ReplaceAll(v, ".", "_")
		pdir := filepath.Join(dir, pkg)
		if err := os.MkdirAll(filepath.Join(pdir, "testdata"), 0o755); err != nil {
			t.Fatal(err)
		}
		sch := loadVersion(t, v)
		src, err := Go(sch, pkg)
		if err != nil {
			t.Fatal(err)
		}
		types, err := actionTypes(sch)
		if err != nil {
			t.Fatal(err)
		}
		var test strings.Builder
		if err := goTestTemplate.Execute(&test, map[string]any{"Package": pkg, "Types": types, "First": types[sch.Actions[0].Name], "FirstAction": sch.Actions[0].Name}); err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{"webhooks.go": src, "webhooks_test.go": []byte(test.String())}
		validator, err := payload.NewValidator(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range sch.Actions {
			raw, err := fixtures.Get(v, a.Name)
			if err != nil {
				t.Fatal(err)
			}
			files[filepath.Join("testdata", a.Name+".json")] = raw
			// the fields no schema declares, which the structs drop
			doc, err := payload.Decode(raw)
			if err != nil {
				t.Fatal(err)
			}
			r, err := validator.Check(doc, payload.Options{Strict: true})
			if err != nil {
				t.Fatal(err)
			}
			var unknown []string
			for _, e := range r.Errors {
				if e.Keyword == "unevaluatedProperties" {
					unknown = append(unknown, e.Pointer+"\n")
				}
			}
			files[filepath.Join("testdata", a.Name+".unknown")] = []byte(strings.Join(unknown, ""))
		}
		for name, b := range files {
			if err := os.WriteFile(filepath.Join(pdir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// offline, with the local toolchain, whatever the caller's settings
	env := []string{"GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local", "GOWORK=off", "GO111MODULE=on", "CGO_ENABLED=0"}
	if out, ok := run(t, dir, env, goBin, "vet", "./..."); !ok {
		t.Fatalf("go vet on the generated code:\n%s", out)
	}
	out, ok := run(t, dir, env, goBin, "test", "-count=1", "./...")
	if !ok {
		t.Fatalf("go test on the generated code:\n%s", out)
	}
	t.Logf("generated code:\n%s", out)
}

var goTestTemplate = template.Must(template.New("test").Parse(`package {{.Package}}

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

var types = map[string]string{
{{- range $action, $type := .Types}}
	"{{$action}}": "{{$type}}",
{{- end}}
}

func TestParseEveryFixture(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json")
	if len(files) != len(types) {
		t.Fatalf("%d fixtures for %d actions", len(files), len(types))
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		action := strings.TrimSuffix(filepath.Base(f), ".json")
		w, err := Parse(raw)
		if err != nil {
			t.Errorf("%s: %v", action, err)
			continue
		}
		if got := reflect.TypeOf(w).Elem().Name(); got != types[action] || w.WebhookAction() != action {
			t.Errorf("%s: parsed as %s (%s)", action, got, w.WebhookAction())
		}
		out, err := json.Marshal(w)
		if err != nil {
			t.Fatalf("%s: %v", action, err)
		}
		unknown, err := os.ReadFile(strings.TrimSuffix(f, ".json") + ".unknown")
		if err != nil {
			t.Fatal(err)
		}
		dropped := map[string]bool{}
		for _, p := range strings.Fields(string(unknown)) {
			dropped[p] = true
		}
		if diff := sameJSON(decode(t, raw), decode(t, out), "", dropped); diff != "" {
			t.Errorf("%s: encoded back differently: %s", action, diff)
		}
	}
}

func decode(t *testing.T, b []byte) any {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// sameJSON compares two documents: the same fields (but the dropped ones,
// which no schema declares), the same values (numbers by value, date-times
// as instants).
func sameJSON(want, got any, at string, dropped map[string]bool) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return at + ": not an object"
		}
		for k, v := range w {
			gv, ok := g[k]
			switch {
			case !ok && dropped[at+"/"+k]:
				continue
			case !ok:
				return at + "/" + k + ": lost"
			}
			if d := sameJSON(v, gv, at+"/"+k, dropped); d != "" {
				return d
			}
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				return at + "/" + k + ": added"
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return at + ": not the same array"
		}
		for i := range w {
			if d := sameJSON(w[i], g[i], at+"/"+strconv.Itoa(i), dropped); d != "" {
				return d
			}
		}
		return ""
	case json.Number:
		g, ok := got.(json.Number)
		a, _ := new(big.Rat).SetString(string(w))
		b, okb := new(big.Rat).SetString(string(g))
		if !ok || !okb || a.Cmp(b) != 0 {
			return at + ": number changed"
		}
		return ""
	case string:
		g, ok := got.(string)
		if ok && g == w {
			return ""
		}
		wt, err1 := time.Parse(time.RFC3339Nano, w)
		gt, err2 := time.Parse(time.RFC3339Nano, g)
		if ok && err1 == nil && err2 == nil && wt.Equal(gt) {
			return ""
		}
		return at + ": " + w + " became " + g
	}
	if !reflect.DeepEqual(want, got) {
		return at + ": value changed"
	}
	return ""
}

func TestParseErrors(t *testing.T) {
	var unknown *UnknownActionError
	if _, err := Parse([]byte(` + "`" + `{"action": "no_such_action"}` + "`" + `)); !errors.As(err, &unknown) || unknown.Action != "no_such_action" {
		t.Errorf("unknown action: %v", err)
	}
	if _, err := Parse([]byte("{")); err == nil {
		t.Error("truncated JSON parsed")
	}
	if _, err := Parse([]byte(` + "`" + `{"action": "{{.FirstAction}}", "payload": 5}` + "`" + `)); err == nil {
		t.Error("a number payload parsed")
	}
}

func TestHandler(t *testing.T) {
	raw, err := os.ReadFile("testdata/{{.FirstAction}}.json")
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	json.Unmarshal(raw, &body)
	secret := body["secret_key"].(string)
	with := func(key string, value any) []byte {
		c := map[string]any{}
		for k, v := range body {
			c[k] = v
		}
		c[key] = value
		b, _ := json.Marshal(c)
		return b
	}
	var got *{{.First}}
	var unknownAction string
	fail := false
	h := &Handler{
		SecretKeys: []string{"old-secret", secret},
		{{.First}}: func(ctx context.Context, w *{{.First}}) error {
			got = w
			if fail {
				return errors.New("database down")
			}
			return nil
		},
		Unknown: func(ctx context.Context, action string, body []byte) error { unknownAction = action; return nil },
		MaxBodyBytes: 64 << 10,
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	post := func(h http.Handler, method string, b []byte) int {
		req, _ := http.NewRequest(method, srv.URL, bytes.NewReader(b))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	resp, err := http.Post(srv.URL, "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || got == nil || got.WebhookAction() != "{{.FirstAction}}" {
		t.Fatalf("a valid webhook over HTTP: status %d, callback got %v", resp.StatusCode, got)
	}
	for _, c := range []struct {
		name   string
		h      http.Handler
		method string
		body   []byte
		want   int
	}{
		{"wrong secret", h, "POST", with("secret_key", secret+"x"), 401},
		{"no secret", h, "POST", with("secret_key", nil), 401},
		{"handler without a secret", &Handler{}, "POST", raw, 401},
		{"GET", h, "GET", nil, 405},
		{"not JSON", h, "POST", []byte("hello"), 400},
		{"payload of the wrong type", h, "POST", with("payload", "x"), 400},
		{"too large", h, "POST", append(raw, bytes.Repeat([]byte(" "), 64<<10)...), 413},
		{"empty secret", &Handler{SecretKeys: []string{""}}, "POST", with("secret_key", ""), 401},
		{"no callback set", &Handler{SecretKeys: []string{secret}}, "POST", raw, 200},
	} {
		if code := post(c.h, c.method, c.body); code != c.want {
			t.Errorf("%s: status %d, want %d", c.name, code, c.want)
		}
	}
	// LiveChat adds actions: a receiver answers 200 to one it does not
	// know, whether Unknown is set or not (over real HTTP, as LiveChat sends).
	postHTTP := func(url string, b []byte) int {
		resp, err := http.Post(url, "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := postHTTP(srv.URL, with("action", "new_action")); code != 200 || unknownAction != "new_action" {
		t.Errorf("unknown action, Unknown set: status %d, Unknown got %q", code, unknownAction)
	}
	bare := httptest.NewServer(&Handler{SecretKeys: []string{secret}})
	defer bare.Close()
	if code := postHTTP(bare.URL, with("action", "new_action")); code != 200 {
		t.Errorf("unknown action, Unknown nil: status %d, want 200", code)
	}
	h.Unknown = func(ctx context.Context, action string, body []byte) error { return errors.New("queue full") }
	if code := postHTTP(srv.URL, with("action", "new_action")); code != 500 {
		t.Errorf("unknown action, Unknown fails: status %d, want 500", code)
	}
	fail = true
	if code := post(h, "POST", raw); code != 500 {
		t.Errorf("failing callback: status %d, want 500", code)
	}
}
`))
