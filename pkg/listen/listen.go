// Package listen receives LiveChat webhooks over HTTP the way a production
// receiver would: it reads and bounds the body, parses it, checks the
// secret_key in constant time, validates it against its action's schema,
// optionally forwards the raw bytes to the developer's app, records every
// delivery before answering, and answers.
//
// The package never prints. Every request it handles becomes a Delivery,
// handed to each subscriber (see Server.Subscribe); `lcwh listen` renders
// them on a terminal, and any other view (a web inspector) can subscribe to
// the same stream.
package listen

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
)

// Defaults of Config.
const (
	DefaultAddr           = "127.0.0.1:8787"
	DefaultMaxBody        = 1 << 20
	DefaultForwardTimeout = 10 * time.Second // what LiveChat waits for an answer
	DefaultMaxConcurrent  = 256
	// ForwardBodyPreview bounds the start of the app's answer kept in a Delivery.
	ForwardBodyPreview = 512
	// HealthPath answers GET with 200 whatever Config.Path is.
	HealthPath = "/healthz"
	// MaxBodyLimit is the largest Config.MaxBody: a body that size, escaped
	// in its recording line (up to six bytes a byte), with its headers and
	// verdict, stays within record.MaxLine, what readers accept.
	MaxBodyLimit = (record.MaxLine - maxLineOverhead) / 6
	// maxLineOverhead bounds the rest of a recording line: headers
	// (MaxHeaderBytes, escaped), the verdict's errors (maxErrors of at most
	// maxErrorLen, escaped) and the other fields.
	maxLineOverhead = 4 << 20
	maxErrors       = 100
	maxErrorLen     = 1000
)

// CheckMaxBody refuses a body limit that accepts no body, or one lcwh
// could not record.
func CheckMaxBody(n int64) error {
	if n < 1 {
		return errors.New("must be at least 1")
	}
	if n > MaxBodyLimit {
		return fmt.Errorf("at most %d (10 MiB): a recording line holds at most %d MiB, and escaping can make a body six times larger", MaxBodyLimit, record.MaxLine>>20)
	}
	return nil
}

// Secret verdicts.
const (
	SecretOK        = "ok"        // the body's secret_key matches a configured secret
	SecretWrong     = "wrong"     // it matches none
	SecretMissing   = "missing"   // the body has no secret_key string
	SecretUnchecked = "unchecked" // no secret configured, or the body did not parse
)

// Recorder stores deliveries; *record.Writer is one. Write must return
// only once the entry is stored: the response waits for it.
type Recorder interface {
	Write(*record.Entry) error
}

// LineRecorder is a Recorder that also takes lines already encoded with
// record.AppendLine (*record.Writer is one). The server then encodes each
// delivery once and hands the same line to subscribers (Delivery.AppendJSON).
type LineRecorder interface {
	Recorder
	WriteLine(line []byte) error
}

// Config is what a Server needs.
type Config struct {
	Addr      string   // host:port; port 0 picks a free one
	Path      string   // "" or "/" accepts any path
	MaxBody   int64    // bytes (0: DefaultMaxBody); larger bodies get 413
	Secrets   []string // accepted secret_key values; none = accept any
	Validator *payload.Validator
	Actions   []string // when not empty, only these are recorded and forwarded
	ForwardTo string   // URL of the developer's app; "" = don't forward
	// Route, when set, chooses the forward target per action instead of
	// ForwardTo ("" = don't forward that action).
	Route          func(action string) string
	ForwardTimeout time.Duration
	ForwardClient  *http.Client // nil = a client with ForwardTimeout
	Recorder       Recorder     // nil = don't record
	RecordSecrets  bool         // keep secret_key in the recording
	MaxConcurrent  int          // deliveries handled at once; others wait
	// BodyTimeout bounds the reading of a body (from the end of its
	// headers); a body not received by then is answered 408. Bodies are
	// read before a delivery waits for one of the MaxConcurrent slots, so
	// slow senders hold no slot; the bodies in flight take at most
	// MaxConcurrent × MaxBody bytes (64 MiB at least), others wait.
	BodyTimeout time.Duration
	Now         func() time.Time
}

