// Package inspect is the web inspector of `lcwh listen`: an http.Handler
// serving an embedded single-page UI (no CDN, no external fonts: it works
// offline), a JSON API over the last N deliveries, a live stream of new
// ones as server-sent events, and actions on a delivery: replay it, send an
// edited body, export it as a curl or `lcwh send` command or a fixture.
//
// It is fed by listen.Server.Subscribe (Add) and, on start, by a recording
// (Load). It prints nothing; it answers only requests that carry its token
// (auth.go); secret_key values never leave it unless Config.ShowSecrets,
// and replays go only where the user points them, never into itself.
package inspect

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lcwh/lcwh/pkg/deliver"
	"github.com/lcwh/lcwh/pkg/listen"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
	"github.com/lcwh/lcwh/pkg/render"
)

// Defaults of Config.
const (
	DefaultAddr    = "127.0.0.1:8788"
	DefaultHistory = 1000
	// DefaultHistoryBytes bounds the memory the history holds (bodies as
	// received and as shown, headers, answers, errors): 1,000 deliveries of
	// 1 MiB would otherwise hold gigabytes.
	DefaultHistoryBytes = 64 << 20
	// MaxReplays is how many replay results are kept per delivery.
	MaxReplays = 10
	// streamBuffer is how many deliveries may wait for a slow event-stream
	// client; beyond that the client is told to reload.
	streamBuffer = 256
)

// Config is what an Inspector needs.
type Config struct {
	History int // deliveries kept in memory (oldest dropped first)
	// HistoryBytes bounds the bytes they hold (oldest dropped first; the
	// newest is kept whatever its size: --max-body bounds it).
	HistoryBytes int64
	ShowSecrets  bool               // show secret_key values in the UI and API
	Validator    *payload.Validator // validates recorded and edited bodies; nil = default version
	ForwardTo    string             // the default replay target ("" = none)
	ListenURL    string             // where listen receives (the default target of exported commands)
	// Secrets are listen's: a recorded secret_key (redacted) that listen
	// accepted is restored to the first of them when replayed, as send
	// and replay do.
	Secrets []string
	// Hosts are extra host names the UI may be reached by (besides IP
	// literals, localhost and *.localhost): other Host headers are refused
	// so a DNS-rebinding page cannot read the API.
	Hosts []string
	// Token is what the page and the API need (see auth.go); "" = a new
	// random one (Token reads it). A fixed one must pass CheckToken.
	Token string
	Now   func() time.Time
}

// Inspector keeps the last deliveries and serves the UI and API. Create it
// with New; it is safe for concurrent use.
type Inspector struct {
	cfg       Config
	handler   http.Handler
	tokenHash [sha256.Size]byte
	client    *deliver.Client // sends replays: one try, never to the inspector itself
	// names learns who is who from the deliveries, so the list names
	// people as listen's terminal view does
	names render.Namer

	// mu guards the history and is taken by every delivery (push): nothing
	// slow (a text search, a rendering) runs under it.
	mu      sync.Mutex
	items   []*item // oldest first; ids are consecutive
	kept    int64   // the bytes items hold (item.size)
	nextID  uint64
	streams map[*stream]struct{}
}

// New fills cfg's defaults and returns an Inspector.
func New(cfg Config) (*Inspector, error) {
	if cfg.History <= 0 {
		cfg.History = DefaultHistory
	}
	if cfg.HistoryBytes <= 0 {
		cfg.HistoryBytes = DefaultHistoryBytes
	}
	if cfg.Validator == nil {
		v, err := payload.NewValidator(payload.DefaultVersion)
		if err != nil {
			return nil, err
		}
		cfg.Validator = v
	}
	if cfg.Token == "" {
		cfg.Token = NewToken()
	} else if err := CheckToken(cfg.Token); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	in := &Inspector{
		cfg: cfg, tokenHash: sha256.Sum256([]byte(cfg.Token)), nextID: 1, streams: map[*stream]struct{}{},
		client: deliver.New(deliver.Options{Timeout: deliver.DefaultTimeout, Retries: 0, Dial: dialer.DialContext}),
	}
	in.handler = in.routes()
	return in, nil
}

// item is one delivery as the inspector keeps it.
type item struct {
	id      uint64
	source  string // "live" or "recording"
	time    time.Time
	remote  string
	method  string
	path    string
	headers http.Header       // as received or recorded (what replays send)
	shownH  http.Header       // headers with credentials redacted unless ShowSecrets
	raw     []byte            // the body as received (what replays send)
	shown   []byte            // raw with secret_key redacted unless ShowSecrets
	realKey string            // the real secret_key, when known: what a redacted one is restored to
	doc     *payload.Document // only until finish: the decoded value is not kept
	parsed  bool
	summary payload.Summary
	words   string   // what it tells, as listen's one-line view says it (render.Namer)
	gist    []string // the detail's transcript
	line    string   // the one-line summary shown in the list
	verdict record.Kind
	errors  []payload.Error
	warns   []payload.Error // validation warnings: shown, never a verdict
	recErrs []string        // recorded verdict errors that could not be located again
	syntax  *payload.SyntaxError
	secret  string
	status  int
	resp    []byte
	dur     time.Duration
	forward *listen.ForwardResult
	recErr  string
	size    int64 // bytes held, replays included (guarded by Inspector.mu once pushed)

	replays []Replay // guarded by Inspector.mu
}

