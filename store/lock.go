package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// MailboxLock is a held poller lock: a session-level PostgreSQL advisory
// lock on a dedicated connection, so that only one replica polls a mailbox
// (DESIGN.md, "Scale"). PostgreSQL releases it if the connection dies; Lost
// then tells the holder to stop.
type MailboxLock struct {
	conn   *sql.Conn
	lost   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
}

// lockPoll is how often a waiting replica retries, and how often a holder
// checks that its connection (and so its lock) is still alive.
const lockPoll = 5 * time.Second

// LockMailbox blocks until this process holds the poller lock for mailbox,
// or ctx is done (then it returns ctx.Err()).
func (s *Store) LockMailbox(ctx context.Context, mailbox string) (*MailboxLock, error) {
	for {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("lock mailbox: %w", err)
		}
		var held bool
		err = conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(hashtextextended($1, 0))`, "mailbox:"+mailbox).Scan(&held)
		if err == nil && held {
			watch, cancel := context.WithCancel(context.Background())
			l := &MailboxLock{conn: conn, lost: make(chan struct{}), cancel: cancel, done: make(chan struct{})}
			go l.watch(watch)
			return l, nil
		}
		conn.Close()
		if err != nil && ctx.Err() == nil {
			s.logger.Warn("could not take the mailbox lock; retrying", "error", err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

// Lost is closed when the lock's connection fails, which means the lock may
// now be held by another replica.
func (l *MailboxLock) Lost() <-chan struct{} { return l.lost }

// Release gives the lock up and returns its connection to the pool.
func (l *MailboxLock) Release() {
	l.cancel()
	<-l.done
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _ = l.conn.ExecContext(ctx, `SELECT pg_advisory_unlock_all()`)
	l.conn.Close()
}

func (l *MailboxLock) watch(ctx context.Context) {
	defer close(l.done)
	t := time.NewTicker(lockPoll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := l.conn.PingContext(ctx); err != nil && ctx.Err() == nil {
				close(l.lost)
				return
			}
		}
	}
}
