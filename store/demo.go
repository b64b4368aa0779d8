package store

import (
	"context"
	"fmt"
)

// ForeignData counts what a database holds beyond a demo's own data: group
// imports from any source other than source, and messages of any mailbox
// other than mailbox. `switchboard demo` refuses a database where it is
// not zero, because loading the sample directory would overwrite real groups.
func (s *Store) ForeignData(ctx context.Context, source, mailbox string) (int, error) {
	var n int
	err := s.db.GetContext(ctx, &n, `SELECT
		(SELECT count(*) FROM group_imports WHERE source <> $1) +
		(SELECT count(*) FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id WHERE b.address <> $2)`, source, mailbox)
	if err != nil {
		return 0, fmt.Errorf("count data outside the demo: %w", err)
	}
	return n, nil
}
