package web

import (
	"context"
	"errors"
	"time"

	"switchboard/stories"
	"switchboard/workflows"
)

// ErrNotFound is what a Store returns (wrapped) for a row that does not
// exist; the UI answers 404.
var ErrNotFound = errors.New("not found")

// ErrConflict is what a Store returns (wrapped) for a change the row's state
// does not allow, e.g. approving twice; the UI answers 409.
var ErrConflict = errors.New("conflict")

// ErrInvalid is what a Store returns (wrapped) for a value it refuses,
// e.g. a draft subject with a line break; the UI answers 400 with the error.
var ErrInvalid = errors.New("invalid")

// Store is everything the web UI reads and writes. cmd/switchboard hands in
// the PostgreSQL store through an adapter (web/storeadapter).
type Store interface {
	UserByEmail(ctx context.Context, email string) (User, error)
	UserByID(ctx context.Context, id int64) (User, error)
	Users(ctx context.Context) ([]User, error)
	SetRole(ctx context.Context, email, role, by string) error
	SetDisabled(ctx context.Context, email string, disabled bool, by string) error
	SetTOTPSecret(ctx context.Context, email, secret, by string) error
	LoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	RecordLoginFailure(ctx context.Context, keys []string, forgetBefore time.Time) error
	ClearLoginFailures(ctx context.Context, key string) error

	Queue(ctx context.Context, f QueueFilter) ([]QueueItem, error)
	StatusCounts(ctx context.Context) ([]StatusCount, error)
	OldestWaiting(ctx context.Context) (*time.Time, error)
	DraftsOfRequests(ctx context.Context, requestIDs []int64) ([]Draft, error)
	Request(ctx context.Context, id int64) (RequestDetail, error)
	RequestClaim(ctx context.Context, requestID int64) (Claim, error)
	RequestAudit(ctx context.Context, requestID int64) ([]AuditEntry, error)
	Draft(ctx context.Context, id int64) (Draft, error)
	Attachment(ctx context.Context, id int64) (AttachmentData, error)
	Approve(ctx context.Context, requestID int64, by string) error
	Reject(ctx context.Context, requestID int64, by, reason string) error
	EditDraft(ctx context.Context, draftID int64, subject, text, html, by string) error
	ClaimRequest(ctx context.Context, requestID, userID int64) error
	FailedDrafts(ctx context.Context, limit int) ([]FailedDraft, error)
	RetrySend(ctx context.Context, draftID int64, by string) error
	MailboxHealth(ctx context.Context) ([]MailboxHealth, error)
	// SearchDirectory finds groups by name, only in state and city when
	// they are not empty.
	SearchDirectory(ctx context.Context, name, state, city string, limit int) ([]Candidate, error)
	// BrokenListings lists the groups whose public contact was reported
	// broken or bounced, most recently reported first (`groups broken`).
	BrokenListings(ctx context.Context, limit int) ([]BrokenListing, error)
	// SetGroupStatus makes group id active or inactive, with an audit row;
	// ErrNotFound when there is no such group.
	SetGroupStatus(ctx context.Context, id int64, status, by string) error
	// GroupContacts returns the public contact of the active groups among
	// ids, by id.
	GroupContacts(ctx context.Context, ids []int64) (map[int64]GroupContact, error)
	// SetGroupContact replaces the public contact of group id, validated
	// as the import does, with an audit row; ErrInvalid with the reason
	// for a refused field, ErrNotFound when there is no such group.
	SetGroupContact(ctx context.Context, id int64, c GroupContact, by string) error
	DraftAttachments(ctx context.Context, draftID int64) ([]workflows.DraftAttachment, error)
	// AcceptTOTPStep records that user userID used a TOTP code of time step
	// step (RFC 6238 counter); it is false when that step or a later one
	// was accepted already, so that a code works once.
	AcceptTOTPStep(ctx context.Context, userID, step int64) (bool, error)

	Stories(ctx context.Context, status string, limit int) ([]stories.PressStory, error)
	Story(ctx context.Context, id int64) (stories.PressStory, error)
	ApproveStory(ctx context.Context, id int64, by string) error
}

// Redrafter re-drafts a request under a kind a person chose (the jobs
// pipeline) and keeps the correction as a labelled example.
type Redrafter interface {
	Reclassify(ctx context.Context, requestID int64, kind workflows.Kind, by string) error
	// Redraft corrects the place of a list request and re-drafts its
	// reply (`queue set ID --city/--state/--zip/--district`); a place it
	// refuses is ErrInvalid with the message the CLI shows.
	Redraft(ctx context.Context, requestID int64, fix workflows.PlaceFix, by string) error
	// ChooseTarget picks the group an introduction request means, optIn
	// nil keeping the stored choice (`queue set ID --target G
	// [--opt-in]`); an unknown group is ErrInvalid.
	ChooseTarget(ctx context.Context, requestID, groupID int64, optIn *bool, by string) error
}

