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

	"switchboard/workflows"
)

// NewRequest is what processing one message decided: its classification,
// the request status, the drafted replies and the candidate groups.
type NewRequest struct {
	MessageID      int64
	Classification workflows.Classification
	Status         workflows.Status
	ClassifiedBy   string // "rules" when empty
	Drafts         []NewDraft
	Candidates     []Candidate
}

// NewDraft is one drafted outgoing mail, stored awaiting approval.
type NewDraft = workflows.Draft

// Candidate is a group that may be the one a message means, with a score
// (higher is likelier).
type Candidate struct {
	GroupID int64   `db:"group_id"`
	Name    string  `db:"name"`
	City    string  `db:"city"`
	State   string  `db:"state"`
	Score   float64 `db:"score"`
}

// RequestFilter selects requests for the staff queue. Empty fields match
// everything; BeforeID pages backwards from a request id.
type RequestFilter struct {
	Status   workflows.Status
	Kind     workflows.Kind
	BeforeID int64
	Limit    int // 50 when 0, at most 500
}

// RequestSummary is one line of the staff queue.
type RequestSummary struct {
	ID        int64 `db:"id"`
	MessageID int64 `db:"message_id"` // the stored message's id
	// HeaderMessageID is the message's RFC 5322 Message-ID, without <>.
	HeaderMessageID string           `db:"header_message_id"`
	Kind            workflows.Kind   `db:"kind"`
	Status          workflows.Status `db:"status"`
	From            string           `db:"from_addr"`
	FromName        string           `db:"from_name"`
	Subject         string           `db:"subject"`
	CreatedAt       time.Time        `db:"created_at"`
	// Date is the message's Date header, when the leader wrote it; nil when
	// the message has none or it could not be read.
	Date *time.Time `db:"date"`
}

// Request is one stored request.
type Request struct {
	ID             int64            `db:"id"`
	MessageID      int64            `db:"message_id"`
	Kind           workflows.Kind   `db:"kind"`
	Kinds          pq.StringArray   `db:"kinds"`
	Status         workflows.Status `db:"status"`
	Confidence     float64          `db:"confidence"`
	Extracted      json.RawMessage  `db:"extracted"` // workflows.Fields as JSON
	Reasons        pq.StringArray   `db:"reasons"`
	RequesterEmail string           `db:"requester_email"`
	ThreadRoot     string           `db:"thread_root"`
	ClassifiedBy   string           `db:"classified_by"`
	CreatedAt      time.Time        `db:"created_at"`
	UpdatedAt      time.Time        `db:"updated_at"`
}

// Fields decodes the extracted fields.
func (r Request) Fields() (workflows.Fields, error) {
	var f workflows.Fields
	if err := json.Unmarshal(r.Extracted, &f); err != nil {
		return workflows.Fields{}, fmt.Errorf("decode fields of request %d: %w", r.ID, err)
	}
	return f, nil
}

// RequestDetail is a request with everything the review page shows.
type RequestDetail struct {
	Request
	Fields      workflows.Fields
	Message     StoredMessage // without Raw
	Drafts      []Draft
	Candidates  []Candidate
	Attachments []AttachmentInfo
}

var (
	qInsertRequest      = q("insert_request")
	qRequestIDByMessage = q("request_id_by_message")
	qInsertDrafts       = q("insert_drafts")
	qInsertCandidates   = q("insert_candidates")
	qListRequests       = q("list_requests")
	qRequest            = q("request")
	qRequestForUpdate   = q("request_for_update")
	qMessageHeaders     = q("message_headers")
	qRequestDrafts      = q("request_drafts")
	qRequestCandidates  = q("request_candidates")
	qMessageAttachments = q("message_attachments")
	qSetRequestStatus   = q("set_request_status")
)

