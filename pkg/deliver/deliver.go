// Package deliver makes the requests LiveChat makes: one POST of a webhook
// body with Content-Type: application/json, with retries, time-outs and
// latency statistics. It is shared by `lcwh send` and `lcwh replay`, prints
// nothing and reports every delivery as a Result.
package deliver

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of Options.
const (
	DefaultTimeout    = 10 * time.Second
	DefaultRetries    = 2
	DefaultBackoff    = 500 * time.Millisecond
	DefaultMaxBackoff = 30 * time.Second
	DefaultBodyLimit  = 4096
	// LiveChatRetries is how often LiveChat retries a delivery that did not
	// get a 200 within LiveChatTimeout: up to 3 times within about a minute.
	LiveChatRetries = 3
	LiveChatTimeout = 10 * time.Second
	LiveChatBackoff = 5 * time.Second // 5 s, 10 s, 20 s: the last retry ~35-75 s after the first try
	UserAgent       = "lcwh"
)

// Options shape every delivery of a Client.
type Options struct {
	Timeout      time.Duration // per attempt; 0 = DefaultTimeout
	Insecure     bool          // accept any TLS certificate
	Retries      int           // retries after the first attempt
	Backoff      time.Duration // first retry delay, doubled each time, with jitter
	MaxBackoff   time.Duration // cap of one delay, Retry-After included
	LiveChat     bool          // LiveChat's policy: only 200 counts, everything else is retried
	ExpectStatus []int         // statuses that count as success (default: any 2xx)
	BodyLimit    int           // response body bytes kept (0 = DefaultBodyLimit)
	// Dial, when set, opens the connections (instead of a default
	// net.Dialer): the web inspector refuses to connect to itself.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Request is one webhook delivery.
type Request struct {
	URL    string
	Body   []byte
	Header http.Header // extra headers; Content-Type is always application/json
}

// Attempt is one try of a delivery.
type Attempt struct {
	Status   int           `json:"status,omitempty"`
	Duration time.Duration `json:"-"`
	Error    string        `json:"error,omitempty"`
	Wait     time.Duration `json:"-"` // the delay before the next attempt
}

// Result is the outcome of a delivery, all attempts included.
type Result struct {
	Status        int           // of the last attempt; 0 when there was no response
	StatusText    string        // "200 OK"
	Header        http.Header   // of the last response
	Body          []byte        // the start of the last response body
	BodyTruncated bool          // the body was longer than BodyLimit
	Duration      time.Duration // of the last attempt
	Total         time.Duration // first request to last response, waits included
	Attempts      []Attempt
	Err           error // the last attempt's transport error
	OK            bool  // the last status counts as success
	// Connected tells that the last attempt got a connection to the
	// target (TLS handshake included), whatever happened next.
	Connected bool
}

// Retried tells whether the delivery needed more than one attempt.
func (r Result) Retried() bool { return len(r.Attempts) > 1 }

// NoResponse tells whether the delivery ended without any response.
func (r Result) NoResponse() bool { return r.Err != nil && r.Status == 0 }

// Unreachable tells whether the delivery ended without reaching the
// target: no connection (refused, DNS, TLS) or no answer within the
// time-out; commands exit 3. A receiver that took the connection and
// closed it without answering is reachable: the delivery failed, as with
// a 5xx.
func (r Result) Unreachable() bool { return r.NoResponse() && (!r.Connected || r.Timeout()) }

// Timeout tells whether the last attempt timed out.
func (r Result) Timeout() bool {
	var ne net.Error
	return errors.Is(r.Err, context.DeadlineExceeded) || (errors.As(r.Err, &ne) && ne.Timeout())
}

// Client delivers requests. It is safe for concurrent use.
type Client struct {
	opts  Options
	http  *http.Client
	sleep func(context.Context, time.Duration) error
	mu    sync.Mutex
	rng   *rand.Rand
}

// New returns a client with its own connection pool.
func New(opts Options) *Client {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	if opts.BodyLimit <= 0 {
		opts.BodyLimit = DefaultBodyLimit
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 256
	if opts.Dial != nil {
		tr.DialContext = opts.Dial
	}
	if opts.Insecure {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the user asked for it
	}
	return &Client{
		opts:  opts,
		http:  &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		sleep: sleepCtx,
		rng:   rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())),
	}
}

// Options returns the resolved options.
func (c *Client) Options() Options { return c.opts }

// Close releases idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// Success tells whether a status counts as delivered.
func (c *Client) Success(status int) bool {
	if c.opts.LiveChat {
		return status == http.StatusOK
	}
	if len(c.opts.ExpectStatus) > 0 {
		return slices.Contains(c.opts.ExpectStatus, status)
	}
	return status >= 200 && status < 300
}

func (c *Client) retryable(status int, err error) bool {
	if c.opts.LiveChat {
		return status != http.StatusOK
	}
	return err != nil || status == http.StatusTooManyRequests || status >= 500
}