// Delivery is everything known about one request, handed to subscribers
// once its response has been sent. It is a value: subscribers may keep it.
type Delivery struct {
	Seq        uint64      // 1, 2, ... in the order requests arrived
	Time       time.Time   // when the request arrived
	RemoteAddr string      // as net/http reports it (ip:port)
	Method     string      // always POST for a delivery
	Path       string      // the request path
	Headers    http.Header // the request headers
	Body       []byte      // exactly as received, secret included (redact before showing)
	// BodyTooLarge is set when the body passed Config.MaxBody; Body then
	// holds the first MaxBody bytes.
	BodyTooLarge bool
	// ReadError is why the body could not be read whole (Body holds what
	// came): the sender hung up, or did not send it within
	// Config.BodyTimeout (a *BodyTimeoutError), or lcwh was too busy.
	ReadError   error
	Doc         *payload.Document // the parsed body; nil when it did not parse
	Summary     payload.Summary   // action, chat/thread/event ids, author
	SyntaxError *payload.SyntaxError
	// Errors are the schema validation errors (empty when valid or not validated).
	Errors    []payload.Error
	Validated bool   // schema validation ran (parsed, secret accepted, action shown)
	Secret    string // SecretOK, SecretWrong, SecretMissing or SecretUnchecked
	// Filtered is set when the action is not in Config.Actions: the delivery
	// was answered 200 but neither recorded nor forwarded, and is not to be shown.
	Filtered    bool
	Forward     *ForwardResult // nil when not forwarded
	Status      int            // the HTTP status lcwh answered
	Response    []byte         // the response body lcwh sent
	Duration    time.Duration  // from arrival until the response was written
	RecordError error          // the recording failed (the response was 500)

	// warnings are worked out when a view asks (Warnings), not before the
	// answer: neither the answer nor the recording holds them.
	warnings *lazyWarnings

	// line is the recording line written (nil when none), with the body's
	// secret kept when lineSecrets; AppendJSON reuses it.
	line        []byte
	lineSecrets bool
}

// ForwardResult is what the developer's app did with a forwarded delivery.
type ForwardResult struct {
	URL      string
	Status   int    // 0 when there was no answer
	Body     []byte // the first ForwardBodyPreview bytes of the answer
	Duration time.Duration
	Err      error // nil, or why there was no answer
	TimedOut bool  // no answer within Config.ForwardTimeout (answered 504)
}

// lazyWarnings are a validated delivery's warnings, found once, on demand.
type lazyWarnings struct {
	once sync.Once
	v    *payload.Validator
	doc  *payload.Document
	list []payload.Error
}

// Warnings returns what validation found suspicious (never invalid): an
// expected field missing, a deprecated form, a likely typo. They are found
// on the first call, off the answer's path, and are nil when the delivery
// was not validated.
func (d *Delivery) Warnings() []payload.Error {
	w := d.warnings
	if w == nil {
		return nil
	}
	w.once.Do(func() {
		if rep, err := w.v.Check(w.doc, payload.Options{}); err == nil {
			w.list = rep.Warnings
		}
	})
	return w.list
}

// Kind is the delivery's verdict (record.Classify decides it).
func (d *Delivery) Kind() record.Kind {
	return record.Classify(record.Facts{
		Filtered:  d.Filtered,
		Unread:    d.ReadError != nil,
		TooLarge:  d.BodyTooLarge,
		WrongPath: d.Status == http.StatusNotFound && d.Doc == nil,
		Parsed:    d.Doc != nil,
		Rejected:  d.Rejected(),
		Checked:   d.Validated,
		Errors:    len(d.Errors),
	})
}

// Valid tells whether the delivery parsed, passed the secret check and its schema.
func (d *Delivery) Valid() bool { return d.Kind() == record.Valid }

