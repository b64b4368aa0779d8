package e2e

import (
	"context"
	"database/sql"

	"github.com/lib/pq"
)

// dropDatabase removes a test database, ending its connections.
func dropDatabase(base, name string) {
	db, err := sql.Open("postgres", base)
	if err != nil {
		return
	}
	defer db.Close()
	_, _ = db.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+pq.QuoteIdentifier(name)+` WITH (FORCE)`)
}
