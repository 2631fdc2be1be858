package inspect

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lcwh/lcwh/pkg/deliver"
	"github.com/lcwh/lcwh/pkg/edit"
	"github.com/lcwh/lcwh/pkg/listen"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
	"github.com/lcwh/lcwh/pkg/render"
)

//go:embed ui
var uiFS embed.FS

// maxRequestBody bounds what the page may post (an edited body and a URL).
const maxRequestBody = 4 << 20

// ServeHTTP serves the UI and the API. Every request must name a local
// host (DNS-rebinding guard) and carry the token (auth.go); state-changing
// requests must come from the page itself (CSRF guard).
func (in *Inspector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !in.hostAllowed(r.Host) {
		http.Error(w, "lcwh inspector: host "+strconv.Quote(r.Host)+" not allowed (open it by its IP address or localhost)", http.StatusForbidden)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	if in.login(w, r) {
		return
	}
	if !in.authorized(r) {
		http.Error(w, denied, http.StatusForbidden)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if msg, code := sameOrigin(r); code != 0 {
			http.Error(w, msg, code)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
	}
	in.handler.ServeHTTP(w, r)
}

func (in *Inspector) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(uiFS, "ui")
	files := http.FileServerFS(static)
	mux.Handle("GET /", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	}))
	mux.HandleFunc("GET /api/info", in.serveInfo)
	mux.HandleFunc("GET /api/deliveries", in.serveList)
	mux.HandleFunc("GET /api/deliveries/{id}", in.serveDetail)
	mux.HandleFunc("GET /api/deliveries/{id}/export", in.serveExport)
	mux.HandleFunc("POST /api/deliveries/{id}/replay", in.serveReplay)
	mux.HandleFunc("POST /api/validate", in.serveValidate)
	mux.HandleFunc("GET /api/events", in.serveEvents)
	return mux
}

// hostAllowed accepts IP literals, localhost and *.localhost (which no
// DNS answer can rebind) and the configured names.
func (in *Inspector) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if net.ParseIP(host) != nil || host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	for _, h := range in.cfg.Hosts {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	return false
}

// sameOrigin refuses requests another site's page could make: browsers
// send Origin (and Sec-Fetch-Site) with every POST; a JSON content type
// cannot be sent cross-origin without a preflight that is never granted.
func sameOrigin(r *http.Request) (string, int) {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || !strings.EqualFold(u.Host, r.Host) || (u.Scheme != "http" && u.Scheme != "https") {
			return "cross-origin request refused", http.StatusForbidden
		}
	}
	if s := r.Header.Get("Sec-Fetch-Site"); s != "" && s != "same-origin" && s != "none" {
		return "cross-site request refused", http.StatusForbidden
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		return "send application/json", http.StatusUnsupportedMediaType
	}
	return "", 0
}

// Info is what the page needs to know about this run.
type Info struct {
	History      int               `json:"history"`       // deliveries kept at most
	HistoryBytes int64             `json:"history_bytes"` // bytes they may hold
	Kept         int               `json:"kept"`
	KeptBytes    int64             `json:"kept_bytes"`
	ShowSecrets  bool              `json:"show_secrets"`
	ForwardTo    string            `json:"forward_to,omitempty"`
	ListenURL    string            `json:"listen_url,omitempty"`
	APIVersion   string            `json:"api_version"`
	Actions      []string          `json:"actions"`
	Verdicts     []record.KindInfo `json:"verdicts"` // what the validity filter takes
}

func (in *Inspector) serveInfo(w http.ResponseWriter, r *http.Request) {
	cat := in.cfg.Validator.Catalog()
	actions := append([]string{}, cat.Names()...)
	sort.Strings(actions)
	kept, keptBytes := in.Kept()
	writeJSON(w, http.StatusOK, Info{
		History: in.cfg.History, HistoryBytes: in.cfg.HistoryBytes, Kept: kept, KeptBytes: keptBytes, ShowSecrets: in.cfg.ShowSecrets,
		ForwardTo: in.cfg.ForwardTo, ListenURL: in.cfg.ListenURL, APIVersion: cat.Version,
		Actions:  actions,
		Verdicts: record.Kinds,
	})
}