// Rejected tells whether the secret check refused the delivery.
func (d *Delivery) Rejected() bool { return d.Secret == SecretWrong || d.Secret == SecretMissing }

// Entry converts the delivery to a recording line; the body's secret_key
// and the credential headers (payload.SecretHeaders) are redacted unless
// keepSecret.
func (d *Delivery) Entry(keepSecret bool) *record.Entry {
	e := &record.Entry{
		Time:       d.Time.UTC(),
		RemoteAddr: d.RemoteAddr,
		Method:     d.Method,
		Path:       d.Path,
		Headers:    d.Headers,
		Action:     d.Summary.Action,
		Verdict: record.Verdict{
			Kind:   d.Kind(),
			Parsed: d.Doc != nil,
			Valid:  d.Valid(),
			Secret: d.Secret,
		},
		Response: record.Response{Status: d.Status, DurationMS: ms(d.Duration)},
	}
	body := d.Body
	if !keepSecret {
		body = payload.RedactBody(body, d.Doc != nil)
		e.Headers = payload.RedactHeaders(e.Headers)
	}
	e.SetBody(body)
	if d.BodyTooLarge {
		e.Verdict.Errors = append(e.Verdict.Errors, "body larger than the limit")
	}
	if d.ReadError != nil {
		e.Verdict.Errors = append(e.Verdict.Errors, "cannot read the body: "+d.ReadError.Error())
	}
	if d.SyntaxError != nil {
		e.Verdict.Errors = append(e.Verdict.Errors, d.SyntaxError.Error())
	}
	for i, err := range d.Errors {
		if i == maxErrors {
			e.Verdict.Errors = append(e.Verdict.Errors, fmt.Sprintf("and %d more errors", len(d.Errors)-i))
			break
		}
		msg := fmt.Sprintf("%d:%d: %s", err.Line, err.Column, err.String())
		if len(msg) > maxErrorLen {
			msg = strings.ToValidUTF8(msg[:maxErrorLen], "") + "…"
		}
		e.Verdict.Errors = append(e.Verdict.Errors, msg)
	}
	if f := d.Forward; f != nil {
		e.Forward = &record.Forward{URL: f.URL, Status: f.Status, DurationMS: ms(f.Duration)}
		if f.Err != nil {
			e.Forward.Error = f.Err.Error()
		}
	}
	return e
}

