package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/riverqueue/river"
)

// RawMessage is one message as fetched from IMAP: where it was seen and its
// raw RFC 5322 bytes.
type RawMessage struct {
	Mailbox      string
	UIDValidity  uint32
	UID          uint32
	InternalDate time.Time
	Size         int64
	MessageID    string // without <>, "" if none
	Raw          []byte
}

// Checkpoint is how far the poller has read a mailbox: every UID up to and
// including LastUID under UIDValidity is stored.
type Checkpoint struct {
	Mailbox     string `db:"address"`
	UIDValidity uint32 `db:"uidvalidity"`
	LastUID     uint32 `db:"last_uid"`
}

// MailboxHealth is what the last polls of a mailbox did.
type MailboxHealth struct {
	Address     string     `db:"address"`
	Name        string     `db:"name"`
	Role        string     `db:"role"`
	UIDValidity uint32     `db:"uidvalidity"`
	LastUID     uint32     `db:"last_uid"`
	LastPollAt  *time.Time `db:"last_poll_at"`
	LastError   string     `db:"last_error"`
	LastErrorAt *time.Time `db:"last_error_at"`
}

var (
	qCheckpoint       = q("checkpoint")
	qUpsertMailbox    = q("upsert_mailbox")
	qResetUIDValidity = q("reset_uidvalidity")
	qSightingMessage  = q("sighting_message")
	qInsertMessage    = q("insert_message")
	qMessageByDedupe  = q("message_by_dedupe_key")
	qInsertSighting   = q("insert_sighting")
	qAdvanceCheckpt   = q("advance_checkpoint")
	qRecordPollOK     = q("record_poll_ok")
	qRecordPollError  = q("record_poll_error")
	qMailboxHealth    = q("mailbox_health")
)

// Checkpoint returns the checkpoint of mailbox; a mailbox never seen has a
// zero UIDValidity and LastUID.
func (s *Store) Checkpoint(ctx context.Context, mailbox string) (Checkpoint, error) {
	var c Checkpoint
	err := s.db.GetContext(ctx, &c, qCheckpoint, mailbox)
	if errors.Is(err, sql.ErrNoRows) {
		return Checkpoint{Mailbox: mailbox}, nil
	}
	if err != nil {
		return Checkpoint{}, fmt.Errorf("get checkpoint: %w", err)
	}
	return c, nil
}

// SaveFetched stores one fetched message in one transaction: the mailbox row
// (its checkpoint reset when UIDVALIDITY changed), the sighting (mailbox,
// UIDVALIDITY, UID), the message unless its dedupe key (Message-ID, else a
// hash of the bytes) is stored already, the advanced checkpoint, and, when
// the message is new, a "process" job. created reports a new message.
func (s *Store) SaveFetched(ctx context.Context, m RawMessage) (created bool, err error) {
	n, err := s.SaveFetchedBatch(ctx, []RawMessage{m})
	return n == 1, err
}

// SaveFetchedBatch stores many fetched messages, as SaveFetched does, in one
// transaction, and returns how many new messages it created.
func (s *Store) SaveFetchedBatch(ctx context.Context, ms []RawMessage) (created int, err error) {
	if len(ms) == 0 {
		return 0, nil
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("save fetched: %w", err)
	}
	defer tx.Rollback()
	now := time.Now()
	var jobs []river.InsertManyParams
	for _, m := range ms {
		id, err := saveFetched(ctx, tx, m, now)
		if err != nil {
			return 0, fmt.Errorf("save fetched %s uid %d: %w", m.Mailbox, m.UID, err)
		}
		if id != 0 {
			jobs = append(jobs, river.InsertManyParams{Args: ProcessArgs{MessageID: id}})
		}
	}
	if len(jobs) > 0 {
		if _, err := s.river.InsertManyTx(ctx, tx.Tx, jobs); err != nil {
			return 0, fmt.Errorf("save fetched: enqueue process: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("save fetched: %w", err)
	}
	return len(jobs), nil
}

// saveFetched stores one message in tx and returns its id when it is new,
// else 0.
func saveFetched(ctx context.Context, tx *sqlx.Tx, m RawMessage, now time.Time) (int64, error) {
	var mb struct {
		ID          int64  `db:"id"`
		UIDValidity uint32 `db:"uidvalidity"`
		LastUID     uint32 `db:"last_uid"`
	}
	if err := tx.GetContext(ctx, &mb, qUpsertMailbox, m.Mailbox, int64(m.UIDValidity)); err != nil {
		return 0, fmt.Errorf("upsert mailbox: %w", err)
	}
	if mb.UIDValidity != m.UIDValidity {
		if _, err := tx.ExecContext(ctx, qResetUIDValidity, mb.ID, int64(m.UIDValidity)); err != nil {
			return 0, fmt.Errorf("reset uidvalidity: %w", err)
		}
	}
	var created int64
	var msgID int64
	err := tx.GetContext(ctx, &msgID, qSightingMessage, mb.ID, int64(m.UIDValidity), int64(m.UID))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		key := DedupeKey(m.MessageID, m.Raw)
		var internal *time.Time
		if !m.InternalDate.IsZero() {
			internal = &m.InternalDate
		}
		size := m.Size
		if size == 0 {
			size = int64(len(m.Raw))
		}
		err := tx.GetContext(ctx, &msgID, qInsertMessage, mb.ID, key, m.MessageID, m.Raw, size, internal, now)
		if errors.Is(err, sql.ErrNoRows) {
			err = tx.GetContext(ctx, &msgID, qMessageByDedupe, mb.ID, key)
		} else if err == nil {
			created = msgID
		}
		if err != nil {
			return 0, fmt.Errorf("insert message: %w", err)
		}
		if _, err := tx.ExecContext(ctx, qInsertSighting, mb.ID, int64(m.UIDValidity), int64(m.UID), msgID, now); err != nil {
			return 0, fmt.Errorf("insert sighting: %w", err)
		}
	case err != nil:
		return 0, fmt.Errorf("get sighting: %w", err)
	}
	if _, err := tx.ExecContext(ctx, qAdvanceCheckpt, mb.ID, int64(m.UID)); err != nil {
		return 0, fmt.Errorf("advance checkpoint: %w", err)
	}
	return created, nil
}

// DedupeKey is the per-mailbox identity of a message: "mid:" and the
// Message-ID (without <>), or "sha256:" and the hex SHA-256 of the raw bytes
// when there is no Message-ID.
func DedupeKey(messageID string, raw []byte) string {
	if messageID != "" {
		return "mid:" + messageID
	}
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// RecordPoll records the outcome of one poll of mailbox: the time of a
// successful poll (clearing the last error), or the error.
func (s *Store) RecordPoll(ctx context.Context, mailbox string, pollErr error) error {
	now := time.Now()
	var err error
	if pollErr == nil {
		_, err = s.db.ExecContext(ctx, qRecordPollOK, mailbox, now)
	} else {
		_, err = s.db.ExecContext(ctx, qRecordPollError, mailbox, pollErr.Error(), now)
	}
	if err != nil {
		return fmt.Errorf("record poll: %w", err)
	}
	return nil
}

// MailboxHealth returns every mailbox with its checkpoint and last poll.
func (s *Store) MailboxHealth(ctx context.Context) ([]MailboxHealth, error) {
	var out []MailboxHealth
	if err := s.db.SelectContext(ctx, &out, qMailboxHealth); err != nil {
		return nil, fmt.Errorf("list mailbox health: %w", err)
	}
	return out, nil
}
