package store

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
)

// QueueSend is the River queue of send jobs, worked only by runners that can
// send mail, so a processing-only runner (`switchboard ingest`) leaves them.
const QueueSend = "send"

// InsertOpts puts send jobs on QueueSend. Ten attempts with River's
// exponential backoff span about a day of retries for temporary failures.
func (SendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueSend, MaxAttempts: 10}
}

// PendingJobs counts the jobs of a kind that are waiting to run now or
// running. Jobs waiting for a retry after an error are not counted.
func (s *Store) PendingJobs(ctx context.Context, kind string) (int, error) {
	var n int
	err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM river_job
		WHERE kind = $1 AND state IN ('available', 'running')`, kind)
	if err != nil {
		return 0, fmt.Errorf("count pending %s jobs: %w", kind, err)
	}
	return n, nil
}