// Add stores a delivery and streams it to the open pages. It is a
// listen.Server subscriber: it returns quickly and never blocks on a page.
func (in *Inspector) Add(d listen.Delivery) {
	if d.Filtered {
		return
	}
	it := &item{
		source: "live", time: d.Time, remote: d.RemoteAddr, method: d.Method, path: d.Path,
		headers: d.Headers, raw: fit(d.Body), doc: d.Doc, errors: d.Errors, warns: d.Warnings(), syntax: d.SyntaxError,
		secret: d.Secret, status: d.Status, resp: d.Response, dur: d.Duration, forward: d.Forward,
		verdict: d.Kind(),
	}
	if d.RecordError != nil {
		it.recErr = d.RecordError.Error()
	}
	if d.Doc != nil {
		it.realKey = d.Doc.Envelope.SecretKey
	}
	in.finish(it)
	in.push(it)
}

// Load adds the deliveries of a recording (oldest first), keeping the last
// History of them within HistoryBytes; it reads in bounded memory. Bad
// and skipped lines (a *record.LineError each) go to skip, and Load goes on.
func (in *Inspector) Load(r io.Reader, skip func(error)) (loaded int, err error) {
	// Only the entries the history can keep are parsed and validated; the
	// ones before still take their ids.
	var keep []*record.Entry
	var held int64
	rd := record.NewReader(r)
	for {
		e, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var le *record.LineError
		if errors.As(err, &le) {
			skip(err)
			continue
		}
		if err != nil {
			return loaded, err
		}
		keep = append(keep, e)
		held += int64(len(e.Body) + len(e.BodyBase64))
		loaded++
		drop := 0
		for len(keep)-drop > 1 && (len(keep)-drop > in.cfg.History || held > in.cfg.HistoryBytes) {
			held -= int64(len(keep[drop].Body) + len(keep[drop].BodyBase64))
			keep[drop] = nil
			drop++
		}
		keep = keep[drop:]
	}
	in.mu.Lock()
	in.nextID += uint64(loaded - len(keep))
	in.mu.Unlock()
	for _, e := range keep {
		in.push(in.fromEntry(e))
	}
	return loaded, nil
}

// fromEntry rebuilds what is known of a recorded delivery: its verdict as
// recorded; a valid or invalid body is checked again so that its errors
// and warnings are located.
func (in *Inspector) fromEntry(e *record.Entry) *item {
	it := &item{
		source: "recording", time: e.Time, remote: e.RemoteAddr, method: e.Method, path: e.Path,
		headers: e.Headers, raw: e.RawBody(), secret: e.Verdict.Secret, verdict: e.Kind(),
		status: e.Response.Status, dur: time.Duration(e.Response.DurationMS * float64(time.Millisecond)),
	}
	if it.secret == "" {
		it.secret = listen.SecretUnchecked
	}
	if f := e.Forward; f != nil {
		it.forward = &listen.ForwardResult{URL: f.URL, Status: f.Status, Duration: time.Duration(f.DurationMS * float64(time.Millisecond))}
		if f.Error != "" {
			it.forward.Err = errors.New(f.Error)
		}
	}
	doc, err := payload.Decode(it.raw)
	if err != nil {
		errors.As(err, &it.syntax)
	} else {
		it.doc = doc
		it.realKey = doc.Envelope.SecretKey
		if it.realKey == payload.Redacted {
			it.realKey = "" // unless listen accepted it and has the secret
			if it.secret == listen.SecretOK && len(in.cfg.Secrets) > 0 {
				it.realKey = in.cfg.Secrets[0]
			}
		}
	}
	if it.doc != nil && (it.verdict == record.Valid || it.verdict == record.Invalid) {
		// checked again, so that errors and warnings are located
		rep, err := in.cfg.Validator.Check(doc, payload.Options{})
		if err == nil {
			it.warns = rep.Warnings
		}
		if it.verdict == record.Invalid {
			if err == nil && len(rep.Errors) > 0 {
				it.errors = rep.Errors
			} else { // invalid under other settings (another API version): as recorded
				it.recErrs = e.Verdict.Errors
			}
		}
	}
	in.finish(it)
	return it
}

// finish fills what is derived from the body: redaction, summary, gist,
// line, and the bytes it all holds.
func (in *Inspector) finish(it *item) {
	it.shown = in.redact(it.raw, it.doc != nil)
	it.shownH = it.headers
	if !in.cfg.ShowSecrets {
		it.shownH = payload.RedactHeaders(it.headers)
	}
	if it.doc != nil {
		it.summary = payload.Summarize(it.doc)
		it.words = in.names.What(it.doc) // learns the names it introduces first
		it.gist = render.GistWith(it.doc, &in.names)
	}
	it.line = clip(oneLine(it), maxLine)
	it.parsed, it.doc = it.doc != nil, nil
	it.size = it.bytes()
}