// draftRow is the JSON shape insert_drafts reads with jsonb_to_record.
type draftRow struct {
	Kind       workflows.DraftKind `json:"kind"`
	To         []workflows.Address `json:"to_addrs"`
	Cc         []workflows.Address `json:"cc_addrs"`
	ReplyTo    []workflows.Address `json:"reply_to"`
	Subject    string              `json:"subject"`
	Text       string              `json:"text_body"`
	HTML       string              `json:"html_body"`
	InReplyTo  string              `json:"in_reply_to"`
	References []string            `json:"references"`
	GroupIDs   []int64             `json:"group_ids"`
}

// CreateRequest stores the request for one message with its drafts and
// candidates and an audit row, in one transaction. It is idempotent per
// message: when the message already has a request, it returns that id and
// changes nothing.
func (s *Store) CreateRequest(ctx context.Context, nr NewRequest) (int64, error) {
	c := nr.Classification
	if !c.Kind.Valid() {
		return 0, fmt.Errorf("create request for message %d: invalid kind %q", nr.MessageID, c.Kind)
	}
	if !nr.Status.Valid() {
		return 0, fmt.Errorf("create request for message %d: invalid status %q", nr.MessageID, nr.Status)
	}
	by := nr.ClassifiedBy
	if by == "" {
		by = "rules"
	}
	fields, err := jsonText(c.Fields)
	if err != nil {
		return 0, fmt.Errorf("create request for message %d: %w", nr.MessageID, err)
	}
	kinds := make([]string, len(c.Kinds))
	for i, k := range c.Kinds {
		kinds[i] = string(k)
	}

	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("create request for message %d: %w", nr.MessageID, err)
	}
	defer tx.Rollback()
	now := time.Now()
	var id int64
	err = tx.GetContext(ctx, &id, qInsertRequest, nr.MessageID, c.Kind, pq.StringArray(kinds), nr.Status,
		c.Confidence, fields, pq.StringArray(orEmpty(c.Reasons)), by, now)
	if errors.Is(err, sql.ErrNoRows) {
		if err := tx.GetContext(ctx, &id, qRequestIDByMessage, nr.MessageID); err != nil {
			return 0, fmt.Errorf("create request for message %d: %w", nr.MessageID, mapErr(err))
		}
		return id, nil
	}
	if err != nil {
		return 0, fmt.Errorf("create request for message %d: %w", nr.MessageID, mapErr(err))
	}
	if err := insertDrafts(ctx, tx, id, nr.Drafts, now); err != nil {
		return 0, fmt.Errorf("create request for message %d: %w", nr.MessageID, err)
	}
	if len(nr.Candidates) > 0 {
		gids := make([]int64, len(nr.Candidates))
		scores := make([]float64, len(nr.Candidates))
		for i, cand := range nr.Candidates {
			gids[i], scores[i] = cand.GroupID, cand.Score
		}
		if _, err := tx.ExecContext(ctx, qInsertCandidates, id, pq.Int64Array(gids), pq.Float64Array(scores)); err != nil {
			return 0, fmt.Errorf("create request for message %d: candidates: %w", nr.MessageID, err)
		}
	}
	after := map[string]any{"message_id": nr.MessageID, "kind": c.Kind, "status": nr.Status,
		"confidence": c.Confidence, "drafts": len(nr.Drafts)}
	if err := audit(ctx, tx, by, "request.create", "request", id, nil, after, now); err != nil {
		return 0, fmt.Errorf("create request for message %d: %w", nr.MessageID, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("create request for message %d: %w", nr.MessageID, err)
	}
	s.logger.InfoContext(ctx, "request created", "request_id", id, "message_id", nr.MessageID)
	return id, nil
}

// Requests lists requests for the staff queue, newest first.
func (s *Store) Requests(ctx context.Context, f RequestFilter) ([]RequestSummary, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	var out []RequestSummary
	if err := s.db.SelectContext(ctx, &out, qListRequests, f.Status, f.Kind, f.BeforeID, limit); err != nil {
		return nil, fmt.Errorf("list requests: %w", err)
	}
	page := make([]*RequestSummary, len(out))
	for i := range out {
		page[i] = &out[i]
	}
	return out, s.hideLeaderAddresses(ctx, page)
}

