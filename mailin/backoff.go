package mailin

import (
	"context"
	"math/rand/v2"
	"time"
)

// backoff computes capped exponential delays with jitter: min, 2·min, 4·min, …
// up to max, each one spread by ±jitter (a fraction, 0.2 for ±20%) so that
// many pollers restarted together do not reconnect in lockstep.
type backoff struct {
	min, max time.Duration
	jitter   float64
	attempt  int
	rand     func() float64 // in [0, 1); rand.Float64 unless a test sets it
}

// newBackoff returns a backoff from 1 s doubling to 5 min, ±20%.
func newBackoff() *backoff {
	return &backoff{min: time.Second, max: 5 * time.Minute, jitter: 0.2, rand: rand.Float64}
}

// next returns the delay before the next attempt and counts the attempt.
func (b *backoff) next() time.Duration {
	d := b.min
	for i := 0; i < b.attempt && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	b.attempt++
	// Scale by a factor in [1-jitter, 1+jitter).
	return time.Duration(float64(d) * (1 - b.jitter + 2*b.jitter*b.rand()))
}

// reset starts the sequence again at min, after a successful session.
func (b *backoff) reset() { b.attempt = 0 }

// sleep waits for d or until ctx is done, whichever is first, and returns
// ctx.Err() in the second case.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