// AppendJSON appends the delivery as one recording line, its duration
// taken from d.Duration (the whole handling, response included), as
// `lcwh listen --format json` prints it. It reuses the line written to
// the recording when there is one with the same keepSecret, so the body
// is encoded once per delivery.
func (d *Delivery) AppendJSON(dst []byte, keepSecret bool) []byte {
	if d.line != nil && d.lineSecrets == keepSecret {
		if out, ok := record.ReplaceDuration(dst, d.line, ms(d.Duration)); ok {
			return out
		}
	}
	out, err := record.AppendLine(dst, d.Entry(keepSecret))
	if err != nil {
		return dst
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Server is a webhook receiver. Create it with New, start it with Listen
// and Serve.
type Server struct {
	cfg     Config
	secrets [][sha256.Size]byte
	actions map[string]bool
	client  *http.Client
	sem     chan struct{}
	budget  *budget

	mu   sync.Mutex
	subs map[int]func(Delivery)
	next int
	seq  uint64

	// Deliveries go to subscribers in Seq order, after their answers have
	// left: a handler waits (emitted.Wait) for the ones before it.
	emitMu  sync.Mutex
	emitted *sync.Cond
	done    uint64 // the last Seq handed to subscribers

	ln  net.Listener
	srv *http.Server
}

// New checks cfg and fills its defaults.
func New(cfg Config) (*Server, error) {
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.Path == "" {
		cfg.Path = "/"
	}
	if !strings.HasPrefix(cfg.Path, "/") {
		return nil, fmt.Errorf("path %q must start with /", cfg.Path)
	}
	if cfg.MaxBody == 0 { // unset; a negative limit is refused below
		cfg.MaxBody = DefaultMaxBody
	}
	if err := CheckMaxBody(cfg.MaxBody); err != nil {
		return nil, fmt.Errorf("max body %d: %w", cfg.MaxBody, err)
	}
	if cfg.ForwardTimeout <= 0 {
		cfg.ForwardTimeout = DefaultForwardTimeout
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = DefaultMaxConcurrent
	}
	if cfg.BodyTimeout <= 0 {
		cfg.BodyTimeout = DefaultBodyTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Validator == nil {
		v, err := payload.NewValidator(payload.DefaultVersion)
		if err != nil {
			return nil, err
		}
		cfg.Validator = v
	}
	s := &Server{cfg: cfg, subs: map[int]func(Delivery){}, sem: make(chan struct{}, cfg.MaxConcurrent),
		budget: newBudget(max(int64(cfg.MaxConcurrent)*(cfg.MaxBody+1), minBodyBudget))}
	s.emitted = sync.NewCond(&s.emitMu)
	for _, sec := range cfg.Secrets {
		s.secrets = append(s.secrets, sha256.Sum256([]byte(sec)))
	}
	if len(cfg.Actions) > 0 {
		s.actions = map[string]bool{}
		for _, a := range cfg.Actions {
			s.actions[a] = true
		}
	}
	s.client = cfg.ForwardClient
	if s.client == nil {
		// keep a connection per delivery in flight: the default keeps 2 per
		// host, and every forward goes to one app
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = cfg.MaxConcurrent
		s.client = &http.Client{
			Transport: tr,
			Timeout:   cfg.ForwardTimeout,
			// the app's redirects are its answer, as LiveChat would see them
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	return s, nil
}

// Subscribe registers fn to receive every Delivery, in Seq order, in the
// goroutine that handled the request, after the response has left (and
// outside the MaxConcurrent slots). fn must be safe for concurrent use and
// should return quickly: no answer waits for it, but later deliveries reach
// subscribers only after it returns (buffer if it does slow work).
// Any number of subscribers may be registered; the returned func removes fn.
func (s *Server) Subscribe(fn func(Delivery)) (unsubscribe func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.next
	s.next++
	s.subs[id] = fn
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.subs, id)
	}
}

// SubscribeChan is Subscribe for a consumer that prefers a channel: it
// gets a channel with room for buf deliveries. A delivery that finds the
// channel full is dropped for this subscriber (counted by the returned
// dropped func) so a slow view can never hold up the answers to LiveChat.
func (s *Server) SubscribeChan(buf int) (ch <-chan Delivery, dropped func() uint64, unsubscribe func()) {
	c := make(chan Delivery, buf)
	var mu sync.Mutex
	var n uint64
	closed := false
	unsub := s.Subscribe(func(d Delivery) {
		mu.Lock()
		defer mu.Unlock()
		if closed {
			return
		}
		select {
		case c <- d:
		default:
			n++
		}
	})
	return c, func() uint64 { mu.Lock(); defer mu.Unlock(); return n }, func() {
		unsub()
		mu.Lock()
		defer mu.Unlock()
		if !closed {
			closed = true
			close(c)
		}
	}
}

// emit hands d to every subscriber once the deliveries before it (by Seq)
// have been handed over, so views show them in the order they arrived
// although their answers leave as soon as each is ready.
func (s *Server) emit(d Delivery) {
	s.emitMu.Lock()
	for s.done != d.Seq-1 {
		s.emitted.Wait()
	}
	s.emitMu.Unlock()
	defer func() {
		s.emitMu.Lock()
		s.done = d.Seq
		s.emitMu.Unlock()
		s.emitted.Broadcast()
	}()
	s.mu.Lock()
	fns := make([]func(Delivery), 0, len(s.subs))
	for _, fn := range s.subs {
		fns = append(fns, fn)
	}
	s.mu.Unlock()
	for _, fn := range fns {
		fn(d)
	}
}

// Listen binds Config.Addr and returns the address actually bound (useful
// with port 0). Serve must follow.
func (s *Server) Listen() (net.Addr, error) {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return nil, err
	}
	s.ln = ln
	return ln.Addr(), nil
}

// Serve answers requests until ctx is done, then shuts down gracefully:
// it stops accepting, lets every request in flight finish (each delivered
// to subscribers) and returns. It returns nil after a clean shutdown.
func (s *Server) Serve(ctx context.Context) error {
	if s.ln == nil {
		if _, err := s.Listen(); err != nil {
			return err
		}
	}
	s.srv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       s.cfg.BodyTimeout + 10*time.Second, // the handler sets each body's own deadline
		WriteTimeout:      s.cfg.ForwardTimeout + 30*time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// in-flight requests may be waiting for a forward: give them its time-out
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ForwardTimeout+5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// ServeHTTP handles one request; a Server is an http.Handler so tests and
// other servers can mount it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == HealthPath && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed: LiveChat delivers webhooks with POST", http.StatusMethodNotAllowed)
		return
	}
	arrived := s.cfg.Now()
	body, held, err := s.readBody(w, r)
	defer s.budget.give(held)
	gone := r.Context().Done()
	if err != nil {
		gone = nil // a failed read cancels the context: answer it all the same
	}
	select {
	case s.sem <- struct{}{}:
	case <-gone:
		return
	}
	d := s.handle(r, arrived, body, err)
	<-s.sem // handled: answering and the subscribers take no slot
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(d.Response)))
	w.WriteHeader(d.Status)
	w.Write(d.Response)
	// The answer leaves now, whole (its length set, so not chunked), not
	// when the subscribers are done: a busy view never delays LiveChat.
	http.NewResponseController(w).Flush()
	d.Duration = s.cfg.Now().Sub(d.Time)
	s.emit(d)
}

