package deliver

import (
	"math"
	"strconv"
	"sync"
	"time"
)

// Latencies records durations in constant memory: log-spaced buckets 1%
// apart from 1 µs to about an hour, so percentiles are within 1% of the
// true value however many deliveries a replay makes. Safe for concurrent use.
type Latencies struct {
	mu      sync.Mutex
	buckets [bucketCount]uint64
	n       uint64
	max     time.Duration
	sum     time.Duration
}

const (
	bucketGrowth = 1.01
	bucketCount  = 2200 // 1.01^2200 µs ≈ 1.3e9 s: beyond any time-out
)

var logGrowth = math.Log(bucketGrowth)

func bucketOf(d time.Duration) int {
	us := float64(d) / float64(time.Microsecond)
	if us <= 1 {
		return 0
	}
	return min(int(math.Ceil(math.Log(us)/logGrowth)), bucketCount-1)
}

func bucketValue(i int) time.Duration {
	return time.Duration(math.Pow(bucketGrowth, float64(i)) * float64(time.Microsecond))
}

// Add records one duration.
func (l *Latencies) Add(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buckets[bucketOf(d)]++
	l.n++
	l.sum += d
	l.max = max(l.max, d)
}

// Percentile returns the p-th percentile (0 < p ≤ 100), never above Max.
func (l *Latencies) Percentile(p float64) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(p / 100 * float64(l.n)))
	rank = max(rank, 1)
	var seen uint64
	for i, c := range l.buckets {
		seen += c
		if seen >= rank {
			return min(bucketValue(i), l.max)
		}
	}
	return l.max
}

// Snapshot is a summary of the latencies.
type Snapshot struct {
	Count int           `json:"count"`
	Mean  time.Duration `json:"-"`
	P50   time.Duration `json:"-"`
	P90   time.Duration `json:"-"`
	P99   time.Duration `json:"-"`
	Max   time.Duration `json:"-"`
}

// Snapshot summarises the latencies recorded so far.
func (l *Latencies) Snapshot() Snapshot {
	s := Snapshot{P50: l.Percentile(50), P90: l.Percentile(90), P99: l.Percentile(99)}
	l.mu.Lock()
	defer l.mu.Unlock()
	s.Count, s.Max = int(l.n), l.max
	if l.n > 0 {
		s.Mean = l.sum / time.Duration(l.n)
	}
	return s
}

// Tally counts the outcomes of many deliveries. Safe for concurrent use.
type Tally struct {
	mu          sync.Mutex
	Sent        int         // deliveries attempted
	Succeeded   int         // ended with a success status
	Retried     int         // needed more than one attempt
	Failed      int         // ended with an unexpected status or no response
	NoResponse  int         // of Failed: no response at all
	Unreachable int         // of NoResponse: the target was not reached (Result.Unreachable)
	Statuses    map[int]int // final status -> count (0: no response)
	Latency     Latencies   // of every attempt that got a response
}

// Add counts one result.
func (t *Tally) Add(r Result) {
	t.mu.Lock()
	t.Sent++
	if t.Statuses == nil {
		t.Statuses = map[int]int{}
	}
	t.Statuses[r.Status]++
	switch {
	case r.OK:
		t.Succeeded++
	case r.NoResponse():
		t.Failed++
		t.NoResponse++
		if r.Unreachable() {
			t.Unreachable++
		}
	default:
		t.Failed++
	}
	if r.Retried() {
		t.Retried++
	}
	t.mu.Unlock()
	for _, a := range r.Attempts {
		if a.Status != 0 {
			t.Latency.Add(a.Duration)
		}
	}
}

// Summary is a Tally frozen for reports, in milliseconds.
type Summary struct {
	Sent        int            `json:"sent"`
	Succeeded   int            `json:"succeeded"`
	Retried     int            `json:"retried"`
	Failed      int            `json:"failed"`
	NoResponse  int            `json:"no_response"`
	Unreachable int            `json:"unreachable"` // of NoResponse: the target was not reached
	Statuses    map[string]int `json:"statuses"`    // "200": 12, "none": 1
	ElapsedS    float64        `json:"elapsed_s"`
	PerSecond   float64        `json:"per_second"`
	Latency     LatencyMS      `json:"latency_ms"`
}

// LatencyMS holds latency percentiles in milliseconds.
type LatencyMS struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

// Summary freezes the tally; elapsed is the wall time of the batch.
func (t *Tally) Summary(elapsed time.Duration) Summary {
	snap := t.Latency.Snapshot()
	t.mu.Lock()
	defer t.mu.Unlock()
	s := Summary{Sent: t.Sent, Succeeded: t.Succeeded, Retried: t.Retried, Failed: t.Failed,
		NoResponse: t.NoResponse, Unreachable: t.Unreachable, Statuses: map[string]int{}, ElapsedS: elapsed.Seconds(),
		Latency: LatencyMS{P50: MS(snap.P50), P90: MS(snap.P90), P99: MS(snap.P99), Max: MS(snap.Max), Mean: MS(snap.Mean)}}
	for code, n := range t.Statuses {
		k := "none"
		if code != 0 {
			k = strconv.Itoa(code)
		}
		s.Statuses[k] = n
	}
	if elapsed > 0 {
		s.PerSecond = float64(t.Sent) / elapsed.Seconds()
	}
	return s
}

// MS converts a duration to milliseconds, rounded to the microsecond.
func MS(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }
