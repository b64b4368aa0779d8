package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/lib/pq"

	"switchboard/workflows"
)

// StoredMessage is one stored inbound message with the headers and bodies
// that parsing extracted (empty until SaveParsed).
type StoredMessage struct {
	ID            int64          `db:"id"`
	Mailbox       string         `db:"mailbox"`
	DedupeKey     string         `db:"dedupe_key"`
	MessageID     string         `db:"message_id"` // RFC 5322 Message-ID without <>, or ""
	Raw           []byte         `db:"raw"`
	Size          int64          `db:"size"`
	InternalDate  time.Time      `db:"internal_date"` // IMAP INTERNALDATE, else ReceivedAt
	ReceivedAt    time.Time      `db:"received_at"`
	ParsedAt      *time.Time     `db:"parsed_at"`
	FromAddr      string         `db:"from_addr"`
	FromName      string         `db:"from_name"`
	ReplyTo       Addresses      `db:"reply_to"`
	To            Addresses      `db:"to_addrs"`
	Cc            Addresses      `db:"cc_addrs"`
	Subject       string         `db:"subject"`
	Date          *time.Time     `db:"date"`
	InReplyTo     pq.StringArray `db:"in_reply_to"`
	References    pq.StringArray `db:"references"`
	ContentType   string         `db:"content_type"`
	TextBody      string         `db:"text_body"`
	HTMLBody      string         `db:"html_body"` // unsanitised: never show as is
	ParseWarnings pq.StringArray `db:"parse_warnings"`
	ParseError    string         `db:"parse_error"`
}

// AttachmentInfo describes one stored attachment, without its bytes.
type AttachmentInfo struct {
	ID          int64  `db:"id"`
	MessageID   int64  `db:"message_id"`
	Filename    string `db:"filename"`
	ContentType string `db:"content_type"`
	Size        int64  `db:"size"`
	SHA256      string `db:"sha256"`
	ContentID   string `db:"content_id"`
	Inline      bool   `db:"inline"`
	Sent        bool   `db:"sent"`
	Note        string `db:"note"`
}

var (
	qMessage           = q("message")
	qSaveParsed        = q("save_parsed")
	qDeleteAttachments = q("delete_attachments")
	qInsertAttachments = q("insert_attachments")
	qKnownMessageIDs   = q("known_message_ids")
)

// Message returns the stored message id, raw bytes included.
func (s *Store) Message(ctx context.Context, id int64) (StoredMessage, error) {
	var m StoredMessage
	if err := s.db.GetContext(ctx, &m, qMessage, id); err != nil {
		return StoredMessage{}, fmt.Errorf("get message %d: %w", id, mapErr(err))
	}
	return m, nil
}

// SaveParsed stores what parsing made of message messageID: headers, bodies,
// warnings and attachments (replacing any from an earlier run), and parseErr
// when parsing failed. in may be nil when parseErr is set.
func (s *Store) SaveParsed(ctx context.Context, messageID int64, in *workflows.Inbound, parseErr error) error {
	if in == nil {
		in = &workflows.Inbound{}
	}
	errText := ""
	if parseErr != nil {
		errText = parseErr.Error()
	}
	headers, err := jsonText(in.Header)
	if err != nil {
		return fmt.Errorf("save parsed message %d: %w", messageID, err)
	}
	var dsn *string
	if in.DSN != nil {
		if dsn, err = jsonText(in.DSN); err != nil {
			return fmt.Errorf("save parsed message %d: %w", messageID, err)
		}
	}
	var date *time.Time
	if !in.Date.IsZero() {
		date = &in.Date
	}

	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save parsed message %d: %w", messageID, err)
	}
	defer tx.Rollback()
	now := time.Now()
	res, err := tx.ExecContext(ctx, qSaveParsed, messageID, now, in.From.Address, in.From.Name,
		Addresses(in.ReplyTo), Addresses(in.To), Addresses(in.Cc), in.Subject, date,
		pq.StringArray(orEmpty(in.InReplyTo)), pq.StringArray(orEmpty(in.References)), in.ContentType, headers, dsn,
		in.Text, in.HTML, pq.StringArray(orEmpty(in.Warnings)), errText)
	if err != nil {
		return fmt.Errorf("save parsed message %d: %w", messageID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("save parsed message %d: %w", messageID, ErrNotFound)
	}
	if _, err := tx.ExecContext(ctx, qDeleteAttachments, messageID); err != nil {
		return fmt.Errorf("save parsed message %d: %w", messageID, err)
	}
	if len(in.Attachments) > 0 {
		n := len(in.Attachments)
		pos, size := make([]int64, n), make([]int64, n)
		names, types, sums, cids, notes := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		inline, sent := make([]bool, n), make([]bool, n)
		data := make(pq.ByteaArray, n)
		for i, a := range in.Attachments {
			pos[i], names[i], types[i], size[i] = int64(i), a.Filename, a.ContentType, int64(len(a.Data))
			if a.Data == nil {
				size[i] = int64(a.Size)
			}
			sums[i], cids[i], inline[i], sent[i], notes[i], data[i] = a.SHA256, a.ContentID, a.Inline, a.Sent, a.Note, a.Data
			if sums[i] == "" && a.Data != nil {
				h := sha256.Sum256(a.Data)
				sums[i] = hex.EncodeToString(h[:])
			}
		}
		if _, err := tx.ExecContext(ctx, qInsertAttachments, messageID, pq.Int64Array(pos), pq.StringArray(names),
			pq.StringArray(types), pq.Int64Array(size), pq.StringArray(sums), pq.StringArray(cids),
			pq.BoolArray(inline), pq.BoolArray(sent), pq.StringArray(notes), data); err != nil {
			return fmt.Errorf("save parsed message %d: attachments: %w", messageID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save parsed message %d: %w", messageID, err)
	}
	return nil
}

// KnownMessageIDs returns those of ids (without <>) that are the Message-ID of
// a stored inbound message or of a draft we sent, for thread detection.
func (s *Store) KnownMessageIDs(ctx context.Context, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var out []string
	if err := s.db.SelectContext(ctx, &out, qKnownMessageIDs, pq.StringArray(ids)); err != nil {
		return nil, fmt.Errorf("list known message ids: %w", err)
	}
	return out, nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
