package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"
	"github.com/riverqueue/river"
)

// StoryArgs is the River job that builds the story of one submission
// request: files to the blob store, previews, press copies, the record.
type StoryArgs struct {
	RequestID int64 `json:"request_id"`
}

// Kind is the River job kind, "story".
func (StoryArgs) Kind() string { return "story" }

// InsertOpts makes one story job per request; HEIC decoding is slow, so the
// job runs on its own queue and never delays processing.
func (StoryArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueStories, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// QueueStories is the River queue of story jobs.
const QueueStories = "stories"

// StoryGroup is a directory group a story names.
type StoryGroup struct {
	GroupID int64   `json:"group_id"`
	Name    string  `json:"name"`
	Said    string  `json:"said"` // as the sender wrote it
	Score   float64 `json:"score"`
}

// StoryLink is a share link in a story.
type StoryLink struct {
	URL     string `json:"url"`
	Service string `json:"service"`
}

// Story is a story for the press team.
type Story struct {
	ID               int64      `db:"id" json:"id"`
	RequestID        int64      `db:"request_id" json:"request_id"`
	MessageID        int64      `db:"message_id" json:"message_id"`
	SenderName       string     `db:"sender_name" json:"sender_name"`
	SenderEmail      string     `db:"sender_email" json:"sender_email"`
	Subject          string     `db:"subject" json:"subject"`
	Body             string     `db:"body" json:"body"`
	City             string     `db:"city" json:"city"`
	State            string     `db:"state" json:"state"`
	District         string     `db:"district" json:"district"`
	ActionDate       *time.Time `db:"action_date" json:"action_date,omitempty"`
	DatePhrase       string     `db:"date_phrase" json:"date_phrase"`
	Consent          string     `db:"consent" json:"consent"` // given, refused, unknown
	ConsentSentence  string     `db:"consent_sentence" json:"consent_sentence"`
	ConsentMessageID *int64     `db:"consent_message_id" json:"consent_message_id,omitempty"`
	Credit           string     `db:"credit" json:"credit"`
	GroupsJSON       []byte     `db:"groups" json:"-"`
	LinksJSON        []byte     `db:"links" json:"-"`
	Status           string     `db:"status" json:"status"` // new, approved, rejected
	ApprovedBy       string     `db:"approved_by" json:"approved_by"`
	ApprovedAt       *time.Time `db:"approved_at" json:"approved_at,omitempty"`
	CreatedAt        time.Time  `db:"created_at" json:"created_at"`
	UpdatedAt        time.Time  `db:"updated_at" json:"updated_at"`

	Groups []StoryGroup `db:"-" json:"groups"`
	Links  []StoryLink  `db:"-" json:"links"`
	Assets []Asset      `db:"-" json:"assets"`
}

// Asset is one file of a story, its bytes in the blob store.
type Asset struct {
	ID          int64  `db:"id" json:"id"`
	StoryID     int64  `db:"story_id" json:"-"`
	Position    int    `db:"position" json:"position"`
	Kind        string `db:"kind" json:"kind"` // image, video, file
	Filename    string `db:"filename" json:"filename"`
	ContentType string `db:"content_type" json:"content_type"`
	Size        int64  `db:"size" json:"size"`
	SHA256      string `db:"sha256" json:"sha256"`
	OriginalKey string `db:"original_key" json:"original_key"`
	Width       int    `db:"width" json:"width"`
	Height      int    `db:"height" json:"height"`
	PreviewKey  string `db:"preview_key" json:"preview_key"` // upright JPEG, no metadata: the press copy
	ThumbKey    string `db:"thumb_key" json:"thumb_key"`
	Inline      bool   `db:"inline" json:"inline"`
	Container   string `db:"container" json:"container"`
	Note        string `db:"note" json:"note"`
}

var (
	qInsertStory    = q("insert_story")
	qInsertAssets   = q("insert_assets")
	qStory          = q("story")
	qStoryByRequest = q("story_by_request")
	qListStories    = q("list_stories")
	qStoryAssets    = q("story_assets")
	qApproveStory   = q("approve_story")
	qStoryForThread = q("story_for_thread")
	qRecordConsent  = q("record_consent")
	qMailboxRole    = q("mailbox_role")
	qSetMailboxRole = q("set_mailbox_role")
	qStoryGroupHits = q("story_group_matches")
)

// GroupMatch is a directory group whose name alone is like a name a story
// gives: Score is the trigram similarity of the two names (no boost for
// the place), Exact that they are equal once case, accents and punctuation
// are folded away.
type GroupMatch struct {
	Candidate
	Exact bool `db:"exact"`
}

// StoryGroupMatches returns up to limit active groups whose name is like
// name, exact matches then the most similar first. When state is not
// empty, only groups in that state are returned; city only orders equals.
func (s *Store) StoryGroupMatches(ctx context.Context, name, state, city string, limit int) ([]GroupMatch, error) {
	if limit <= 0 {
		limit = 5
	}
	var out []GroupMatch
	if err := s.db.SelectContext(ctx, &out, qStoryGroupHits, name, state, city, limit); err != nil {
		return nil, fmt.Errorf("match group %q: %w", name, err)
	}
	return out, nil
}

// EnqueueStory enqueues the story job of a submission request; a job for
// the same request that is waiting or running is not doubled.
func (s *Store) EnqueueStory(ctx context.Context, requestID int64) error {
	if _, err := s.river.Insert(ctx, StoryArgs{RequestID: requestID}, nil); err != nil {
		return fmt.Errorf("enqueue story of request %d: %w", requestID, err)
	}
	return nil
}

// CreateStory stores a story with its assets in one transaction. It is
// idempotent per request: when the request has a story already, it returns
// that id and changes nothing (created false).
func (s *Store) CreateStory(ctx context.Context, st Story) (id int64, created bool, err error) {
	groups, err := json.Marshal(orEmptySlice(st.Groups))
	if err != nil {
		return 0, false, fmt.Errorf("create story of request %d: %w", st.RequestID, err)
	}
	links, err := json.Marshal(orEmptySlice(st.Links))
	if err != nil {
		return 0, false, fmt.Errorf("create story of request %d: %w", st.RequestID, err)
	}
	assets, err := json.Marshal(orEmptySlice(st.Assets))
	if err != nil {
		return 0, false, fmt.Errorf("create story of request %d: %w", st.RequestID, err)
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, false, fmt.Errorf("create story of request %d: %w", st.RequestID, err)
	}
	defer tx.Rollback()
	now := time.Now()
	consent := st.Consent
	if consent == "" {
		consent = "unknown"
	}
	err = tx.GetContext(ctx, &id, qInsertStory, st.RequestID, st.MessageID, st.SenderName, st.SenderEmail,
		st.Subject, st.Body, st.City, st.State, st.District, st.ActionDate, st.DatePhrase, consent,
		st.ConsentSentence, st.Credit, string(groups), string(links), now)
	if errors.Is(err, sql.ErrNoRows) {
		if err := tx.GetContext(ctx, &id, qStoryByRequest, st.RequestID); err != nil {
			return 0, false, fmt.Errorf("create story of request %d: %w", st.RequestID, mapErr(err))
		}
		return id, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("create story of request %d: %w", st.RequestID, mapErr(err))
	}
	if len(st.Assets) > 0 {
		if _, err := tx.ExecContext(ctx, qInsertAssets, id, string(assets)); err != nil {
			return 0, false, fmt.Errorf("create story of request %d: assets: %w", st.RequestID, err)
		}
	}
	after := map[string]any{"request_id": st.RequestID, "assets": len(st.Assets), "consent": consent}
	if err := audit(ctx, tx, "system", "story.create", "story", id, nil, after, now); err != nil {
		return 0, false, err
	}
	if err := tx.Commit(); err != nil {
		return 0, false, fmt.Errorf("create story of request %d: %w", st.RequestID, err)
	}
	return id, true, nil
}

// Story returns one story with its groups, links and assets.
func (s *Store) Story(ctx context.Context, id int64) (Story, error) {
	var st Story
	if err := s.db.GetContext(ctx, &st, qStory, id); err != nil {
		return Story{}, fmt.Errorf("get story %d: %w", id, mapErr(err))
	}
	out := []Story{st}
	if err := s.loadStoryChildren(ctx, out); err != nil {
		return Story{}, err
	}
	return out[0], nil
}

// StoryIDByRequest returns the id of the story of a request.
func (s *Store) StoryIDByRequest(ctx context.Context, requestID int64) (int64, error) {
	var id int64
	if err := s.db.GetContext(ctx, &id, qStoryByRequest, requestID); err != nil {
		return 0, fmt.Errorf("get story of request %d: %w", requestID, mapErr(err))
	}
	return id, nil
}

// StoryFilter selects stories; empty Status matches all.
type StoryFilter struct {
	Status   string
	BeforeID int64
	Limit    int // 50 when 0
}

// Stories lists stories, newest first, with their assets.
func (s *Store) Stories(ctx context.Context, f StoryFilter) ([]Story, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var out []Story
	if err := s.db.SelectContext(ctx, &out, qListStories, f.Status, f.BeforeID, f.Limit); err != nil {
		return nil, fmt.Errorf("list stories: %w", err)
	}
	if err := s.loadStoryChildren(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// loadStoryChildren decodes groups and links and loads every story's assets
// in one query.
func (s *Store) loadStoryChildren(ctx context.Context, sts []Story) error {
	if len(sts) == 0 {
		return nil
	}
	ids := make([]int64, len(sts))
	at := map[int64]int{}
	for i := range sts {
		ids[i] = sts[i].ID
		at[sts[i].ID] = i
		if err := json.Unmarshal(sts[i].GroupsJSON, &sts[i].Groups); err != nil {
			return fmt.Errorf("decode groups of story %d: %w", sts[i].ID, err)
		}
		if err := json.Unmarshal(sts[i].LinksJSON, &sts[i].Links); err != nil {
			return fmt.Errorf("decode links of story %d: %w", sts[i].ID, err)
		}
	}
	var assets []Asset
	if err := s.db.SelectContext(ctx, &assets, qStoryAssets, pq.Int64Array(ids)); err != nil {
		return fmt.Errorf("list story assets: %w", err)
	}
	for _, a := range assets {
		i := at[a.StoryID]
		sts[i].Assets = append(sts[i].Assets, a)
	}
	return nil
}

// ApproveStory marks a new story approved for the press team, with an audit
// row. A story not in "new" gives ErrConflict.
func (s *Store) ApproveStory(ctx context.Context, id int64, by string) error {
	if by == "" {
		return errors.New("approve story: say who approves it")
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("approve story %d: %w", id, err)
	}
	defer tx.Rollback()
	now := time.Now()
	var got int64
	err = tx.GetContext(ctx, &got, qApproveStory, id, by, now)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := s.Story(ctx, id); err != nil {
			return fmt.Errorf("approve story %d: %w", id, err)
		}
		return fmt.Errorf("approve story %d: it is not new: %w", id, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("approve story %d: %w", id, err)
	}
	if err := audit(ctx, tx, by, "story.approve", "story", id, nil, map[string]any{"status": "approved"}, now); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("approve story %d: %w", id, err)
	}
	return nil
}

// StoryForThread returns the id of the story that a reply referencing ids
// (Message-IDs without <>) belongs to.
func (s *Store) StoryForThread(ctx context.Context, ids []string) (int64, error) {
	if len(ids) == 0 {
		return 0, fmt.Errorf("find story for thread: %w", ErrNotFound)
	}
	var id int64
	if err := s.db.GetContext(ctx, &id, qStoryForThread, pq.StringArray(ids)); err != nil {
		return 0, fmt.Errorf("find story for thread: %w", mapErr(err))
	}
	return id, nil
}

// RecordConsent records the sender's answer about publication, given in the
// thread by message messageID, with an audit row.
func (s *Store) RecordConsent(ctx context.Context, storyID int64, consent, sentence string, messageID int64) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record consent of story %d: %w", storyID, err)
	}
	defer tx.Rollback()
	now := time.Now()
	if _, err := tx.ExecContext(ctx, qRecordConsent, storyID, consent, sentence, messageID, now); err != nil {
		return fmt.Errorf("record consent of story %d: %w", storyID, err)
	}
	after := map[string]any{"consent": consent, "sentence": sentence, "message_id": messageID}
	if err := audit(ctx, tx, "system", "story.consent", "story", storyID, nil, after, now); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record consent of story %d: %w", storyID, err)
	}
	return nil
}

func orEmptySlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Mailbox roles (mailboxes.role).
const (
	MailboxSupport = "support"
	MailboxPress   = "press"
)

// MailboxRole returns the role of a mailbox; a mailbox never seen is
// "support".
func (s *Store) MailboxRole(ctx context.Context, mailbox string) (string, error) {
	var role string
	err := s.db.GetContext(ctx, &role, qMailboxRole, mailbox)
	if errors.Is(err, sql.ErrNoRows) {
		return MailboxSupport, nil
	}
	if err != nil {
		return "", fmt.Errorf("get role of mailbox: %w", err)
	}
	return role, nil
}

// SetMailboxRole records the role of a mailbox (support or press), creating
// its row when needed.
func (s *Store) SetMailboxRole(ctx context.Context, mailbox, role string) error {
	if role != MailboxSupport && role != MailboxPress {
		return fmt.Errorf("set mailbox role: %q is not support or press", role)
	}
	if _, err := s.db.ExecContext(ctx, qSetMailboxRole, mailbox, role); err != nil {
		return fmt.Errorf("set mailbox role: %w", err)
	}
	return nil
}