// Summary is a delivery as the list shows it.
type Summary struct {
	ID         uint64       `json:"id"`
	Source     string       `json:"source"` // "live" or "recording"
	Time       time.Time    `json:"time"`
	Method     string       `json:"method"`
	Path       string       `json:"path"`
	Action     string       `json:"action"`
	Line       string       `json:"summary"`
	Verdict    record.Kind  `json:"verdict"`
	Errors     int          `json:"errors"`
	Secret     string       `json:"secret"`
	Status     int          `json:"status"`
	DurationMS float64      `json:"duration_ms"`
	Forward    *ForwardView `json:"forward,omitempty"`
	Replays    int          `json:"replays"`
}

// ForwardView is what the forward target answered.
type ForwardView struct {
	URL        string  `json:"url"`
	Status     int     `json:"status,omitempty"`
	Body       string  `json:"body,omitempty"`
	DurationMS float64 `json:"duration_ms"`
	Error      string  `json:"error,omitempty"`
	TimedOut   bool    `json:"timed_out,omitempty"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// summary is the list view of it. Callers hold mu (replays).
func (it *item) summaryView() Summary {
	s := Summary{
		ID: it.id, Source: it.source, Time: it.time, Method: it.method, Path: it.path,
		Action: it.summary.Action, Line: it.line, Verdict: it.verdict, Errors: len(it.errors) + len(it.recErrs),
		Secret: it.secret, Status: it.status, DurationMS: ms(it.dur), Replays: len(it.replays),
	}
	if it.syntax != nil {
		s.Errors = 1
	}
	if f := it.forward; f != nil {
		s.Forward = &ForwardView{URL: f.URL, Status: f.Status, DurationMS: ms(f.Duration), TimedOut: f.TimedOut}
		if f.Err != nil {
			s.Forward.Error = f.Err.Error()
		}
	}
	return s
}

// Filter selects deliveries: by action, verdict and free text (in the
// action, the summary, the path and the body as shown, case-insensitive).
type Filter struct {
	Action string
	// Validity is "" (all), "problem" (any verdict but valid) or a
	// verdict (record.Kinds).
	Validity string
	Text     string

	text *textMatcher // Text, compiled
}

// Problem is the validity filter of every delivery not valid.
const Problem = "problem"

func filterOf(q url.Values) Filter {
	return Filter{Action: q.Get("action"), Validity: q.Get("validity"), Text: strings.TrimSpace(q.Get("q"))}.compiled()
}

// compiled returns f ready to match.
func (f Filter) compiled() Filter {
	if f.Text != "" && f.text == nil {
		f.text = newTextMatcher(f.Text)
	}
	return f
}

// matchHook, when set (by tests), runs before each match: a search must
// never hold the lock that deliveries need.
var matchHook func(Filter)

// match runs without Inspector.mu: it reads only what does not change once
// an item is pushed. f must be compiled.
func (f Filter) match(it *item) bool {
	if matchHook != nil {
		matchHook(f)
	}
	if f.Action != "" && f.Action != it.summary.Action {
		return false
	}
	switch f.Validity {
	case "":
	case Problem:
		if it.verdict == record.Valid {
			return false
		}
	default:
		if record.Kind(f.Validity) != it.verdict {
			return false
		}
	}
	if m := f.text; m != nil {
		return m.inString(it.line) || m.inString(it.summary.Action) || m.inString(it.path) || m.in(it.shown)
	}
	return true
}

// Page is one page of the list, newest first.
type Page struct {
	Items   []Summary `json:"items"`
	Matched int       `json:"matched"` // deliveries matching the filter
	Kept    int       `json:"kept"`    // deliveries kept in memory
	Newest  uint64    `json:"newest"`  // the newest id kept (0 = none): open the stream after it
	// Before is the cursor of the next (older) page; 0 = no more.
	Before uint64 `json:"before,omitempty"`
}

// DefaultPageSize and MaxPageSize bound a page of the list.
const (
	DefaultPageSize = 200
	MaxPageSize     = 1000
)

// List returns deliveries matching f older than before (0 = from the
// newest), at most limit. It searches a snapshot of the history, without
// the lock: deliveries keep arriving meanwhile. Its work is bounded by the
// history's bounds (History, HistoryBytes): the search is linear.
func (in *Inspector) List(f Filter, before uint64, limit int) Page {
	if limit <= 0 {
		limit = DefaultPageSize
	}
	limit = min(limit, MaxPageSize)
	f = f.compiled()
	items := in.snapshot(0)
	p := Page{Items: []Summary{}, Kept: len(items)}
	if len(items) > 0 {
		p.Newest = items[len(items)-1].id
	}
	var page []*item
	for i := len(items) - 1; i >= 0; i-- {
		it := items[i]
		if !f.match(it) {
			continue
		}
		p.Matched++ // the whole filter, not just the part older than before
		if before != 0 && it.id >= before {
			continue
		}
		if len(page) < limit {
			page = append(page, it)
		} else if p.Before == 0 {
			p.Before = page[len(page)-1].id
		}
	}
	in.mu.Lock() // for the replay counts
	for _, it := range page {
		p.Items = append(p.Items, it.summaryView())
	}
	in.mu.Unlock()
	return p
}

func (in *Inspector) serveList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	before, _ := strconv.ParseUint(q.Get("before"), 10, 64)
	limit, _ := strconv.Atoi(q.Get("limit"))
	writeJSON(w, http.StatusOK, in.List(filterOf(q), before, limit))
}

// Detail is everything about one delivery.
type Detail struct {
	Summary
	RemoteAddr string              `json:"remote_addr"`
	Headers    map[string][]string `json:"headers"`
	Body       BodyView            `json:"body"`
	ErrorList  []ErrorView         `json:"error_list"` // the first MaxErrorsListed
	// WarningList is what validation found suspicious (the first MaxErrorsListed).
	WarningList []ErrorView `json:"warning_list"`
	// ErrorsNotListed is how many errors ErrorList leaves out.
	ErrorsNotListed int             `json:"errors_not_listed,omitempty"`
	SyntaxError     *ErrorView      `json:"syntax_error,omitempty"`
	Response        ResponseView    `json:"response"`
	ForwardFull     *ForwardView    `json:"forward_detail,omitempty"`
	Transcript      []string        `json:"transcript"`
	IDs             payload.Summary `json:"ids"`
	RecordError     string          `json:"record_error,omitempty"`
	ReplayList      []Replay        `json:"replay_list"`
	Redacted        bool            `json:"secret_redacted"`
}

// BodyView is the body as text: raw is as received (secret redacted),
// pretty is indented when it parsed. Lines and columns of the errors are
// given for both. Both are bounded by render.DefaultLimits whatever the
// body holds (a 50 KB body of nested arrays indents to hundreds of MB):
// RawCut and PrettyCut say what each left out ("" = nothing); the fixture
// export has the whole body.
type BodyView struct {
	Raw       string `json:"raw"`
	Pretty    string `json:"pretty,omitempty"`
	JSON      bool   `json:"json"`
	Bytes     int    `json:"bytes"`
	RawCut    string `json:"raw_cut,omitempty"`
	PrettyCut string `json:"pretty_cut,omitempty"`
}

// MaxErrorsListed bounds the errors a detail lists: a hostile body can
// break its schema tens of thousands of times.
const MaxErrorsListed = 500

// ErrorView is a validation or syntax error with its place in both texts.
type ErrorView struct {
	Pointer      string `json:"pointer"`
	Keyword      string `json:"keyword,omitempty"`
	Message      string `json:"message"`
	Line         int    `json:"line"`
	Column       int    `json:"column"`
	PrettyLine   int    `json:"pretty_line,omitempty"`
	PrettyColumn int    `json:"pretty_column,omitempty"`
}

// ResponseView is what lcwh answered.
type ResponseView struct {
	Status     int     `json:"status"`
	Body       string  `json:"body"`
	DurationMS float64 `json:"duration_ms"`
}

func (in *Inspector) detail(it *item) Detail {
	in.mu.Lock()
	d := Detail{Summary: it.summaryView(), ReplayList: append([]Replay{}, it.replays...)}
	in.mu.Unlock()
	d.RemoteAddr = it.remote
	d.Headers = it.shownH
	raw, cut := boundBytes(it.shown, render.DefaultLimits.Bytes)
	d.Body = BodyView{Raw: string(raw), RawCut: cut.String(), JSON: it.parsed, Bytes: len(it.raw)}
	var pretty []byte
	if it.parsed {
		pretty, cut = render.AppendPretty(nil, it.shown, false, render.DefaultLimits)
		d.Body.Pretty, d.Body.PrettyCut = string(pretty), cut.String()
	}
	errs := it.errors
	if len(errs) > MaxErrorsListed {
		errs, d.ErrorsNotListed = errs[:MaxErrorsListed], len(errs)-MaxErrorsListed
	}
	d.ErrorList = locateErrors(errs, pretty)
	d.WarningList = locateErrors(it.warns[:min(len(it.warns), MaxErrorsListed)], pretty)
	for _, e := range it.recErrs {
		d.ErrorList = append(d.ErrorList, ErrorView{Message: e, Keyword: "recorded"})
	}
	if se := it.syntax; se != nil {
		d.SyntaxError = &ErrorView{Keyword: "syntax", Message: se.Msg, Line: se.Line, Column: se.Column}
	}
	d.Response = ResponseView{Status: it.status, Body: string(it.resp), DurationMS: ms(it.dur)}
	if f := it.forward; f != nil {
		d.ForwardFull = &ForwardView{URL: f.URL, Status: f.Status, Body: string(f.Body), DurationMS: ms(f.Duration), TimedOut: f.TimedOut}
		if f.Err != nil {
			d.ForwardFull.Error = f.Err.Error()
		}
	}
	d.Transcript = append([]string{}, it.gist...)
	d.IDs = it.summary
	d.RecordError = it.recErr
	d.Redacted = !in.cfg.ShowSecrets && !bytes.Equal(it.shown, it.raw)
	return d
}

// boundBytes cuts b to at most max bytes, at a character boundary.
func boundBytes(b []byte, max int) ([]byte, render.Cut) {
	if len(b) <= max {
		return b, render.Cut{}
	}
	n := max
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return b[:n], render.Cut{Bytes: len(b) - n}
}

// locateErrors adds to each error its place in the pretty-printed body (a
// value cut from it is placed where it was cut), in one pass over it.
func locateErrors(errs []payload.Error, pretty []byte) []ErrorView {
	out := make([]ErrorView, len(errs))
	ptrs := make([]string, len(errs))
	for i, e := range errs {
		out[i] = ErrorView{Pointer: e.Pointer, Keyword: e.Keyword, Message: e.Message, Line: e.Line, Column: e.Column}
		ptrs[i] = e.Pointer
	}
	if pretty == nil || len(errs) == 0 {
		return out
	}
	at := payload.LocateAll(pretty, ptrs)
	offsets := make([]int, len(ptrs))
	for i, p := range ptrs {
		offsets[i] = at[p]
	}
	lines, cols := payload.Positions(pretty, offsets)
	for i := range out {
		out[i].PrettyLine, out[i].PrettyColumn = lines[i], cols[i]
	}
	return out
}

func (in *Inspector) lookup(w http.ResponseWriter, r *http.Request) *item {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad delivery id")
		return nil
	}
	it := in.get(id)
	if it == nil {
		writeError(w, http.StatusNotFound, "delivery "+strconv.FormatUint(id, 10)+" is not (or no longer) in the history")
	}
	return it
}

func (in *Inspector) serveDetail(w http.ResponseWriter, r *http.Request) {
	if it := in.lookup(w, r); it != nil {
		writeJSON(w, http.StatusOK, in.detail(it))
	}
}

// ReplayRequest asks to send a delivery (or an edited body) somewhere.
type ReplayRequest struct {
	// URL is where to send it; "" = the forward target.
	URL string `json:"url"`
	// Body, when set, is sent instead of the delivery's body. A secret_key
	// of "<redacted>" in it is replaced by the delivery's real secret.
	Body *string `json:"body,omitempty"`
}

// Replay is the outcome of one replay.
type Replay struct {
	Time       time.Time   `json:"time"`
	URL        string      `json:"url"`
	Edited     bool        `json:"edited"`
	Status     int         `json:"status,omitempty"`
	StatusText string      `json:"status_text,omitempty"`
	Body       string      `json:"body,omitempty"`
	DurationMS float64     `json:"duration_ms"`
	Error      string      `json:"error,omitempty"`
	OK         bool        `json:"ok"`
	Errors     []ErrorView `json:"errors,omitempty"` // the edited body's validation errors
	// Notes say what the replay could not send as received: a secret_key
	// or a credential header the recording holds redacted.
	Notes []string `json:"notes,omitempty"`
}

// bytes is what a kept replay holds, roughly.
func (r Replay) bytes() int64 {
	n := 256 + len(r.URL) + len(r.StatusText) + len(r.Body) + len(r.Error)
	for _, s := range r.Notes {
		n += len(s)
	}
	for _, e := range r.Errors {
		n += 64 + len(e.Pointer) + len(e.Keyword) + len(e.Message)
	}
	return int64(n)
}

func (in *Inspector) serveReplay(w http.ResponseWriter, r *http.Request) {
	it := in.lookup(w, r)
	if it == nil {
		return
	}
	var req ReplayRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "bad request: "+err.Error())
		return
	}
	target := strings.TrimSpace(req.URL)
	if target == "" {
		target = in.cfg.ForwardTo
	}
	if target == "" {
		writeError(w, http.StatusBadRequest, "no URL given and no --forward-to target to replay to")
		return
	}
	if err := checkTarget(target); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	body := it.raw
	var rep Replay
	if req.Body != nil {
		rep.Edited = true
		body = []byte(*req.Body)
		v := in.check(body)
		rep.Errors = v.Errors
		if v.SyntaxError != nil {
			rep.Errors = append(rep.Errors, *v.SyntaxError)
		}
	}
	body, rep.Notes = restoreSecret(it, body)
	header, notes := replayHeaders(it.headers)
	rep.Notes = append(rep.Notes, notes...)
	rep.Time = in.cfg.Now()
	rep.URL = target
	ctx, cancel := context.WithTimeout(withSelf(r.Context(), r), deliver.DefaultTimeout+5*time.Second)
	defer cancel()
	res := in.client.Deliver(ctx, deliver.Request{URL: target, Body: body, Header: header})
	if errors.Is(res.Err, errSelf) {
		writeError(w, http.StatusBadRequest, res.Err.Error())
		return
	}
	rep.Status, rep.StatusText, rep.Body, rep.DurationMS, rep.OK = res.Status, res.StatusText, string(res.Body), ms(res.Duration), res.OK
	if res.Err != nil {
		rep.Error = res.Err.Error()
	}
	in.mu.Lock()
	it.replays = append(it.replays, rep)
	grown := rep.bytes()
	if len(it.replays) > MaxReplays {
		grown -= it.replays[0].bytes()
		it.replays = it.replays[1:]
	}
	it.size += grown
	if in.getLocked(it.id) == it { // still in the history
		in.kept += grown
	}
	in.mu.Unlock()
	writeJSON(w, http.StatusOK, rep)
}

// checkTarget allows only absolute http(s) URLs.
func checkTarget(target string) error {
	if !deliver.IsHTTPURL(target) {
		return errors.New("replays go only to http:// or https:// URLs, not " + strconv.Quote(target))
	}
	return nil
}

// replayHeaders are the original request headers a replay repeats: all
// but hop-by-hop, length, encoding and the ones the sender sets itself.
// A credential a recording holds redacted is not sent as the placeholder:
// it is left out, and a note says so.
func replayHeaders(h http.Header) (http.Header, []string) {
	out := h.Clone()
	for _, k := range slices.Concat(listen.HopHeaders, []string{"Content-Length", "Content-Type", "User-Agent", "Accept-Encoding", "Host"}) {
		out.Del(k)
	}
	var notes []string
	for k, vs := range out {
		if slices.Contains(vs, payload.Redacted) && slices.ContainsFunc(payload.SecretHeaders, func(s string) bool { return strings.EqualFold(s, k) }) {
			delete(out, k)
			notes = append(notes, k+" was recorded redacted: not sent")
		}
	}
	slices.Sort(notes)
	return out, notes
}

// restoreSecret puts the real secret_key into a body (the delivery's, or
// the page's edited one) where it holds "<redacted>": the page never sees
// the real one, and a recording keeps it redacted. When the real one is
// not known, the placeholder goes, and a note says so.
func restoreSecret(it *item, body []byte) ([]byte, []string) {
	redacted := false
	for _, sp := range payload.SecretSpans(body) {
		redacted = redacted || string(body[sp[0]:sp[1]]) == `"`+payload.Redacted+`"`
	}
	switch {
	case !redacted:
		return body, nil
	case it.realKey == "" || it.realKey == payload.Redacted:
		return body, []string{"secret_key was recorded redacted and listen cannot restore it (it has no --secret, or rejected this one): sent as " + payload.Redacted}
	}
	restored, err := edit.SetSecret(body, it.realKey)
	if err != nil {
		return body, []string{"secret_key could not be restored (" + err.Error() + "): sent as " + payload.Redacted}
	}
	if it.source == "recording" {
		return restored, []string{"secret_key was recorded redacted: restored to listen's --secret"}
	}
	return restored, nil
}

// Validation is the verdict on a body the page holds (an edited one).
type Validation struct {
	Valid       bool        `json:"valid"`
	Action      string      `json:"action,omitempty"`
	Errors      []ErrorView `json:"errors"`
	Warnings    []ErrorView `json:"warnings"`
	SyntaxError *ErrorView  `json:"syntax_error,omitempty"`
}

func (in *Inspector) check(body []byte) Validation {
	v := Validation{Errors: []ErrorView{}, Warnings: []ErrorView{}}
	doc, err := payload.Decode(body)
	if err != nil {
		var se *payload.SyntaxError
		if errors.As(err, &se) {
			v.SyntaxError = &ErrorView{Keyword: "syntax", Message: se.Msg, Line: se.Line, Column: se.Column}
		} else {
			v.SyntaxError = &ErrorView{Keyword: "syntax", Message: err.Error()}
		}
		return v
	}
	v.Action = doc.Envelope.Action
	rep, err := in.cfg.Validator.Check(doc, payload.Options{})
	if err != nil {
		v.Errors = append(v.Errors, ErrorView{Message: err.Error()})
		return v
	}
	view := func(e payload.Error) ErrorView {
		return ErrorView{Pointer: e.Pointer, Keyword: e.Keyword, Message: e.Message, Line: e.Line, Column: e.Column, PrettyLine: e.Line, PrettyColumn: e.Column}
	}
	for _, e := range rep.Errors {
		v.Errors = append(v.Errors, view(e))
	}
	for _, e := range rep.Warnings {
		v.Warnings = append(v.Warnings, view(e))
	}
	v.Valid = len(v.Errors) == 0
	return v
}

func (in *Inspector) serveValidate(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Body string `json:"body"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "bad request: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, in.check([]byte(req.Body)))
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}
