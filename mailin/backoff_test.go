package mailin

import (
	"context"
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	b := newBackoff()
	b.rand = func() float64 { return 0.5 } // no jitter
	want := []time.Duration{1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300}
	for i, w := range want {
		if got := b.next(); got != w*time.Second {
			t.Errorf("delay %d = %v, want %v", i, got, w*time.Second)
		}
	}
	b.reset()
	if got := b.next(); got != time.Second {
		t.Errorf("after reset delay = %v, want 1s", got)
	}
}

func TestBackoffJitter(t *testing.T) {
	b := newBackoff()
	b.rand = func() float64 { return 0 }
	if got := b.next(); got != 800*time.Millisecond {
		t.Errorf("lowest jitter = %v, want 800ms", got)
	}
	b.reset()
	b.rand = func() float64 { return 0.999999 }
	if got := b.next(); got < 1199*time.Millisecond || got >= 1200*time.Millisecond {
		t.Errorf("highest jitter = %v, want just under 1.2s", got)
	}
	b = newBackoff() // the real random source stays within ±20%
	for range 100 {
		b.reset()
		if d := b.next(); d < 800*time.Millisecond || d >= 1200*time.Millisecond {
			t.Fatalf("delay %v outside 1s ±20%%", d)
		}
	}
}

func TestSleepHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if err := sleep(ctx, time.Hour); err != context.Canceled {
		t.Errorf("sleep = %v, want context.Canceled", err)
	}
	if time.Since(start) > time.Second {
		t.Error("sleep ignored the cancelled context")
	}
	if err := sleep(context.Background(), time.Millisecond); err != nil {
		t.Errorf("sleep = %v, want nil", err)
	}
}