// handle works out the delivery and records it; the response is not sent yet.
func (s *Server) handle(r *http.Request, arrived time.Time, body []byte, readErr error) Delivery {
	s.mu.Lock()
	s.seq++
	seq := s.seq
	s.mu.Unlock()
	d := Delivery{
		Seq:        seq,
		Time:       arrived,
		RemoteAddr: r.RemoteAddr,
		Method:     r.Method,
		Path:       r.URL.Path,
		Headers:    r.Header.Clone(),
		Secret:     SecretUnchecked,
		Body:       body,
		ReadError:  readErr,
	}
	d.Status, d.Response = s.check(r, &d)
	if d.Filtered {
		return d
	}
	if s.cfg.Recorder != nil {
		d.Duration = s.cfg.Now().Sub(d.Time)
		if err := s.record(&d); err != nil {
			// LiveChat will retry: better than a delivery silently not recorded
			d.RecordError = err
			d.Status, d.Response = http.StatusInternalServerError, []byte("lcwh could not record this delivery: "+err.Error()+"\n")
		}
	}
	return d
}

// record writes d's recording line, encoded once and kept in d for the
// subscribers when the recorder takes lines.
func (s *Server) record(d *Delivery) error {
	e := d.Entry(s.cfg.RecordSecrets)
	lr, ok := s.cfg.Recorder.(LineRecorder)
	if !ok {
		return s.cfg.Recorder.Write(e)
	}
	line, err := record.AppendLine(make([]byte, 0, len(e.Body)+len(e.Body)/8+1024), e)
	if err != nil {
		return err
	}
	if err := lr.WriteLine(line); err != nil {
		return err
	}
	d.line, d.lineSecrets = line, s.cfg.RecordSecrets
	return nil
}

