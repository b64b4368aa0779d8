package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestLockMailboxIsExclusive(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	l, err := s.LockMailbox(ctx, "support")
	if err != nil {
		t.Fatal(err)
	}
	// A second holder waits; it gets the lock once the first releases it.
	waitCtx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if _, err := s.LockMailbox(waitCtx, "support"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second lock while held: err = %v, want deadline exceeded", err)
	}
	other, err := s.LockMailbox(ctx, "press")
	if err != nil {
		t.Fatalf("another mailbox's lock: %v", err)
	}
	other.Release()
	l.Release()
	again, err := s.LockMailbox(ctx, "support")
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	again.Release()
}