// Request returns request id with its message (without raw bytes), drafts,
// candidates and attachments.
func (s *Store) Request(ctx context.Context, id int64) (RequestDetail, error) {
	var d RequestDetail
	if err := s.db.GetContext(ctx, &d.Request, qRequest, id); err != nil {
		return RequestDetail{}, fmt.Errorf("get request %d: %w", id, mapErr(err))
	}
	fields, err := d.Request.Fields()
	if err != nil {
		return RequestDetail{}, err
	}
	d.Fields = fields
	if d.MessageID == 0 { // a digest answers no message (digestRequest)
		return s.digestRequest(ctx, d)
	}
	if err := s.db.GetContext(ctx, &d.Message, qMessageHeaders, d.MessageID); err != nil {
		return RequestDetail{}, fmt.Errorf("get request %d: message: %w", id, mapErr(err))
	}
	d.Message.Raw = nil
	if err := s.db.SelectContext(ctx, &d.Drafts, qRequestDrafts, id); err != nil {
		return RequestDetail{}, fmt.Errorf("get request %d: drafts: %w", id, err)
	}
	if err := s.db.SelectContext(ctx, &d.Candidates, qRequestCandidates, id); err != nil {
		return RequestDetail{}, fmt.Errorf("get request %d: candidates: %w", id, err)
	}
	if err := s.db.SelectContext(ctx, &d.Attachments, qMessageAttachments, d.MessageID); err != nil {
		return RequestDetail{}, fmt.Errorf("get request %d: attachments: %w", id, err)
	}
	return d, nil
}

// draftRowWithID is a draftRow with an id reserved in advance.
type draftRowWithID struct {
	ID int64 `json:"id"`
	draftRow
}

// insertDrafts stores drafts awaiting approval for request requestID, with
// their attachments, in tx: ids are reserved first so that each attachment
// row names its draft.
func insertDrafts(ctx context.Context, tx *sqlx.Tx, requestID int64, drafts []NewDraft, now time.Time) error {
	if len(drafts) == 0 {
		return nil
	}
	var ids []int64
	if err := tx.SelectContext(ctx, &ids, qReserveDraftIDs, len(drafts)); err != nil {
		return fmt.Errorf("reserve draft ids: %w", err)
	}
	rows := make([]draftRowWithID, len(drafts))
	var aDraft []int64
	var aPos []int
	var aName, aType, aSum, aCID []string
	var aData [][]byte
	for i, d := range drafts {
		rows[i] = draftRowWithID{ids[i], draftRow{d.Kind, d.To, d.Cc, d.ReplyTo, d.Subject, d.Text, d.HTML, d.InReplyTo,
			d.References, d.GroupIDs}}
		for j, a := range d.Attachments {
			aDraft, aPos = append(aDraft, ids[i]), append(aPos, j)
			aName, aType, aSum = append(aName, a.Filename), append(aType, a.ContentType), append(aSum, a.SHA256)
			aData, aCID = append(aData, a.Data), append(aCID, a.ContentID)
		}
	}
	doc, err := jsonText(rows)
	if err != nil {
		return fmt.Errorf("insert drafts: %w", err)
	}
	if _, err := tx.ExecContext(ctx, qInsertDrafts, requestID, doc, workflows.DraftAwaiting, now); err != nil {
		return fmt.Errorf("insert drafts: %w", err)
	}
	if len(aDraft) == 0 {
		return nil
	}
	pos := make(pq.Int64Array, len(aPos))
	for i, p := range aPos {
		pos[i] = int64(p)
	}
	if _, err := tx.ExecContext(ctx, qInsertDraftAttachments, pq.Int64Array(aDraft), pos, pq.StringArray(aName),
		pq.StringArray(aType), pq.StringArray(aSum), pq.ByteaArray(aData), pq.StringArray(aCID)); err != nil {
		return fmt.Errorf("insert draft attachments: %w", err)
	}
	return nil
}