// check reads, parses, authenticates, validates and forwards; it returns
// the status and body to answer.
func (s *Server) check(r *http.Request, d *Delivery) (int, []byte) {
	body := d.Body
	var bt *BodyTimeoutError
	switch err := d.ReadError; {
	case errors.As(err, &bt):
		return http.StatusRequestTimeout, []byte(err.Error() + "\n")
	case errors.Is(err, errBusy):
		return http.StatusServiceUnavailable, []byte(err.Error() + "\n")
	case err != nil:
		return http.StatusBadRequest, []byte("cannot read the body: " + err.Error() + "\n")
	}
	if int64(len(body)) > s.cfg.MaxBody {
		d.Body, d.BodyTooLarge = body[:s.cfg.MaxBody], true
		return http.StatusRequestEntityTooLarge, []byte(fmt.Sprintf("body larger than %d bytes\n", s.cfg.MaxBody))
	}
	// the body is read first so that the recording shows what was misdirected
	if s.cfg.Path != "/" && r.URL.Path != s.cfg.Path {
		return http.StatusNotFound, []byte(fmt.Sprintf("not found: lcwh listens on %s\n", s.cfg.Path))
	}
	doc, err := payload.Decode(body)
	if err != nil {
		var se *payload.SyntaxError
		if errors.As(err, &se) {
			d.SyntaxError = se
		}
		return http.StatusBadRequest, []byte("malformed JSON: body:" + err.Error() + "\n")
	}
	d.Doc = doc
	d.Summary = payload.Summarize(doc)
	if s.actions != nil && !s.actions[d.Summary.Action] {
		d.Filtered = true
		return http.StatusOK, []byte("ok\n")
	}
	if len(s.secrets) > 0 {
		d.Secret = s.checkSecret(doc)
		if d.Rejected() {
			return http.StatusUnauthorized, []byte("secret_key " + d.Secret + "\n")
		}
	}
	errs, err := s.cfg.Validator.Validate(doc, "")
	if err != nil {
		return http.StatusInternalServerError, []byte("validation failed: " + err.Error() + "\n")
	}
	d.Errors, d.Validated = errs, true
	d.warnings = &lazyWarnings{v: s.cfg.Validator, doc: doc}
	target := s.cfg.ForwardTo
	if s.cfg.Route != nil {
		target = s.cfg.Route(d.Summary.Action)
	}
	if target != "" {
		d.Forward = s.forward(r, body, target)
		return forwardStatus(d.Forward)
	}
	return http.StatusOK, []byte("ok\n")
}

// checkSecret compares the body's secret_key with every configured secret
// in constant time (hashes make the lengths equal; every secret is compared).
func (s *Server) checkSecret(doc *payload.Document) string {
	obj := doc.Object()
	got, ok := obj["secret_key"].(string)
	if !ok {
		return SecretMissing
	}
	h := sha256.Sum256([]byte(got))
	match := 0
	for i := range s.secrets {
		match |= subtle.ConstantTimeCompare(h[:], s.secrets[i][:])
	}
	if match == 1 {
		return SecretOK
	}
	return SecretWrong
}

// HopHeaders are hop-by-hop: not forwarded (RFC 9110 §7.6.1).
var HopHeaders = []string{"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

func (s *Server) forward(r *http.Request, body []byte, target string) *ForwardResult {
	res := &ForwardResult{URL: target}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), s.cfg.ForwardTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		res.Err = err
		return res
	}
	req.Header = r.Header.Clone()
	for _, h := range HopHeaders {
		req.Header.Del(h)
	}
	req.Header.Del("Content-Length")
	start := s.cfg.Now()
	resp, err := s.client.Do(req)
	if err == nil {
		res.Status = resp.StatusCode
		res.Body, _ = io.ReadAll(io.LimitReader(resp.Body, ForwardBodyPreview))
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // let the connection be reused
		resp.Body.Close()
	}
	res.Duration = s.cfg.Now().Sub(start)
	if err != nil {
		res.Err = err
		var ne net.Error
		res.TimedOut = errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
	}
	return res
}

func forwardStatus(f *ForwardResult) (int, []byte) {
	switch {
	case f.TimedOut:
		return http.StatusGatewayTimeout, []byte("the app did not answer in time\n")
	case f.Err != nil:
		return http.StatusBadGateway, []byte("the app could not be reached: " + f.Err.Error() + "\n")
	}
	return f.Status, f.Body
}
