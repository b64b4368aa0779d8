package store

import (
	"context"
	"fmt"
	"time"
)

var (
	qCountLoginFailures = q("count_login_failures")
	qInsertLoginFailure = q("insert_login_failure")
	qPruneLoginFailures = q("prune_login_failures")
	qClearLoginFailures = q("clear_login_failures")
)

// LoginFailures counts the failed logins recorded under key since since.
// Keys are the web UI's choice, e.g. "account:a@b.org" or "ip:192.0.2.1".
func (s *Store) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	if err := s.db.GetContext(ctx, &n, qCountLoginFailures, key, since); err != nil {
		return 0, fmt.Errorf("count login failures: %w", err)
	}
	return n, nil
}

// RecordLoginFailure records one failed login under each of keys, and
// deletes every failure at or before forgetBefore, which bounds the table.
func (s *Store) RecordLoginFailure(ctx context.Context, keys []string, forgetBefore time.Time) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record login failure: %w", err)
	}
	defer tx.Rollback()
	now := time.Now()
	if _, err := tx.ExecContext(ctx, qPruneLoginFailures, forgetBefore); err != nil {
		return fmt.Errorf("record login failure: %w", err)
	}
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, qInsertLoginFailure, k, now); err != nil {
			return fmt.Errorf("record login failure: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record login failure: %w", err)
	}
	return nil
}

// ClearLoginFailures forgets the failures recorded under key, after a
// successful login.
func (s *Store) ClearLoginFailures(ctx context.Context, key string) error {
	if _, err := s.db.ExecContext(ctx, qClearLoginFailures, key); err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	return nil
}