// fit is body as the history keeps it: listen reads a body in doubling
// steps, so its array can be twice its length; a copy gives that back.
func fit(body []byte) []byte {
	if cap(body)-len(body) > len(body)/8 {
		return bytes.Clone(body)
	}
	return body
}

// itemOverhead approximates what an item holds besides its texts.
const itemOverhead = 1024

// bytes is what it holds in memory, roughly: every text it keeps. The
// parsed document is not kept (finish drops it; what it derives from it
// is cloned, so that nothing pins it): a detail is drawn from the body.
func (it *item) bytes() int64 {
	n := itemOverhead + cap(it.raw) + len(it.resp) + len(it.line) + len(it.words) + len(it.path) + len(it.remote) + len(it.secret) + len(it.realKey)
	if len(it.shown) > 0 && (len(it.raw) == 0 || &it.shown[0] != &it.raw[0]) {
		n += cap(it.shown) // a redacted copy
	}
	for k, vs := range it.headers {
		n += len(k)
		for _, v := range vs {
			n += len(v)
		}
	}
	for _, g := range it.gist {
		n += len(g)
	}
	for _, errs := range [][]payload.Error{it.errors, it.warns} {
		for _, e := range errs {
			n += 64 + len(e.Pointer) + len(e.Keyword) + len(e.Message)
		}
	}
	for _, e := range it.recErrs {
		n += len(e)
	}
	if f := it.forward; f != nil {
		n += len(f.URL) + len(f.Body)
	}
	return int64(n)
}

func (in *Inspector) redact(raw []byte, parsed bool) []byte {
	if in.cfg.ShowSecrets {
		return raw
	}
	return payload.RedactBody(raw, parsed)
}

// maxLine bounds the list's line (in characters): a message can be a
// megabyte long, and the list sends hundreds of lines at once.
const maxLine = 300

// clip cuts s to n characters, marking the cut.
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}

// oneLine is the list's summary of a delivery: what it tells in words (who
// wrote what, which chat moved where) or its ids, or what went wrong.
func oneLine(it *item) string {
	switch it.verdict {
	case record.Unread:
		return "body not received whole"
	case record.Unchecked:
		return "not checked: " + strings.TrimSpace(string(it.resp))
	case record.TooLarge:
		return "body larger than the limit"
	case record.WrongPath:
		return "wrong path " + it.path
	case record.Malformed:
		if it.syntax != nil {
			return "malformed JSON: " + it.syntax.Error()
		}
		return "malformed JSON"
	}
	line := it.words
	if line == "" {
		s := it.summary
		s.Action = ""
		line = strings.TrimSpace(s.String())
		line = strings.TrimPrefix(line, "(no action)")
	}
	if it.verdict == record.Rejected {
		return strings.TrimSpace("secret_key " + it.secret + " " + line)
	}
	return strings.TrimSpace(line)
}

// push appends it to the history, drops the oldest beyond History or
// HistoryBytes, and hands it to the open event streams.
func (in *Inspector) push(it *item) {
	in.mu.Lock()
	defer in.mu.Unlock()
	it.id = in.nextID
	in.nextID++
	in.items = append(in.items, it)
	in.kept += it.size
	drop := 0
	for len(in.items)-drop > 1 && (len(in.items)-drop > in.cfg.History || in.kept > in.cfg.HistoryBytes) {
		in.kept -= in.items[drop].size
		in.items[drop] = nil // let it go before append reallocates
		drop++
	}
	in.items = in.items[drop:]
	for s := range in.streams {
		s.offer(it)
	}
}

// snapshot is the history as it is now, oldest first: the items do not
// change (but for their replays), so it is read without the lock.
func (in *Inspector) snapshot(after uint64) []*item {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.snapshotLocked(after)
}

// snapshotLocked is snapshot for a caller holding mu: the items after id after.
func (in *Inspector) snapshotLocked(after uint64) []*item {
	i := 0
	if len(in.items) > 0 && after >= in.items[0].id {
		i = min(int(after-in.items[0].id)+1, len(in.items))
	}
	return slices.Clone(in.items[i:])
}

// get finds an item by id. Ids are consecutive, so it is an index.
func (in *Inspector) get(id uint64) *item {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.getLocked(id)
}

func (in *Inspector) getLocked(id uint64) *item {
	if len(in.items) == 0 {
		return nil
	}
	oldest := in.items[0].id
	if id < oldest || id >= oldest+uint64(len(in.items)) {
		return nil
	}
	return in.items[id-oldest]
}

// Len is how many deliveries are kept.
func (in *Inspector) Len() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.items)
}

// Kept is how many deliveries are kept and the bytes they hold.
func (in *Inspector) Kept() (n int, bytes int64) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.items), in.kept
}
