package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode"

	"github.com/lib/pq"

	"switchboard/workflows"
)

// QueueFilter selects requests for the web queue. Empty fields match
// everything. Query is a web-search style query (words, "phrases", -not,
// or) over the subject, the sender and the body.
type QueueFilter struct {
	Status    workflows.Status
	Kind      workflows.Kind // also matches a mixed request with this ask
	Mailbox   string         // one mailbox address
	Mailboxes []string       // any of these mailbox addresses
	Query     string
	BeforeID  int64
	Limit     int // 50 when 0, at most 500
}

// QueueItem is one line of the web queue.
type QueueItem struct {
	RequestSummary
	Mailbox   string     `db:"mailbox"`
	ClaimedBy string     `db:"claimed_by"`
	ClaimedAt *time.Time `db:"claimed_at"`
}

// StatusCount is how many requests are in one status.
type StatusCount struct {
	Status workflows.Status `db:"status"`
	N      int              `db:"n"`
}

// Claim says who is reviewing a request.
type Claim struct {
	ClaimedBy string    `db:"claimed_by"`
	UserID    int64     `db:"user_id"`
	ClaimedAt time.Time `db:"claimed_at"`
}

// AuditEntry is one row of audit_log, with before and after as JSON text.
type AuditEntry struct {
	ID          int64     `db:"id"`
	Actor       string    `db:"actor"`
	Action      string    `db:"action"`
	SubjectType string    `db:"subject_type"`
	SubjectID   int64     `db:"subject_id"`
	Before      string    `db:"before"`
	After       string    `db:"after"`
	At          time.Time `db:"at"`
}

// FailedDraft is one draft whose send failed or whose outcome is unknown.
type FailedDraft struct {
	DraftID   int64                 `db:"draft_id"`
	RequestID int64                 `db:"request_id"`
	Status    workflows.DraftStatus `db:"status"`
	Subject   string                `db:"subject"`
	To        Addresses             `db:"to_addrs"`
	Attempts  int                   `db:"attempts"`
	LastError string                `db:"last_error"`
	UpdatedAt time.Time             `db:"updated_at"`
}

// Attachment is one stored attachment with its bytes and the request of its
// message (0 when none).
type Attachment struct {
	AttachmentInfo
	Data      []byte `db:"data"`
	RequestID int64  `db:"request_id"`
}

var (
	qSearchRequests         = q("search_requests")
	qStatusCounts           = q("status_counts")
	qOldestWaiting          = q("oldest_waiting")
	qMailboxAddresses       = q("mailbox_addresses")
	qDraftsOfRequests       = q("drafts_of_requests")
	qDraft                  = q("draft")
	qEditDraft              = q("edit_draft")
	qClaimRequest           = q("claim_request")
	qReleaseClaim           = q("release_claim")
	qRequestClaim           = q("request_claim")
	qRequestAudit           = q("request_audit")
	qFailedDrafts           = q("failed_drafts")
	qRetryDraft             = q("retry_draft")
	qAttachment             = q("attachment")
	qSupersedeDrafts        = q("supersede_drafts")
	qDeleteCandidates       = q("delete_candidates")
	qReclassifyRequest      = q("reclassify_request")
	qInsertClassifierSample = q("insert_classifier_example")
)

// Queue lists requests for the web queue, newest first.
func (s *Store) Queue(ctx context.Context, f QueueFilter) ([]QueueItem, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	var out []QueueItem
	if err := s.db.SelectContext(ctx, &out, qSearchRequests, f.Status, f.Kind, f.Mailbox, f.Query, f.BeforeID, limit,
		pq.StringArray(orEmpty(f.Mailboxes))); err != nil {
		return nil, fmt.Errorf("search requests: %w", err)
	}
	page := make([]*RequestSummary, len(out))
	for i := range out {
		page[i] = &out[i].RequestSummary
	}
	return out, s.hideLeaderAddresses(ctx, page)
}