// Deliver sends req, retrying as the options say, until success, a final
// answer, the retries are spent or ctx ends.
func (c *Client) Deliver(ctx context.Context, req Request) Result {
	var res Result
	start := time.Now()
	retries := c.opts.Retries
	if c.opts.LiveChat {
		retries = LiveChatRetries
	}
	for n := 0; ; n++ {
		a, retryAfter := c.attempt(ctx, req, &res)
		res.Attempts = append(res.Attempts, a)
		res.Total = time.Since(start)
		res.OK = res.Err == nil && c.Success(res.Status)
		if res.OK || n >= retries || ctx.Err() != nil || !c.retryable(res.Status, res.Err) {
			return res
		}
		wait := c.backoff(n, retryAfter)
		res.Attempts[len(res.Attempts)-1].Wait = wait
		if err := c.sleep(ctx, wait); err != nil {
			return res
		}
	}
}

func (c *Client) attempt(ctx context.Context, req Request, res *Result) (Attempt, time.Duration) {
	actx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	var connected atomic.Bool
	trace := &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { connected.Store(true) }}
	hr, err := NewRequest(httptrace.WithClientTrace(actx, trace), req)
	if err != nil {
		res.Err, res.Status, res.Connected = err, 0, false
		return Attempt{Error: err.Error()}, 0
	}
	t0 := time.Now()
	resp, err := c.http.Do(hr)
	res.Connected = connected.Load()
	if err != nil {
		res.Duration = time.Since(t0)
		if actx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
			err = fmt.Errorf("no response within %s: %w", c.opts.Timeout, context.DeadlineExceeded)
		}
		res.Err, res.Status, res.StatusText, res.Header, res.Body = err, 0, "", nil, nil
		return Attempt{Duration: res.Duration, Error: err.Error()}, 0
	}
	body, truncated, rerr := readPrefix(resp.Body, c.opts.BodyLimit)
	resp.Body.Close()
	res.Duration = time.Since(t0)
	res.Err = nil
	if rerr != nil && !errors.Is(rerr, io.ErrUnexpectedEOF) {
		res.Err = fmt.Errorf("reading the response: %w", rerr)
	}
	res.Status, res.StatusText, res.Header = resp.StatusCode, resp.Status, resp.Header
	res.Body, res.BodyTruncated = body, truncated
	a := Attempt{Status: resp.StatusCode, Duration: res.Duration}
	if res.Err != nil {
		a.Error = res.Err.Error()
	}
	return a, retryAfter(resp.Header.Get("Retry-After"), time.Now())
}

// NewRequest builds the exact request LiveChat makes.
func NewRequest(ctx context.Context, req Request) (*http.Request, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, req.URL, bytes.NewReader(req.Body))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("User-Agent", UserAgent)
	for k, vs := range req.Header {
		for _, v := range vs {
			hr.Header.Add(k, v)
		}
	}
	hr.Header.Set("Content-Type", "application/json")
	return hr, nil
}

// readPrefix keeps the first limit bytes and drains (a bounded amount of)
// the rest so the connection can be reused.
func readPrefix(r io.Reader, limit int) ([]byte, bool, error) {
	buf, err := io.ReadAll(io.LimitReader(r, int64(limit)))
	if err != nil {
		return buf, false, err
	}
	n, err := io.Copy(io.Discard, io.LimitReader(r, 1<<20))
	return buf, n > 0, err
}

// backoff is the delay after attempt n (0-based): exponential with jitter
// (between half and all of base·2ⁿ), at least Retry-After, at most MaxBackoff.
func (c *Client) backoff(n int, retryAfter time.Duration) time.Duration {
	base := c.opts.Backoff
	if c.opts.LiveChat && base <= 0 {
		base = LiveChatBackoff
	}
	if base <= 0 {
		base = DefaultBackoff
	}
	d := base << n
	if d <= 0 || d > c.opts.MaxBackoff {
		d = c.opts.MaxBackoff
	}
	c.mu.Lock()
	d = d/2 + time.Duration(c.rng.Int64N(int64(d/2)+1))
	c.mu.Unlock()
	if retryAfter > d {
		d = retryAfter
	}
	return min(d, c.opts.MaxBackoff)
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// LiveChatVerdict says what LiveChat would have done with this delivery.
func LiveChatVerdict(r Result) string {
	if r.OK {
		if len(r.Attempts) == 1 {
			return "delivered on the first attempt"
		}
		return fmt.Sprintf("delivered on attempt %d", len(r.Attempts))
	}
	return fmt.Sprintf("LiveChat would give up after %d attempts", len(r.Attempts))
}

// IsHTTPURL tells whether s is an absolute http:// or https:// URL, the
// only targets lcwh sends webhooks to.
func IsHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
