package store

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"

	"switchboard/workflows"
)

// PlaceCorrection is a staff correction of the place a request is about,
// with the drafts re-written for it.
type PlaceCorrection struct {
	RequestID int64
	Fields    workflows.Fields // the corrected extracted fields
	// Kinds are the kinds of awaiting draft the new Drafts replace, e.g. a
	// list reply and a question; drafts of other kinds (an introduction in a
	// mixed request) stay.
	Kinds  []workflows.DraftKind
	Drafts []NewDraft
	By     string
}

var (
	qSupersedeDraftsOfKinds = q("supersede_drafts_of_kinds")
	qSetRequestFields       = q("set_request_fields")
)

// CorrectPlace stores the corrected fields of a request that awaits a
// person (drafted or needs triage) and replaces its awaiting drafts of the
// given kinds with the new ones, with an audit row, in one transaction. The
// request is drafted when new drafts were written, else it needs triage. A
// request in any other state is ErrConflict.
func (s *Store) CorrectPlace(ctx context.Context, pc PlaceCorrection) error {
	if pc.By == "" {
		return fmt.Errorf("correct place of request %d: who corrects is required", pc.RequestID)
	}
	fields, err := jsonText(pc.Fields)
	if err != nil {
		return fmt.Errorf("correct place of request %d: %w", pc.RequestID, err)
	}
	kinds := make([]string, len(pc.Kinds))
	for i, k := range pc.Kinds {
		kinds[i] = string(k)
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("correct place of request %d: %w", pc.RequestID, err)
	}
	defer tx.Rollback()
	now := time.Now()
	var r Request
	if err := tx.GetContext(ctx, &r, qRequestForUpdate, pc.RequestID); err != nil {
		return fmt.Errorf("correct place of request %d: %w", pc.RequestID, mapErr(err))
	}
	if r.Status != workflows.StatusDrafted && r.Status != workflows.StatusNeedsTriage {
		return fmt.Errorf("correct place of request %d: request is %s: %w", pc.RequestID, r.Status, ErrConflict)
	}
	var old []int64
	if err := tx.SelectContext(ctx, &old, qSupersedeDraftsOfKinds, pc.RequestID, pq.StringArray(kinds), now); err != nil {
		return fmt.Errorf("correct place of request %d: %w", pc.RequestID, err)
	}
	status := workflows.StatusNeedsTriage
	if len(pc.Drafts) > 0 {
		status = workflows.StatusDrafted
	}
	if _, err := tx.ExecContext(ctx, qSetRequestFields, pc.RequestID, fields, status, now); err != nil {
		return fmt.Errorf("correct place of request %d: %w", pc.RequestID, err)
	}
	if err := insertDrafts(ctx, tx, pc.RequestID, pc.Drafts, now); err != nil {
		return fmt.Errorf("correct place of request %d: %w", pc.RequestID, err)
	}
	if err := audit(ctx, tx, pc.By, "request.correct_place", "request", pc.RequestID,
		map[string]any{"status": r.Status, "fields": r.Extracted, "superseded_drafts": old},
		map[string]any{"status": status, "fields": pc.Fields, "drafts": len(pc.Drafts)}, now); err != nil {
		return fmt.Errorf("correct place of request %d: %w", pc.RequestID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("correct place of request %d: %w", pc.RequestID, err)
	}
	s.logger.InfoContext(ctx, "request place corrected", "request_id", pc.RequestID, "drafts", len(pc.Drafts))
	return nil
}