// Roles of users.
const (
	RoleAdmin = "admin"
	RoleStaff = "staff"
	RolePress = "press"
)

// User is one staff account.
type User struct {
	ID           int64
	Email        string
	Name         string
	PasswordHash string
	Role         string
	TOTPSecret   string
	Disabled     bool
	// UpdatedAt is the last change to the account; a change ends the
	// sessions opened before it (sessionFingerprint).
	UpdatedAt time.Time
}

// Label is the user's name, else email, for audit rows and claims.
func (u User) Label() string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// QueueFilter selects requests for the queue; empty fields match all.
type QueueFilter struct {
	Status    workflows.Status
	Kind      workflows.Kind
	Mailbox   string   // one mailbox address (the CLI's form)
	Mailboxes []string // any of these addresses
	Query     string
	BeforeID  int64
	Limit     int
}

// QueueItem is one line of the queue.
type QueueItem struct {
	ID        int64
	MessageID int64
	Kind      workflows.Kind
	Status    workflows.Status
	From      string
	FromName  string
	Subject   string
	CreatedAt time.Time
	Mailbox   string
	ClaimedBy string
	ClaimedAt *time.Time
}

// StatusCount is how many requests are in one status.
type StatusCount struct {
	Status workflows.Status
	N      int
}

// Draft is one outgoing mail.
type Draft struct {
	ID         int64
	RequestID  int64
	Kind       workflows.DraftKind
	Status     workflows.DraftStatus
	To         []workflows.Address
	Cc         []workflows.Address
	ReplyTo    []workflows.Address
	Subject    string
	Text       string
	HTML       string
	ApprovedBy string
	ApprovedAt *time.Time
	Attempts   int
	LastError  string
	SentAt     *time.Time
	// Attachments are the files sent with the draft, without their bytes.
	Attachments []DraftFile
}

// DraftFile describes one file attached to a draft.
type DraftFile struct {
	Filename    string
	ContentType string
	Size        int64
	SHA256      string
}

// Message is a stored inbound message. HTMLBody is unsanitised.
type Message struct {
	ID            int64
	Mailbox       string
	MessageID     string
	FromAddr      string
	FromName      string
	To            []workflows.Address
	Cc            []workflows.Address
	Subject       string
	Date          *time.Time
	ReceivedAt    time.Time
	TextBody      string
	HTMLBody      string
	ParseWarnings []string
	ParseError    string
}

// Candidate is a group a message may mean.
type Candidate struct {
	GroupID int64
	Name    string
	City    string
	State   string
	Score   float64
}

// GroupContact is the public contact of a group; an empty field is none.
type GroupContact struct {
	PublicEmail string
	Website     string
	Twitter     string
	Facebook    string
}

// BrokenListing is a group whose public contact was reported broken or
// bounced: public fields only.
type BrokenListing struct {
	GroupID       int64
	Name          string
	City          string
	State         string
	ContactStatus string
	PublicEmail   string
	Website       string
	Twitter       string
	Facebook      string
	LastReported  time.Time
	Reports       int
	Problems      []string
}

// Attachment describes one attachment, without bytes.
type Attachment struct {
	ID          int64
	MessageID   int64
	Filename    string
	ContentType string
	Size        int64
	SHA256      string
	Inline      bool
}

// AttachmentData is an attachment with its bytes and its request (0: none).
type AttachmentData struct {
	Attachment
	Data      []byte
	RequestID int64
}

// RequestDetail is what the request page shows.
type RequestDetail struct {
	ID             int64
	MessageID      int64
	Kind           workflows.Kind
	Kinds          []string
	Status         workflows.Status
	Confidence     float64
	Fields         workflows.Fields
	Reasons        []string
	RequesterEmail string
	ClassifiedBy   string
	CreatedAt      time.Time
	Message        Message
	Drafts         []Draft
	Candidates     []Candidate
	Attachments    []Attachment
}

// Claim says who is reviewing a request.
type Claim struct {
	ClaimedBy string
	UserID    int64
	ClaimedAt time.Time
}

// AuditEntry is one audit_log row.
type AuditEntry struct {
	ID          int64
	Actor       string
	Action      string
	SubjectType string
	SubjectID   int64
	Before      string
	After       string
	At          time.Time
}

// FailedDraft is a draft whose send failed or whose outcome is unknown.
type FailedDraft struct {
	DraftID   int64
	RequestID int64
	Status    workflows.DraftStatus
	Subject   string
	To        []workflows.Address
	Attempts  int
	LastError string
	UpdatedAt time.Time
}

// MailboxHealth is what the last polls of a mailbox did.
type MailboxHealth struct {
	Address     string
	Name        string
	Role        string
	UIDValidity uint32
	LastUID     uint32
	LastPollAt  *time.Time
	LastError   string
	LastErrorAt *time.Time
}
