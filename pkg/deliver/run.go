package deliver

import (
	"context"
	"sync"
	"time"
)

// Job is one delivery of a batch, with the caller's label for it.
type Job struct {
	Seq     int    // position in the input, from 0
	Label   string // where the body came from, e.g. "rec.jsonl:12"
	Action  string
	Summary string // a one-line gist of the body, for the caller's output
	Request Request
}

// Outcome is a delivered job.
type Outcome struct {
	Job    Job
	Result Result
}

// BatchOptions shape a batch.
type BatchOptions struct {
	Concurrency int     // parallel deliveries; <= 1 keeps the input order
	Rate        float64 // deliveries started per second; 0 = as fast as possible
}

// Batch delivers jobs from next until it reports ok=false or ctx ends.
// emit is called once per outcome, never concurrently. It returns the
// number of jobs taken from next.
func (c *Client) Batch(ctx context.Context, opts BatchOptions, next func() (Job, bool), emit func(Outcome)) int {
	workers := max(opts.Concurrency, 1)
	jobs := make(chan Job)
	var emitMu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				r := c.Deliver(ctx, j.Request)
				emitMu.Lock()
				emit(Outcome{j, r})
				emitMu.Unlock()
			}
		}()
	}
	pace := newPacer(opts.Rate)
	taken := 0
	for ctx.Err() == nil {
		if err := pace.wait(ctx, c.sleep); err != nil {
			break
		}
		j, ok := next()
		if !ok {
			break
		}
		select {
		case jobs <- j:
			taken++
		case <-ctx.Done():
		}
	}
	close(jobs)
	wg.Wait()
	return taken
}

// pacer spaces starts 1/rate apart.
type pacer struct {
	every time.Duration
	next  time.Time
}

func newPacer(rate float64) *pacer {
	if rate <= 0 {
		return &pacer{}
	}
	return &pacer{every: time.Duration(float64(time.Second) / rate)}
}

func (p *pacer) wait(ctx context.Context, sleep func(context.Context, time.Duration) error) error {
	if p.every == 0 {
		return nil
	}
	now := time.Now()
	if p.next.IsZero() || p.next.Before(now) {
		p.next = now
	}
	err := sleep(ctx, p.next.Sub(now))
	p.next = p.next.Add(p.every)
	return err
}