// StatusCounts counts the requests in each status that has any.
func (s *Store) StatusCounts(ctx context.Context) ([]StatusCount, error) {
	var out []StatusCount
	if err := s.db.SelectContext(ctx, &out, qStatusCounts); err != nil {
		return nil, fmt.Errorf("count requests: %w", err)
	}
	return out, nil
}

// OldestWaiting is when the oldest request awaiting a person (drafted or
// needs triage) arrived; nil when none waits.
func (s *Store) OldestWaiting(ctx context.Context) (*time.Time, error) {
	var t sql.NullTime
	if err := s.db.GetContext(ctx, &t, qOldestWaiting); err != nil {
		return nil, fmt.Errorf("oldest waiting request: %w", err)
	}
	if !t.Valid {
		return nil, nil
	}
	return &t.Time, nil
}

// MailboxAddresses lists the watched mailboxes.
func (s *Store) MailboxAddresses(ctx context.Context) ([]string, error) {
	var out []string
	if err := s.db.SelectContext(ctx, &out, qMailboxAddresses); err != nil {
		return nil, fmt.Errorf("list mailboxes: %w", err)
	}
	return out, nil
}

// DraftsOfRequests loads the drafts of many requests in one query, ordered
// by request then draft.
func (s *Store) DraftsOfRequests(ctx context.Context, requestIDs []int64) ([]Draft, error) {
	var out []Draft
	if err := s.db.SelectContext(ctx, &out, qDraftsOfRequests, pq.Int64Array(requestIDs)); err != nil {
		return nil, fmt.Errorf("load drafts: %w", err)
	}
	return out, nil
}

// Draft returns draft id.
func (s *Store) Draft(ctx context.Context, id int64) (Draft, error) {
	var d Draft
	if err := s.db.GetContext(ctx, &d, qDraft, id); err != nil {
		return Draft{}, fmt.Errorf("get draft %d: %w", id, mapErr(err))
	}
	return d, nil
}

