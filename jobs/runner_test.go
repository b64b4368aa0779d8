package jobs_test

import (
	"context"
	"testing"
	"time"

	"switchboard/jobs"
	"switchboard/store"
	"switchboard/workflows"
)

// TestRunner works the jobs the store enqueues: a message saved by
// SaveFetched is processed (the job was written in the same transaction),
// and an approval's send job delivers the mail to the capture server.
func TestRunner(t *testing.T) {
	h := newHarness(t)
	r, err := jobs.NewRunner(h.deps)
	if err != nil {
		t.Fatalf("NewRunner: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()

	id, created := h.save(t, demoMail(t, "02_list_district.eml"))
	if !created {
		t.Fatal("SaveFetched did not create the message")
	}
	var reqID int64
	waitFor(t, 30*time.Second, "the message to be processed", func() bool {
		return h.st.DB().QueryRowContext(t.Context(), `SELECT id FROM requests WHERE message_id = $1`, id).Scan(&reqID) == nil
	})
	req := requestFor(t, h.st, id)
	if req.Status != workflows.StatusDrafted || len(req.Drafts) != 1 {
		t.Fatalf("request is %s with %d drafts, want drafted with 1", req.Status, len(req.Drafts))
	}
	if err := h.st.Approve(t.Context(), reqID, "tester"); err != nil {
		t.Fatalf("Approve: %v", err)
	}
	waitFor(t, 30*time.Second, "the capture server to receive the reply", func() bool {
		return len(h.capture.Messages()) == 1
	})
	waitFor(t, 10*time.Second, "the request to be marked sent", func() bool {
		r, err := h.st.Request(t.Context(), reqID)
		return err == nil && r.Status == workflows.StatusSent
	})

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run returned %v after cancel, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if n := len(h.capture.Messages()); n != 1 {
		t.Errorf("capture received %d messages, want exactly 1", n)
	}
	if n, err := h.st.PendingJobs(t.Context(), store.SendArgs{}.Kind()); err != nil || n != 0 {
		t.Errorf("pending send jobs = %d (%v), want 0", n, err)
	}
}
