package store

import (
	"context"
	"testing"
)

func TestMigrateSchemaCurrent(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ok, err := s.SchemaCurrent(ctx)
	if err != nil || !ok {
		t.Fatalf("SchemaCurrent = %v, %v; want true", ok, err)
	}
	var n int
	if err := s.db.Get(&n, `SELECT count(*) FROM zip_districts WHERE district = 'TX-10'`); err != nil || n == 0 {
		t.Fatalf("zip_districts TX-10: %d, %v", n, err)
	}
}

// TestQueriesPrepare parses and plans every named query against the
// migrated schema, so a broken query fails here, not in production.
func TestQueriesPrepare(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, q("create_group_stage")); err != nil {
		t.Fatal(err)
	}
	for name, text := range queries {
		if name == "create_group_stage" {
			continue
		}
		stmt, err := tx.PrepareContext(ctx, text)
		if err != nil {
			t.Errorf("query %s: %v", name, err)
			continue
		}
		stmt.Close()
	}
}
