package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"
	"github.com/riverqueue/river"

	"switchboard/workflows"
)

// A press digest is a request of kind "digest" with no inbound message
// (00050_digests.sql) and one draft to the press team: it is approved and
// sent like any reply. The digests table records which stories it carries;
// a story is in at most one digest that is not rejected.

// Digest is one press digest.
type Digest struct {
	ID        int64         `db:"id"`
	RequestID int64         `db:"request_id"`
	CreatedBy string        `db:"created_by"`
	CreatedAt time.Time     `db:"created_at"`
	StoryIDs  pq.Int64Array `db:"story_ids"` // in the digest's order
}

// NewDigest is a digest to store: the stories it carries, in order, and
// its draft.
type NewDigest struct {
	StoryIDs []int64
	Draft    workflows.Draft
	By       string // who or what made it: "digest job", or a staff name
}

// MaxDigestStories bounds the stories of one digest; more wait for the next.
const MaxDigestStories = 50

var (
	qDigestPendingStories = q("digest_pending_stories")
	qDigestLock           = q("digest_lock")
	qDigestPendingCount   = q("digest_pending_count")
	qInsertDigestRequest  = q("insert_digest_request")
	qInsertDigest         = q("insert_digest")
	qInsertDigestStories  = q("insert_digest_stories")
	qLastDigestAt         = q("last_digest_at")
	qDigestByRequest      = q("digest_by_request")
)

// StoriesForDigest lists the approved stories that no digest carries yet
// (a rejected digest gives its stories back), oldest approval first, with
// their assets; at most MaxDigestStories.
func (s *Store) StoriesForDigest(ctx context.Context) ([]Story, error) {
	var out []Story
	if err := s.db.SelectContext(ctx, &out, qDigestPendingStories, MaxDigestStories); err != nil {
		return nil, fmt.Errorf("list stories for digest: %w", err)
	}
	if err := s.loadStoryChildren(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// CreateDigest stores a digest: its request (kind digest, drafted, no
// message), its draft awaiting approval with its inline parts, the stories
// it carries and an audit row, in one transaction. Digests are made one at
// a time (an advisory lock); a story that is no longer approved, or that
// another digest took meanwhile, makes it ErrConflict.
func (s *Store) CreateDigest(ctx context.Context, nd NewDigest) (requestID int64, err error) {
	if len(nd.StoryIDs) == 0 {
		return 0, errors.New("create digest: no stories")
	}
	if nd.By == "" {
		return 0, errors.New("create digest: say who makes it")
	}
	if nd.Draft.Kind != workflows.DraftPressDigest {
		return 0, fmt.Errorf("create digest: draft kind is %q, not %q", nd.Draft.Kind, workflows.DraftPressDigest)
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("create digest: %w", err)
	}
	defer tx.Rollback()
	now := time.Now()
	if _, err := tx.ExecContext(ctx, qDigestLock); err != nil {
		return 0, fmt.Errorf("create digest: lock: %w", err)
	}
	var pending int
	if err := tx.GetContext(ctx, &pending, qDigestPendingCount, pq.Int64Array(nd.StoryIDs)); err != nil {
		return 0, fmt.Errorf("create digest: %w", err)
	}
	if pending != len(nd.StoryIDs) {
		return 0, fmt.Errorf("create digest: %d of its %d stories are no longer waiting for a digest: %w",
			len(nd.StoryIDs)-pending, len(nd.StoryIDs), ErrConflict)
	}
	reasons := pq.StringArray{fmt.Sprintf("press digest of %d approved stories, made by %s", len(nd.StoryIDs), nd.By)}
	if err := tx.GetContext(ctx, &requestID, qInsertDigestRequest, reasons, nd.By, now); err != nil {
		return 0, fmt.Errorf("create digest: request: %w", err)
	}
	if err := insertDrafts(ctx, tx, requestID, []NewDraft{nd.Draft}, now); err != nil {
		return 0, fmt.Errorf("create digest: %w", err)
	}
	var digestID int64
	if err := tx.GetContext(ctx, &digestID, qInsertDigest, requestID, nd.By, now); err != nil {
		return 0, fmt.Errorf("create digest: %w", err)
	}
	if _, err := tx.ExecContext(ctx, qInsertDigestStories, digestID, pq.Int64Array(nd.StoryIDs)); err != nil {
		return 0, fmt.Errorf("create digest: stories: %w", err)
	}
	after := map[string]any{"kind": workflows.KindDigest, "status": workflows.StatusDrafted, "digest_id": digestID,
		"story_ids": nd.StoryIDs, "drafts": 1}
	if err := audit(ctx, tx, nd.By, "request.create", "request", requestID, nil, after, now); err != nil {
		return 0, fmt.Errorf("create digest: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("create digest: %w", err)
	}
	s.logger.InfoContext(ctx, "digest created", "request_id", requestID, "stories", len(nd.StoryIDs))
	return requestID, nil
}

// LastDigestAt returns when the newest digest was made, rejected or not;
// ok is false when there is none.
func (s *Store) LastDigestAt(ctx context.Context) (at time.Time, ok bool, err error) {
	var t sql.NullTime
	if err := s.db.GetContext(ctx, &t, qLastDigestAt); err != nil {
		return time.Time{}, false, fmt.Errorf("get last digest time: %w", err)
	}
	return t.Time, t.Valid, nil
}

// DigestByRequest returns the digest of request requestID.
func (s *Store) DigestByRequest(ctx context.Context, requestID int64) (Digest, error) {
	var d Digest
	if err := s.db.GetContext(ctx, &d, qDigestByRequest, requestID); err != nil {
		return Digest{}, fmt.Errorf("get digest of request %d: %w", requestID, mapErr(err))
	}
	return d, nil
}

// digestRequest completes the detail of a digest request, which has no
// inbound message: its drafts, and in place of the message a subject and a
// note that say what it is, so that every reader of RequestDetail (queue
// show, the review page) works unchanged.
func (s *Store) digestRequest(ctx context.Context, d RequestDetail) (RequestDetail, error) {
	if err := s.db.SelectContext(ctx, &d.Drafts, qRequestDrafts, d.ID); err != nil {
		return RequestDetail{}, fmt.Errorf("get request %d: drafts: %w", d.ID, err)
	}
	g, err := s.DigestByRequest(ctx, d.ID)
	if err != nil {
		return RequestDetail{}, fmt.Errorf("get request %d: %w", d.ID, err)
	}
	d.Message = StoredMessage{Mailbox: "digest", ReceivedAt: g.CreatedAt, InternalDate: g.CreatedAt,
		TextBody: fmt.Sprintf("(no inbound message: a press digest of %d approved stories (ids %v), made by %s)",
			len(g.StoryIDs), []int64(g.StoryIDs), g.CreatedBy)}
	if len(d.Drafts) > 0 {
		d.Message.Subject = d.Drafts[0].Subject
	}
	return d, nil
}

// DigestArgs is the River job that drafts a press digest when one is due
// (jobs: the digest worker); River's periodic scheduler enqueues it.
type DigestArgs struct{}

// Kind is the River job kind, "digest".
func (DigestArgs) Kind() string { return "digest" }

// InsertOpts puts digest jobs on their own queue, one at a time.
func (DigestArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueDigest, MaxAttempts: 3}
}

// QueueDigest is the River queue of digest jobs.
const QueueDigest = "digest"