// EditDraft replaces the subject, text and HTML of a draft that awaits
// approval, with an audit row holding the old and new content. Editing a
// draft in any other state is ErrConflict; a subject with a line break or
// another control character (checkSubject) is ErrInvalidSubject.
func (s *Store) EditDraft(ctx context.Context, draftID int64, subject, text, html, by string) error {
	if err := checkSubject(subject); err != nil {
		return fmt.Errorf("edit draft %d: %w", draftID, err)
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("edit draft %d: %w", draftID, err)
	}
	defer tx.Rollback()
	now := time.Now()
	var d Draft
	if err := tx.GetContext(ctx, &d, qDraftForUpdate, draftID); err != nil {
		return fmt.Errorf("edit draft %d: %w", draftID, mapErr(err))
	}
	if d.Status != workflows.DraftAwaiting {
		return fmt.Errorf("edit draft %d: draft is %s: %w", draftID, d.Status, ErrConflict)
	}
	if _, err := tx.ExecContext(ctx, qEditDraft, draftID, subject, text, html, now); err != nil {
		return fmt.Errorf("edit draft %d: %w", draftID, err)
	}
	before := map[string]any{"subject": d.Subject, "text": d.Text, "html": d.HTML}
	after := map[string]any{"subject": subject, "text": text, "html": html}
	if err := audit(ctx, tx, by, "draft.edit", "draft", draftID, before, after, now); err != nil {
		return fmt.Errorf("edit draft %d: %w", draftID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("edit draft %d: %w", draftID, err)
	}
	return nil
}

// ClaimRequest records that user userID is reviewing request requestID,
// replacing any earlier claim. A claim is advisory: it blocks nothing.
func (s *Store) ClaimRequest(ctx context.Context, requestID, userID int64) error {
	if _, err := s.db.ExecContext(ctx, qClaimRequest, requestID, userID, time.Now()); err != nil {
		return fmt.Errorf("claim request %d: %w", requestID, mapErr(err))
	}
	return nil
}

// ReleaseClaim removes user userID's claim on request requestID, if any.
func (s *Store) ReleaseClaim(ctx context.Context, requestID, userID int64) error {
	if _, err := s.db.ExecContext(ctx, qReleaseClaim, requestID, userID); err != nil {
		return fmt.Errorf("release claim on request %d: %w", requestID, err)
	}
	return nil
}

// RequestClaim returns who claimed request requestID; ErrNotFound when no
// one did.
func (s *Store) RequestClaim(ctx context.Context, requestID int64) (Claim, error) {
	var c Claim
	if err := s.db.GetContext(ctx, &c, qRequestClaim, requestID); err != nil {
		return Claim{}, fmt.Errorf("get claim on request %d: %w", requestID, mapErr(err))
	}
	return c, nil
}

// RequestAudit returns the audit rows of request requestID and its drafts,
// oldest first.
func (s *Store) RequestAudit(ctx context.Context, requestID int64) ([]AuditEntry, error) {
	var out []AuditEntry
	if err := s.db.SelectContext(ctx, &out, qRequestAudit, requestID); err != nil {
		return nil, fmt.Errorf("audit of request %d: %w", requestID, err)
	}
	return out, nil
}

// FailedDrafts lists up to limit drafts that failed or whose send outcome is
// unknown, most recent first.
func (s *Store) FailedDrafts(ctx context.Context, limit int) ([]FailedDraft, error) {
	var out []FailedDraft
	if err := s.db.SelectContext(ctx, &out, qFailedDrafts, limit); err != nil {
		return nil, fmt.Errorf("list failed drafts: %w", err)
	}
	return out, nil
}

// RetrySend puts a failed draft (or one whose outcome is unknown, after a
// person checked it was not delivered) back to approved and enqueues a send
// job, in one transaction with an audit row. The approval and its content
// hash are kept, so the same content is sent. Any other state is ErrConflict.
func (s *Store) RetrySend(ctx context.Context, draftID int64, by string) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("retry draft %d: %w", draftID, err)
	}
	defer tx.Rollback()
	now := time.Now()
	var d Draft
	if err := tx.GetContext(ctx, &d, qDraftForUpdate, draftID); err != nil {
		return fmt.Errorf("retry draft %d: %w", draftID, mapErr(err))
	}
	if d.Status != workflows.DraftFailed && d.Status != workflows.DraftUnknown {
		return fmt.Errorf("retry draft %d: draft is %s: %w", draftID, d.Status, ErrConflict)
	}
	if _, err := tx.ExecContext(ctx, qRetryDraft, draftID, now); err != nil {
		return fmt.Errorf("retry draft %d: %w", draftID, err)
	}
	if _, err := tx.ExecContext(ctx, qSetRequestStatus, d.RequestID, workflows.StatusApproved, now); err != nil {
		return fmt.Errorf("retry draft %d: %w", draftID, err)
	}
	if err := audit(ctx, tx, by, "draft.retry", "draft", draftID,
		map[string]any{"status": d.Status, "last_error": d.LastError}, map[string]any{"status": workflows.DraftApproved}, now); err != nil {
		return fmt.Errorf("retry draft %d: %w", draftID, err)
	}
	if _, err := s.river.InsertTx(ctx, tx.Tx, SendArgs{DraftID: draftID}, nil); err != nil {
		return fmt.Errorf("retry draft %d: enqueue send: %w", draftID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("retry draft %d: %w", draftID, err)
	}
	return nil
}

// Attachment returns attachment id with its bytes.
func (s *Store) Attachment(ctx context.Context, id int64) (Attachment, error) {
	var a Attachment
	if err := s.db.GetContext(ctx, &a, qAttachment, id); err != nil {
		return Attachment{}, fmt.Errorf("get attachment %d: %w", id, mapErr(err))
	}
	return a, nil
}

// Reclassification is what re-drafting a request under a kind a person chose
// produced.
type Reclassification struct {
	RequestID      int64
	Classification workflows.Classification
	Status         workflows.Status
	Drafts         []NewDraft
	Candidates     []Candidate
	By             string
}

