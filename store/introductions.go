package store

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"

	"switchboard/workflows"
)

// IntroState is where an introduction stands.
type IntroState string

// The states of an introduction.
const (
	// IntroAwaitingTarget: no group is chosen yet; a person picks one.
	IntroAwaitingTarget IntroState = "awaiting_target"
	// IntroAwaitingConsent: the consent request to the target's leader is
	// drafted or sent, and their answer is awaited.
	IntroAwaitingConsent IntroState = "awaiting_consent"
	// IntroDrafted: the introduction itself is drafted (or sent).
	IntroDrafted IntroState = "introduction_drafted"
	// IntroDeclined: the target's leader said no; the requester gets a note.
	IntroDeclined IntroState = "declined"
	// IntroExpired: the target's leader did not answer in time.
	IntroExpired IntroState = "expired"
)

// IntroPlan is what matching or a person decided about an introduction
// request. A zero RequesterGroupID means the requesting group is unknown; a
// zero TargetGroupID that no group is chosen yet.
type IntroPlan struct {
	RequesterGroupID int64
	RequesterMatched string // "email", "name" or ""
	TargetGroupID    int64
	TargetChosenBy   string // "match", or the person who chose
	OptIn            bool
	State            IntroState
}

// Introduction is the stored state of one introduction request.
type Introduction struct {
	RequestID        int64      `db:"request_id"`
	RequesterGroupID *int64     `db:"requester_group_id"`
	RequesterMatched string     `db:"requester_matched"`
	TargetGroupID    *int64     `db:"target_group_id"`
	TargetChosenBy   string     `db:"target_chosen_by"`
	OptIn            bool       `db:"opt_in"`
	State            IntroState `db:"state"`
	AnswerMessageID  *int64     `db:"answer_message_id"`
	Answer           string     `db:"answer"`
	CreatedAt        time.Time  `db:"created_at"`
	UpdatedAt        time.Time  `db:"updated_at"`
}

var (
	qInsertIntroduction          = q("insert_introduction")
	qUpsertIntroduction          = q("upsert_introduction")
	qIntroduction                = q("introduction")
	qIntroductionForUpdate       = q("introduction_for_update")
	qIntroductionByConsentThread = q("introduction_by_consent_thread")
	qDueConsents                 = q("due_consents")
	qSetIntroductionOutcome      = q("set_introduction_outcome")
	qSupersedeIntroDrafts        = q("supersede_intro_drafts")
	qAddRequestReasons           = q("add_request_reasons")
	qGroupsInPlace               = q("groups_in_place")
)

// nullID is id as a nullable bigint parameter: 0 is NULL.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// SaveIntroduction records what processing decided about introduction
// request requestID. It is idempotent: a request that has its row keeps it.
func (s *Store) SaveIntroduction(ctx context.Context, requestID int64, p IntroPlan) error {
	if _, err := s.db.ExecContext(ctx, qInsertIntroduction, requestID, nullID(p.RequesterGroupID), p.RequesterMatched,
		nullID(p.TargetGroupID), p.TargetChosenBy, p.OptIn, p.State, time.Now()); err != nil {
		return fmt.Errorf("save introduction of request %d: %w", requestID, mapErr(err))
	}
	return nil
}

// Introduction returns the introduction of request requestID; ErrNotFound
// when the request has none.
func (s *Store) Introduction(ctx context.Context, requestID int64) (Introduction, error) {
	var i Introduction
	if err := s.db.GetContext(ctx, &i, qIntroduction, requestID); err != nil {
		return Introduction{}, fmt.Errorf("get introduction of request %d: %w", requestID, mapErr(err))
	}
	return i, nil
}

// IntroductionByConsentThread returns the introduction whose sent consent
// request has one of the Message-IDs ids (without <>); ErrNotFound when
// none has.
func (s *Store) IntroductionByConsentThread(ctx context.Context, ids []string) (Introduction, error) {
	var i Introduction
	if len(ids) == 0 {
		return Introduction{}, fmt.Errorf("find introduction by thread: %w", ErrNotFound)
	}
	if err := s.db.GetContext(ctx, &i, qIntroductionByConsentThread, pq.StringArray(ids)); err != nil {
		return Introduction{}, fmt.Errorf("find introduction by thread: %w", mapErr(err))
	}
	return i, nil
}

