package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"switchboard/directory"
)

var (
	qListGroups     = q("list_groups")
	qGroupForUpdate = q("group_for_update")
	qSetGroupStatus = q("set_group_status")
	qExportGroups   = q("export_groups")
	qGroupImports   = q("group_imports")
)

// GroupFilter selects groups for staff. Empty fields match everything;
// AfterID pages forward by id.
type GroupFilter struct {
	State   string
	City    string
	Status  string // "active", "inactive" or ""
	AfterID int64
	Limit   int // 100 when 0, at most 5000
}

// GroupImport is one directory import of the history.
type GroupImport struct {
	ID         int64           `db:"id"`
	ImportedBy string          `db:"imported_by"`
	ImportedAt time.Time       `db:"imported_at"`
	Source     string          `db:"source"`
	Total      int             `db:"total"`
	Inserted   int             `db:"inserted"`
	Updated    int             `db:"updated"`
	Unchanged  int             `db:"unchanged"`
	Rejected   int             `db:"rejected"`
	Lines      json.RawMessage `db:"rejected_lines"` // []RejectedLine
}

// RejectedLines decodes the lines the import refused.
func (g GroupImport) RejectedLines() ([]RejectedLine, error) {
	var out []RejectedLine
	if err := json.Unmarshal(g.Lines, &out); err != nil {
		return nil, fmt.Errorf("decode rejected lines of import %d: %w", g.ID, err)
	}
	return out, nil
}

// Groups returns a page of the directory, active or not, by id.
func (s *Store) Groups(ctx context.Context, f GroupFilter) ([]directory.Group, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	var out []directory.Group
	if err := s.db.SelectContext(ctx, &out, qListGroups, f.State, f.City, f.Status, f.AfterID, min(limit, 5000)); err != nil {
		return nil, fmt.Errorf("list groups: %w", err)
	}
	return out, nil
}

// SetGroupStatus makes group id active or inactive, with an audit row, in
// one transaction. An inactive group is left out of every list reply.
func (s *Store) SetGroupStatus(ctx context.Context, id int64, status, by string) error {
	if status != "active" && status != "inactive" {
		return fmt.Errorf("set status of group %d: %q is not active or inactive", id, status)
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set status of group %d: %w", id, err)
	}
	defer tx.Rollback()
	now := time.Now()
	var g directory.Group
	if err := tx.GetContext(ctx, &g, qGroupForUpdate, id); err != nil {
		return fmt.Errorf("set status of group %d: %w", id, mapErr(err))
	}
	if g.Status == status {
		return nil
	}
	if _, err := tx.ExecContext(ctx, qSetGroupStatus, id, status); err != nil {
		return fmt.Errorf("set status of group %d: %w", id, err)
	}
	if err := audit(ctx, tx, by, "group.set_status", "group", id, map[string]any{"status": g.Status},
		map[string]any{"status": status}, now); err != nil {
		return fmt.Errorf("set status of group %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set status of group %d: %w", id, err)
	}
	return nil
}

// ExportGroups calls row for every group, by id, with its fields in the
// import layout (GroupColumns, as demo/data/groups.csv), so that an export
// imports back unchanged.
func (s *Store) ExportGroups(ctx context.Context, row func([]string) error) error {
	rows, err := s.db.QueryContext(ctx, qExportGroups)
	if err != nil {
		return fmt.Errorf("export groups: %w", err)
	}
	defer rows.Close()
	rec := make([]string, len(groupColumns))
	ptrs := make([]any, len(rec))
	for i := range rec {
		ptrs[i] = &rec[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("export groups: %w", err)
		}
		if err := row(rec); err != nil {
			return fmt.Errorf("export groups: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export groups: %w", err)
	}
	return nil
}

// GroupColumns returns the columns of the groups import and export layout
// (demo/data/groups.csv).
func GroupColumns() []string { return append([]string(nil), groupColumns...) }

// GroupImports returns the last limit directory imports, newest first.
func (s *Store) GroupImports(ctx context.Context, limit int) ([]GroupImport, error) {
	var out []GroupImport
	if err := s.db.SelectContext(ctx, &out, qGroupImports, limit); err != nil {
		return nil, fmt.Errorf("list group imports: %w", err)
	}
	return out, nil
}