// Reclassify replaces the classification of a request that awaits a person
// (drafted or needs triage): its drafts awaiting approval are superseded
// (rejected), the new drafts and candidates stored, the correction kept as a
// labelled example in classifier_examples, and an audit row written, in one
// transaction. A request in any other state is ErrConflict.
func (s *Store) Reclassify(ctx context.Context, rc Reclassification) error {
	c := rc.Classification
	if !c.Kind.Valid() || !rc.Status.Valid() {
		return fmt.Errorf("reclassify request %d: invalid kind %q or status %q", rc.RequestID, c.Kind, rc.Status)
	}
	fields, err := jsonText(c.Fields)
	if err != nil {
		return fmt.Errorf("reclassify request %d: %w", rc.RequestID, err)
	}
	kinds := make([]string, len(c.Kinds))
	for i, k := range c.Kinds {
		kinds[i] = string(k)
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("reclassify request %d: %w", rc.RequestID, err)
	}
	defer tx.Rollback()
	now := time.Now()
	var r Request
	if err := tx.GetContext(ctx, &r, qRequestForUpdate, rc.RequestID); err != nil {
		return fmt.Errorf("reclassify request %d: %w", rc.RequestID, mapErr(err))
	}
	if r.Status != workflows.StatusDrafted && r.Status != workflows.StatusNeedsTriage {
		return fmt.Errorf("reclassify request %d: request is %s: %w", rc.RequestID, r.Status, ErrConflict)
	}
	steps := []struct {
		query string
		args  []any
	}{
		{qSupersedeDrafts, []any{rc.RequestID, now}},
		{qDeleteCandidates, []any{rc.RequestID}},
		{qReclassifyRequest, []any{rc.RequestID, c.Kind, pq.StringArray(kinds), rc.Status, c.Confidence, fields,
			pq.StringArray(orEmpty(c.Reasons)), "person:" + rc.By, now}},
		{qInsertClassifierSample, []any{rc.RequestID, r.MessageID, r.Kind, c.Kind, rc.By, now}},
	}
	for _, st := range steps {
		if _, err := tx.ExecContext(ctx, st.query, st.args...); err != nil {
			return fmt.Errorf("reclassify request %d: %w", rc.RequestID, err)
		}
	}
	if err := insertDrafts(ctx, tx, rc.RequestID, rc.Drafts, now); err != nil {
		return fmt.Errorf("reclassify request %d: %w", rc.RequestID, err)
	}
	if len(rc.Candidates) > 0 {
		gids := make([]int64, len(rc.Candidates))
		scores := make([]float64, len(rc.Candidates))
		for i, cand := range rc.Candidates {
			gids[i], scores[i] = cand.GroupID, cand.Score
		}
		if _, err := tx.ExecContext(ctx, qInsertCandidates, rc.RequestID, pq.Int64Array(gids), pq.Float64Array(scores)); err != nil {
			return fmt.Errorf("reclassify request %d: candidates: %w", rc.RequestID, err)
		}
	}
	if err := audit(ctx, tx, rc.By, "request.reclassify", "request", rc.RequestID,
		map[string]any{"kind": r.Kind, "status": r.Status},
		map[string]any{"kind": c.Kind, "status": rc.Status, "drafts": len(rc.Drafts)}, now); err != nil {
		return fmt.Errorf("reclassify request %d: %w", rc.RequestID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("reclassify request %d: %w", rc.RequestID, err)
	}
	return nil
}

// ErrInvalidSubject is a draft subject with a line break or another control
// character: printed as a header (queue show, the mail itself) it could
// forge header lines such as "Bcc:".
var ErrInvalidSubject = errors.New("the subject must be one line without control characters")

// checkSubject is ErrInvalidSubject when subject has a C0 or C1 control
// character (CR and LF among them), DEL, or a Unicode line or paragraph
// separator.
func checkSubject(subject string) error {
	for _, c := range subject {
		if unicode.IsControl(c) || c == '\u2028' || c == '\u2029' {
			return fmt.Errorf("%w (%U)", ErrInvalidSubject, c)
		}
	}
	return nil
}