// DueConsents returns up to limit introductions still waiting for the
// target leader's answer whose consent request was sent before sentBefore.
func (s *Store) DueConsents(ctx context.Context, sentBefore time.Time, limit int) ([]Introduction, error) {
	var out []Introduction
	if err := s.db.SelectContext(ctx, &out, qDueConsents, sentBefore, limit); err != nil {
		return nil, fmt.Errorf("list due consents: %w", err)
	}
	return out, nil
}

// GroupsInPlace returns up to limit active groups in a place (city and
// state, ZIP, or district; empty ones are ignored), ranked by how well their
// names match the words of description: the candidates for a group a leader
// described without naming it.
func (s *Store) GroupsInPlace(ctx context.Context, description, city, state, zip, district string, limit int) ([]Candidate, error) {
	var out []Candidate
	if err := s.db.SelectContext(ctx, &out, qGroupsInPlace, city, state, zip, district, description, limit); err != nil {
		return nil, fmt.Errorf("list groups in place: %w", err)
	}
	return out, nil
}

// TargetChoice is a person's choice of the group an introduction request
// means, with the drafts written for it.
type TargetChoice struct {
	RequestID int64
	Plan      IntroPlan
	Drafts    []NewDraft
	By        string
	// Reasons are notes for staff added to the request's reasons (those it
	// has already are not repeated).
	Reasons []string
}

