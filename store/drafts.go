package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/riverqueue/river"

	"switchboard/workflows"
)

// ErrAlreadySent means the draft was sent already: never send it again. It
// wraps ErrConflict.
var ErrAlreadySent = fmt.Errorf("draft already sent: %w", ErrConflict)

// ErrSendUnknown means an earlier send of the draft started and never
// recorded its outcome (a crash mid-send). The draft is marked unknown for a
// person to decide; never resend it blindly. It wraps ErrConflict.
var ErrSendUnknown = fmt.Errorf("draft send outcome unknown: %w", ErrConflict)

// Draft is one outgoing mail.
type Draft struct {
	ID            int64                 `db:"id"`
	RequestID     int64                 `db:"request_id"`
	Kind          workflows.DraftKind   `db:"kind"`
	Status        workflows.DraftStatus `db:"status"`
	To            Addresses             `db:"to_addrs"`
	Cc            Addresses             `db:"cc_addrs"`
	ReplyTo       Addresses             `db:"reply_to"`
	Subject       string                `db:"subject"`
	Text          string                `db:"text_body"`
	HTML          string                `db:"html_body"`
	InReplyTo     string                `db:"in_reply_to"`
	References    pq.StringArray        `db:"references"`
	GroupIDs      pq.Int64Array         `db:"group_ids"`
	ApprovedBy    string                `db:"approved_by"`
	ApprovedAt    *time.Time            `db:"approved_at"`
	ContentSHA256 string                `db:"content_sha256"` // ContentHash at approval
	SMTPMessageID string                `db:"smtp_message_id"`
	Attempts      int                   `db:"attempts"`
	LastError     string                `db:"last_error"`
	SentAt        *time.Time            `db:"sent_at"`
	CreatedAt     time.Time             `db:"created_at"`
	UpdatedAt     time.Time             `db:"updated_at"`
	// Attachments are the draft's files without their bytes
	// (DraftAttachments loads those).
	Attachments AttachmentMetas `db:"attachments"`
}

// AttachmentMetas is the jsonb list of a draft's attachments, without data.
type AttachmentMetas []workflows.DraftAttachment

// Scan implements sql.Scanner.
func (a *AttachmentMetas) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*a = nil
		return nil
	case []byte:
		return json.Unmarshal(v, (*[]workflows.DraftAttachment)(a))
	case string:
		return json.Unmarshal([]byte(v), (*[]workflows.DraftAttachment)(a))
	}
	return fmt.Errorf("scan attachments: unexpected %T", src)
}

// Mail returns the draft's content as the domain type.
func (d Draft) Mail() workflows.Draft {
	return workflows.Draft{Kind: d.Kind, To: d.To, Cc: d.Cc, ReplyTo: d.ReplyTo, Subject: d.Subject, Text: d.Text,
		HTML: d.HTML, InReplyTo: d.InReplyTo, References: d.References, GroupIDs: d.GroupIDs, Attachments: d.Attachments}
}

// ContentHash is workflows.Draft.ContentHash of the draft: the hash of
// exactly what a person approves. ClaimDraftForSend compares it with
// ContentSHA256 before handing the draft out.
func (d Draft) ContentHash() string { return d.Mail().ContentHash() }

var (
	qDraftForUpdate          = q("draft_for_update")
	qAwaitingDraftsForUpdate = q("awaiting_drafts_for_update")
	qApproveDrafts           = q("approve_drafts")
	qRejectDrafts            = q("reject_drafts")
	qClaimDraft              = q("claim_draft")
	qSetDraftStatus          = q("set_draft_status")
	qMarkDraftSent           = q("mark_draft_sent")
	qSyncRequestStatus       = q("sync_request_status")
	qReserveDraftIDs         = q("reserve_draft_ids")
	qInsertDraftAttachments  = q("insert_draft_attachments")
	qDraftAttachments        = q("draft_attachments")
)

