package store

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"switchboard/workflows"
)

// Addresses is a list of addresses stored as a jsonb array.
type Addresses []workflows.Address

// Scan implements sql.Scanner.
func (a *Addresses) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*a = nil
		return nil
	case []byte:
		b = v
	case string:
		b = []byte(v)
	default:
		return fmt.Errorf("scan addresses: unexpected %T", src)
	}
	return json.Unmarshal(b, (*[]workflows.Address)(a))
}

// Value implements driver.Valuer. It returns a string, not bytes, so that
// lib/pq's binary_parameters sends it as text jsonb.
func (a Addresses) Value() (driver.Value, error) {
	if a == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]workflows.Address(a))
	return string(b), err
}

// jsonText marshals v for a jsonb parameter; nil stays SQL NULL.
func jsonText(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	s := string(b)
	return &s, nil
}

var qInsertAudit = q("insert_audit")

// audit writes one audit_log row in tx; before and after are marshalled to
// JSON (nil is NULL).
func audit(ctx context.Context, tx *sqlx.Tx, actor, action, subjectType string, subjectID int64, before, after any, now time.Time) error {
	b, err := jsonText(before)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	a, err := jsonText(after)
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	if _, err := tx.ExecContext(ctx, qInsertAudit, actor, action, subjectType, subjectID, b, a, now); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}