// ChooseIntroTarget records a person's choice of the target group of a
// request that awaits a person (drafted or needs triage): the request's
// awaiting introduction drafts (introduction, consent request, note) give
// way to tc.Drafts, the introduction row is replaced, the request is
// drafted, and an audit row is written, in one transaction. A request in any
// other state is ErrConflict.
func (s *Store) ChooseIntroTarget(ctx context.Context, tc TargetChoice) error {
	if tc.By == "" {
		return fmt.Errorf("choose target of request %d: who chooses is required", tc.RequestID)
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("choose target of request %d: %w", tc.RequestID, err)
	}
	defer tx.Rollback()
	now := time.Now()
	var r Request
	if err := tx.GetContext(ctx, &r, qRequestForUpdate, tc.RequestID); err != nil {
		return fmt.Errorf("choose target of request %d: %w", tc.RequestID, mapErr(err))
	}
	if r.Status != workflows.StatusDrafted && r.Status != workflows.StatusNeedsTriage {
		return fmt.Errorf("choose target of request %d: request is %s: %w", tc.RequestID, r.Status, ErrConflict)
	}
	var old []int64
	if err := tx.SelectContext(ctx, &old, qSupersedeIntroDrafts, tc.RequestID, now); err != nil {
		return fmt.Errorf("choose target of request %d: %w", tc.RequestID, err)
	}
	p := tc.Plan
	if _, err := tx.ExecContext(ctx, qUpsertIntroduction, tc.RequestID, nullID(p.RequesterGroupID), p.RequesterMatched,
		nullID(p.TargetGroupID), p.TargetChosenBy, p.OptIn, p.State, now); err != nil {
		return fmt.Errorf("choose target of request %d: %w", tc.RequestID, mapErr(err))
	}
	if err := insertDrafts(ctx, tx, tc.RequestID, tc.Drafts, now); err != nil {
		return fmt.Errorf("choose target of request %d: %w", tc.RequestID, err)
	}
	if len(tc.Reasons) > 0 {
		if _, err := tx.ExecContext(ctx, qAddRequestReasons, tc.RequestID, pq.StringArray(tc.Reasons)); err != nil {
			return fmt.Errorf("choose target of request %d: %w", tc.RequestID, err)
		}
	}
	status := workflows.StatusNeedsTriage
	if len(tc.Drafts) > 0 {
		status = workflows.StatusDrafted
	}
	if _, err := tx.ExecContext(ctx, qSetRequestStatus, tc.RequestID, status, now); err != nil {
		return fmt.Errorf("choose target of request %d: %w", tc.RequestID, err)
	}
	if err := audit(ctx, tx, tc.By, "request.choose_target", "request", tc.RequestID,
		map[string]any{"status": r.Status, "superseded_drafts": old},
		map[string]any{"status": status, "target_group_id": p.TargetGroupID, "opt_in": p.OptIn, "state": p.State,
			"drafts": len(tc.Drafts)}, now); err != nil {
		return fmt.Errorf("choose target of request %d: %w", tc.RequestID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("choose target of request %d: %w", tc.RequestID, err)
	}
	s.logger.InfoContext(ctx, "introduction target chosen", "request_id", tc.RequestID, "drafts", len(tc.Drafts))
	return nil
}

// ConsentOutcome is what became of a consent request: the target leader's
// answer ("yes", "no") or "timeout", with the drafts it leads to (the
// introduction, or the note to the requester).
type ConsentOutcome struct {
	RequestID int64 // the introduction request
	State     IntroState
	Answer    string
	// AnswerRequestID and AnswerMessageID are the leader's reply, when there
	// is one; its request is closed, the answer being handled here.
	AnswerRequestID int64
	AnswerMessageID int64
	Drafts          []NewDraft
	By              string
}

// ApplyConsentOutcome records o on an introduction still awaiting consent,
// in one transaction: the introduction gets its state and answer, o.Drafts
// are added to the introduction request, which becomes drafted, and the
// answer's own request is closed, with audit rows. applied is false, and
// nothing changes, when the introduction no longer awaits consent (an answer
// processed twice, or a timeout after the answer).
func (s *Store) ApplyConsentOutcome(ctx context.Context, o ConsentOutcome) (applied bool, err error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("apply consent outcome of request %d: %w", o.RequestID, err)
	}
	defer tx.Rollback()
	now := time.Now()
	var i Introduction
	if err := tx.GetContext(ctx, &i, qIntroductionForUpdate, o.RequestID); err != nil {
		return false, fmt.Errorf("apply consent outcome of request %d: %w", o.RequestID, mapErr(err))
	}
	if i.State != IntroAwaitingConsent {
		return false, nil
	}
	var r Request
	if err := tx.GetContext(ctx, &r, qRequestForUpdate, o.RequestID); err != nil {
		return false, fmt.Errorf("apply consent outcome of request %d: %w", o.RequestID, mapErr(err))
	}
	if _, err := tx.ExecContext(ctx, qSetIntroductionOutcome, o.RequestID, o.State, o.Answer,
		nullID(o.AnswerMessageID), now); err != nil {
		return false, fmt.Errorf("apply consent outcome of request %d: %w", o.RequestID, err)
	}
	if err := insertDrafts(ctx, tx, o.RequestID, o.Drafts, now); err != nil {
		return false, fmt.Errorf("apply consent outcome of request %d: %w", o.RequestID, err)
	}
	status := r.Status
	if len(o.Drafts) > 0 {
		status = workflows.StatusDrafted
		if _, err := tx.ExecContext(ctx, qSetRequestStatus, o.RequestID, status, now); err != nil {
			return false, fmt.Errorf("apply consent outcome of request %d: %w", o.RequestID, err)
		}
	}
	if err := audit(ctx, tx, o.By, "introduction.consent", "request", o.RequestID,
		map[string]any{"status": r.Status, "state": i.State},
		map[string]any{"status": status, "state": o.State, "answer": o.Answer, "answer_request_id": o.AnswerRequestID,
			"drafts": len(o.Drafts)}, now); err != nil {
		return false, fmt.Errorf("apply consent outcome of request %d: %w", o.RequestID, err)
	}
	if o.AnswerRequestID != 0 {
		if _, err := tx.ExecContext(ctx, qSetRequestStatus, o.AnswerRequestID, workflows.StatusClosed, now); err != nil {
			return false, fmt.Errorf("apply consent outcome of request %d: %w", o.RequestID, err)
		}
		if err := audit(ctx, tx, o.By, "request.close", "request", o.AnswerRequestID, nil,
			map[string]any{"status": workflows.StatusClosed, "reason": "consent answer for request " + fmt.Sprint(o.RequestID)},
			now); err != nil {
			return false, fmt.Errorf("apply consent outcome of request %d: %w", o.RequestID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("apply consent outcome of request %d: %w", o.RequestID, err)
	}
	s.logger.InfoContext(ctx, "introduction consent outcome", "request_id", o.RequestID, "state", o.State)
	return true, nil
}