// DraftAttachments returns the files attached to draft draftID, with their
// bytes, in order.
func (s *Store) DraftAttachments(ctx context.Context, draftID int64) ([]workflows.DraftAttachment, error) {
	var out []workflows.DraftAttachment
	rows, err := s.db.QueryxContext(ctx, qDraftAttachments, draftID)
	if err != nil {
		return nil, fmt.Errorf("list attachments of draft %d: %w", draftID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a workflows.DraftAttachment
		if err := rows.Scan(&a.Filename, &a.ContentType, &a.SHA256, &a.Size, &a.Data, &a.ContentID); err != nil {
			return nil, fmt.Errorf("list attachments of draft %d: %w", draftID, err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list attachments of draft %d: %w", draftID, err)
	}
	return out, nil
}

// Approve approves every draft of request requestID that awaits approval, in
// one transaction: each gets who, when and the hash of its content, the
// request becomes approved, an audit row is written and one send job per
// draft is enqueued. Approving a request that is not awaiting approval is
// ErrConflict.
func (s *Store) Approve(ctx context.Context, requestID int64, by string) error {
	if by == "" {
		return fmt.Errorf("approve request %d: approver is required", requestID)
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("approve request %d: %w", requestID, err)
	}
	defer tx.Rollback()
	now := time.Now()
	var r Request
	if err := tx.GetContext(ctx, &r, qRequestForUpdate, requestID); err != nil {
		return fmt.Errorf("approve request %d: %w", requestID, mapErr(err))
	}
	if r.Status != workflows.StatusDrafted && r.Status != workflows.StatusNeedsTriage {
		return fmt.Errorf("approve request %d: request is %s: %w", requestID, r.Status, ErrConflict)
	}
	var drafts []Draft
	if err := tx.SelectContext(ctx, &drafts, qAwaitingDraftsForUpdate, requestID); err != nil {
		return fmt.Errorf("approve request %d: %w", requestID, err)
	}
	if len(drafts) == 0 {
		return fmt.Errorf("approve request %d: no draft awaits approval: %w", requestID, ErrConflict)
	}
	ids := make([]int64, len(drafts))
	sums := make([]string, len(drafts))
	jobs := make([]river.InsertManyParams, len(drafts))
	for i, d := range drafts {
		ids[i], sums[i] = d.ID, d.ContentHash()
		jobs[i] = river.InsertManyParams{Args: SendArgs{DraftID: d.ID}}
	}
	if _, err := tx.ExecContext(ctx, qApproveDrafts, pq.Int64Array(ids), by, now, pq.StringArray(sums)); err != nil {
		return fmt.Errorf("approve request %d: %w", requestID, err)
	}
	if _, err := tx.ExecContext(ctx, qSetRequestStatus, requestID, workflows.StatusApproved, now); err != nil {
		return fmt.Errorf("approve request %d: %w", requestID, err)
	}
	if err := audit(ctx, tx, by, "request.approve", "request", requestID,
		map[string]any{"status": r.Status},
		map[string]any{"status": workflows.StatusApproved, "draft_ids": ids, "content_sha256": sums}, now); err != nil {
		return fmt.Errorf("approve request %d: %w", requestID, err)
	}
	if _, err := s.river.InsertManyTx(ctx, tx.Tx, jobs); err != nil {
		return fmt.Errorf("approve request %d: enqueue send: %w", requestID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("approve request %d: %w", requestID, err)
	}
	s.logger.InfoContext(ctx, "request approved", "request_id", requestID, "drafts", len(ids))
	return nil
}

// Reject rejects request requestID and its drafts awaiting approval, with the
// reason in the audit row. A request already approved or sent is ErrConflict.
func (s *Store) Reject(ctx context.Context, requestID int64, by, reason string) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("reject request %d: %w", requestID, err)
	}
	defer tx.Rollback()
	now := time.Now()
	var r Request
	if err := tx.GetContext(ctx, &r, qRequestForUpdate, requestID); err != nil {
		return fmt.Errorf("reject request %d: %w", requestID, mapErr(err))
	}
	switch r.Status {
	case workflows.StatusReceived, workflows.StatusClassified, workflows.StatusDrafted, workflows.StatusNeedsTriage:
	default:
		return fmt.Errorf("reject request %d: request is %s: %w", requestID, r.Status, ErrConflict)
	}
	if _, err := tx.ExecContext(ctx, qRejectDrafts, requestID, now); err != nil {
		return fmt.Errorf("reject request %d: %w", requestID, err)
	}
	if _, err := tx.ExecContext(ctx, qSetRequestStatus, requestID, workflows.StatusRejected, now); err != nil {
		return fmt.Errorf("reject request %d: %w", requestID, err)
	}
	if err := audit(ctx, tx, by, "request.reject", "request", requestID,
		map[string]any{"status": r.Status},
		map[string]any{"status": workflows.StatusRejected, "reason": reason}, now); err != nil {
		return fmt.Errorf("reject request %d: %w", requestID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("reject request %d: %w", requestID, err)
	}
	return nil
}

// ClaimDraftForSend moves approved draft draftID to sending, stores its
// Message-ID (newMessageID, without <>, unless an earlier attempt stored one)
// and counts the attempt, before any SMTP dial. A draft found sending was
// left by a crash: it is marked unknown and ErrSendUnknown returned; a draft
// unknown already is ErrSendUnknown, one sent is ErrAlreadySent; any other
// state, or content that no longer matches its approval, is ErrConflict.
func (s *Store) ClaimDraftForSend(ctx context.Context, draftID int64, newMessageID string) (Draft, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return Draft{}, fmt.Errorf("claim draft %d: %w", draftID, err)
	}
	defer tx.Rollback()
	now := time.Now()
	var d Draft
	if err := tx.GetContext(ctx, &d, qDraftForUpdate, draftID); err != nil {
		return Draft{}, fmt.Errorf("claim draft %d: %w", draftID, mapErr(err))
	}
	switch d.Status {
	case workflows.DraftApproved:
	case workflows.DraftSending:
		if err := setDraftStatus(ctx, tx, d, workflows.DraftUnknown, "send outcome unknown: found sending at claim", now); err != nil {
			return Draft{}, fmt.Errorf("claim draft %d: %w", draftID, err)
		}
		if err := tx.Commit(); err != nil {
			return Draft{}, fmt.Errorf("claim draft %d: %w", draftID, err)
		}
		s.logger.WarnContext(ctx, "draft send outcome unknown", "draft_id", draftID, "request_id", d.RequestID)
		return Draft{}, fmt.Errorf("claim draft %d: %w", draftID, ErrSendUnknown)
	case workflows.DraftUnknown:
		return Draft{}, fmt.Errorf("claim draft %d: %w", draftID, ErrSendUnknown)
	case workflows.DraftSent:
		return Draft{}, fmt.Errorf("claim draft %d: %w", draftID, ErrAlreadySent)
	default:
		return Draft{}, fmt.Errorf("claim draft %d: draft is %s: %w", draftID, d.Status, ErrConflict)
	}
	if d.ApprovedAt == nil || d.ContentSHA256 != d.ContentHash() {
		return Draft{}, fmt.Errorf("claim draft %d: content differs from its approval: %w", draftID, ErrConflict)
	}
	var claimed Draft
	if err := tx.GetContext(ctx, &claimed, qClaimDraft, draftID, newMessageID, now); err != nil {
		return Draft{}, fmt.Errorf("claim draft %d: %w", draftID, mapErr(err))
	}
	if err := syncRequest(ctx, tx, d.RequestID, now); err != nil {
		return Draft{}, fmt.Errorf("claim draft %d: %w", draftID, err)
	}
	if err := audit(ctx, tx, "mailout", "draft.claim", "draft", draftID,
		map[string]any{"status": d.Status}, map[string]any{"status": claimed.Status, "attempts": claimed.Attempts}, now); err != nil {
		return Draft{}, fmt.Errorf("claim draft %d: %w", draftID, err)
	}
	if err := tx.Commit(); err != nil {
		return Draft{}, fmt.Errorf("claim draft %d: %w", draftID, err)
	}
	return claimed, nil
}

// MarkDraftSent records that draft draftID, claimed for sending, was
// accepted by the SMTP server; its request becomes sent when all its drafts
// are.
func (s *Store) MarkDraftSent(ctx context.Context, draftID int64) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("mark draft %d sent: %w", draftID, err)
	}
	defer tx.Rollback()
	now := time.Now()
	var d Draft
	if err := tx.GetContext(ctx, &d, qDraftForUpdate, draftID); err != nil {
		return fmt.Errorf("mark draft %d sent: %w", draftID, mapErr(err))
	}
	if d.Status != workflows.DraftSending && d.Status != workflows.DraftUnknown {
		return fmt.Errorf("mark draft %d sent: draft is %s: %w", draftID, d.Status, ErrConflict)
	}
	if _, err := tx.ExecContext(ctx, qMarkDraftSent, draftID, now); err != nil {
		return fmt.Errorf("mark draft %d sent: %w", draftID, err)
	}
	if err := syncRequest(ctx, tx, d.RequestID, now); err != nil {
		return fmt.Errorf("mark draft %d sent: %w", draftID, err)
	}
	if err := audit(ctx, tx, "mailout", "draft.sent", "draft", draftID,
		map[string]any{"status": d.Status}, map[string]any{"status": workflows.DraftSent}, now); err != nil {
		return fmt.Errorf("mark draft %d sent: %w", draftID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("mark draft %d sent: %w", draftID, err)
	}
	return nil
}

// MarkDraftFailed records a failed send of draft draftID, claimed for
// sending. When final is false the draft returns to approved for the next
// attempt; call it only when the server surely did not accept the mail.
// When final is true the draft and its request become failed.
func (s *Store) MarkDraftFailed(ctx context.Context, draftID int64, sendErr error, final bool) error {
	msg := "unknown error"
	if sendErr != nil {
		msg = sendErr.Error()
	}
	to := workflows.DraftApproved
	if final {
		to = workflows.DraftFailed
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("mark draft %d failed: %w", draftID, err)
	}
	defer tx.Rollback()
	now := time.Now()
	var d Draft
	if err := tx.GetContext(ctx, &d, qDraftForUpdate, draftID); err != nil {
		return fmt.Errorf("mark draft %d failed: %w", draftID, mapErr(err))
	}
	if d.Status != workflows.DraftSending {
		return fmt.Errorf("mark draft %d failed: draft is %s: %w", draftID, d.Status, ErrConflict)
	}
	if err := setDraftStatus(ctx, tx, d, to, msg, now); err != nil {
		return fmt.Errorf("mark draft %d failed: %w", draftID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("mark draft %d failed: %w", draftID, err)
	}
	return nil
}

// setDraftStatus moves draft d to status with lastError, writes its audit row
// and brings its request's status along.
func setDraftStatus(ctx context.Context, tx *sqlx.Tx, d Draft, status workflows.DraftStatus, lastError string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, qSetDraftStatus, d.ID, status, lastError, now); err != nil {
		return fmt.Errorf("set draft status: %w", err)
	}
	if err := syncRequest(ctx, tx, d.RequestID, now); err != nil {
		return err
	}
	return audit(ctx, tx, "mailout", "draft."+string(status), "draft", d.ID,
		map[string]any{"status": d.Status}, map[string]any{"status": status, "error": lastError}, now)
}

// syncRequest sets the status of an approved request from its drafts.
func syncRequest(ctx context.Context, tx *sqlx.Tx, requestID int64, now time.Time) error {
	var status string
	err := tx.GetContext(ctx, &status, qSyncRequestStatus, requestID, now)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sync request %d status: %w", requestID, err)
	}
	return nil
}
