// Package storeadapter hands the PostgreSQL store to the web UI: it
// implements web.Store on *store.Store, converting types and mapping the
// store's not-found and conflict errors to web's. It is the only place that
// knows both packages, so that web never imports store.
package storeadapter

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"switchboard/jobs"
	"switchboard/store"
	"switchboard/web"
	"switchboard/workflows"
)

// Adapter implements web.Store.
type Adapter struct{ st *store.Store }

// New returns the adapter on st.
func New(st *store.Store) *Adapter { return &Adapter{st: st} }

var _ web.Store = (*Adapter)(nil)

// mapErr wraps store errors so that web sees its own sentinels.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%w: %w", web.ErrNotFound, err)
	case errors.Is(err, store.ErrConflict):
		return fmt.Errorf("%w: %w", web.ErrConflict, err)
	case errors.Is(err, store.ErrInvalidSubject), errors.Is(err, store.ErrInvalidContact):
		return fmt.Errorf("%w: %w", web.ErrInvalid, err)
	}
	return err
}

func user(u store.User) web.User {
	return web.User{ID: u.ID, Email: u.Email, Name: u.Name, PasswordHash: u.PasswordHash, Role: u.Role,
		TOTPSecret: u.TOTPSecret, Disabled: u.Disabled, UpdatedAt: u.UpdatedAt}
}

// UserByEmail implements web.Store.
func (a *Adapter) UserByEmail(ctx context.Context, email string) (web.User, error) {
	u, err := a.st.UserByEmail(ctx, email)
	return user(u), mapErr(err)
}

// UserByID implements web.Store.
func (a *Adapter) UserByID(ctx context.Context, id int64) (web.User, error) {
	u, err := a.st.UserByID(ctx, id)
	return user(u), mapErr(err)
}

// Users implements web.Store.
func (a *Adapter) Users(ctx context.Context) ([]web.User, error) {
	us, err := a.st.Users(ctx)
	out := make([]web.User, len(us))
	for i, u := range us {
		out[i] = user(u)
	}
	return out, mapErr(err)
}

// SetRole implements web.Store.
func (a *Adapter) SetRole(ctx context.Context, email, role, by string) error {
	return mapErr(a.st.SetRole(ctx, email, role, by))
}

// SetDisabled implements web.Store.
func (a *Adapter) SetDisabled(ctx context.Context, email string, disabled bool, by string) error {
	return mapErr(a.st.SetDisabled(ctx, email, disabled, by))
}

// SetTOTPSecret implements web.Store.
func (a *Adapter) SetTOTPSecret(ctx context.Context, email, secret, by string) error {
	return mapErr(a.st.SetTOTPSecret(ctx, email, secret, by))
}

// LoginFailures implements web.Store.
func (a *Adapter) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	n, err := a.st.LoginFailures(ctx, key, since)
	return n, mapErr(err)
}

// RecordLoginFailure implements web.Store.
func (a *Adapter) RecordLoginFailure(ctx context.Context, keys []string, forgetBefore time.Time) error {
	return mapErr(a.st.RecordLoginFailure(ctx, keys, forgetBefore))
}

// ClearLoginFailures implements web.Store.
func (a *Adapter) ClearLoginFailures(ctx context.Context, key string) error {
	return mapErr(a.st.ClearLoginFailures(ctx, key))
}

// Queue implements web.Store.
func (a *Adapter) Queue(ctx context.Context, f web.QueueFilter) ([]web.QueueItem, error) {
	items, err := a.st.Queue(ctx, store.QueueFilter(f))
	out := make([]web.QueueItem, len(items))
	for i, it := range items {
		out[i] = web.QueueItem{ID: it.ID, MessageID: it.MessageID, Kind: it.Kind, Status: it.Status, From: it.From,
			FromName: it.FromName, Subject: it.Subject, CreatedAt: it.CreatedAt, Mailbox: it.Mailbox,
			ClaimedBy: it.ClaimedBy, ClaimedAt: it.ClaimedAt}
	}
	return out, mapErr(err)
}

// StatusCounts implements web.Store.
func (a *Adapter) StatusCounts(ctx context.Context) ([]web.StatusCount, error) {
	cs, err := a.st.StatusCounts(ctx)
	out := make([]web.StatusCount, len(cs))
	for i, c := range cs {
		out[i] = web.StatusCount(c)
	}
	return out, mapErr(err)
}

// OldestWaiting implements web.Store.
func (a *Adapter) OldestWaiting(ctx context.Context) (*time.Time, error) {
	t, err := a.st.OldestWaiting(ctx)
	return t, mapErr(err)
}

func draft(d store.Draft) web.Draft {
	return web.Draft{ID: d.ID, RequestID: d.RequestID, Kind: d.Kind, Status: d.Status, To: d.To, Cc: d.Cc,
		ReplyTo: d.ReplyTo, Subject: d.Subject, Text: d.Text, HTML: d.HTML, ApprovedBy: d.ApprovedBy,
		ApprovedAt: d.ApprovedAt, Attempts: d.Attempts, LastError: d.LastError, SentAt: d.SentAt,
		Attachments: draftFiles(d.Attachments)}
}

func draftFiles(as store.AttachmentMetas) []web.DraftFile {
	var out []web.DraftFile
	for _, a := range as {
		out = append(out, web.DraftFile{Filename: a.Filename, ContentType: a.ContentType, Size: int64(a.Size), SHA256: a.SHA256})
	}
	return out
}

// DraftAttachments implements web.Store.
func (a *Adapter) DraftAttachments(ctx context.Context, draftID int64) ([]workflows.DraftAttachment, error) {
	files, err := a.st.DraftAttachments(ctx, draftID)
	return files, mapErr(err)
}

// AcceptTOTPStep implements web.Store.
func (a *Adapter) AcceptTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	ok, err := a.st.AcceptTOTPStep(ctx, userID, step)
	return ok, mapErr(err)
}

func drafts(ds []store.Draft) []web.Draft {
	out := make([]web.Draft, len(ds))
	for i, d := range ds {
		out[i] = draft(d)
	}
	return out
}

// DraftsOfRequests implements web.Store.
func (a *Adapter) DraftsOfRequests(ctx context.Context, ids []int64) ([]web.Draft, error) {
	ds, err := a.st.DraftsOfRequests(ctx, ids)
	return drafts(ds), mapErr(err)
}

// Draft implements web.Store.
func (a *Adapter) Draft(ctx context.Context, id int64) (web.Draft, error) {
	d, err := a.st.Draft(ctx, id)
	return draft(d), mapErr(err)
}

func attachment(x store.AttachmentInfo) web.Attachment {
	return web.Attachment{ID: x.ID, MessageID: x.MessageID, Filename: x.Filename, ContentType: x.ContentType,
		Size: x.Size, SHA256: x.SHA256, Inline: x.Inline}
}

// Request implements web.Store.
func (a *Adapter) Request(ctx context.Context, id int64) (web.RequestDetail, error) {
	d, err := a.st.Request(ctx, id)
	if err != nil {
		return web.RequestDetail{}, mapErr(err)
	}
	m := d.Message
	out := web.RequestDetail{ID: d.ID, MessageID: d.MessageID, Kind: d.Kind, Kinds: d.Kinds, Status: d.Status,
		Confidence: d.Confidence, Fields: d.Fields, Reasons: d.Reasons, RequesterEmail: d.RequesterEmail,
		ClassifiedBy: d.ClassifiedBy, CreatedAt: d.CreatedAt, Drafts: drafts(d.Drafts),
		Message: web.Message{ID: m.ID, Mailbox: m.Mailbox, MessageID: m.MessageID, FromAddr: m.FromAddr,
			FromName: m.FromName, To: m.To, Cc: m.Cc, Subject: m.Subject, Date: m.Date, ReceivedAt: m.ReceivedAt,
			TextBody: m.TextBody, HTMLBody: m.HTMLBody, ParseWarnings: m.ParseWarnings, ParseError: m.ParseError}}
	for _, c := range d.Candidates {
		out.Candidates = append(out.Candidates, web.Candidate(c))
	}
	for _, x := range d.Attachments {
		out.Attachments = append(out.Attachments, attachment(x))
	}
	return out, nil
}

// RequestClaim implements web.Store.
func (a *Adapter) RequestClaim(ctx context.Context, id int64) (web.Claim, error) {
	c, err := a.st.RequestClaim(ctx, id)
	return web.Claim(c), mapErr(err)
}

// RequestAudit implements web.Store.
func (a *Adapter) RequestAudit(ctx context.Context, id int64) ([]web.AuditEntry, error) {
	es, err := a.st.RequestAudit(ctx, id)
	out := make([]web.AuditEntry, len(es))
	for i, e := range es {
		out[i] = web.AuditEntry(e)
	}
	return out, mapErr(err)
}

// Attachment implements web.Store.
func (a *Adapter) Attachment(ctx context.Context, id int64) (web.AttachmentData, error) {
	x, err := a.st.Attachment(ctx, id)
	return web.AttachmentData{Attachment: attachment(x.AttachmentInfo), Data: x.Data, RequestID: x.RequestID}, mapErr(err)
}

// Approve implements web.Store.
func (a *Adapter) Approve(ctx context.Context, id int64, by string) error {
	return mapErr(a.st.Approve(ctx, id, by))
}

// Reject implements web.Store.
func (a *Adapter) Reject(ctx context.Context, id int64, by, reason string) error {
	return mapErr(a.st.Reject(ctx, id, by, reason))
}

// EditDraft implements web.Store.
func (a *Adapter) EditDraft(ctx context.Context, id int64, subject, text, html, by string) error {
	return mapErr(a.st.EditDraft(ctx, id, subject, text, html, by))
}

// ClaimRequest implements web.Store.
func (a *Adapter) ClaimRequest(ctx context.Context, requestID, userID int64) error {
	return mapErr(a.st.ClaimRequest(ctx, requestID, userID))
}

// FailedDrafts implements web.Store.
func (a *Adapter) FailedDrafts(ctx context.Context, limit int) ([]web.FailedDraft, error) {
	fs, err := a.st.FailedDrafts(ctx, limit)
	out := make([]web.FailedDraft, len(fs))
	for i, f := range fs {
		out[i] = web.FailedDraft{DraftID: f.DraftID, RequestID: f.RequestID, Status: f.Status, Subject: f.Subject,
			To: f.To, Attempts: f.Attempts, LastError: f.LastError, UpdatedAt: f.UpdatedAt}
	}
	return out, mapErr(err)
}

// RetrySend implements web.Store.
func (a *Adapter) RetrySend(ctx context.Context, draftID int64, by string) error {
	return mapErr(a.st.RetrySend(ctx, draftID, by))
}

// MailboxHealth implements web.Store.
func (a *Adapter) MailboxHealth(ctx context.Context) ([]web.MailboxHealth, error) {
	ms, err := a.st.MailboxHealth(ctx)
	out := make([]web.MailboxHealth, len(ms))
	for i, m := range ms {
		out[i] = web.MailboxHealth(m)
	}
	return out, mapErr(err)
}

// SearchDirectory implements web.Store.
func (a *Adapter) SearchDirectory(ctx context.Context, name, state, city string, limit int) ([]web.Candidate, error) {
	cs, err := a.st.SearchDirectory(ctx, name, state, city, limit)
	out := make([]web.Candidate, len(cs))
	for i, c := range cs {
		out[i] = web.Candidate(c)
	}
	return out, mapErr(err)
}

// BrokenListings implements web.Store.
func (a *Adapter) BrokenListings(ctx context.Context, limit int) ([]web.BrokenListing, error) {
	ls, err := a.st.BrokenListings(ctx, limit)
	out := make([]web.BrokenListing, len(ls))
	for i, l := range ls {
		out[i] = web.BrokenListing{GroupID: l.GroupID, Name: l.Name, City: l.City, State: l.State,
			ContactStatus: l.ContactStatus, PublicEmail: l.PublicEmail, Website: l.Website, Twitter: l.Twitter,
			Facebook: l.Facebook, LastReported: l.LastReported, Reports: l.Reports, Problems: l.Problems}
	}
	return out, mapErr(err)
}

// SetGroupStatus implements web.Store.
func (a *Adapter) SetGroupStatus(ctx context.Context, id int64, status, by string) error {
	return mapErr(a.st.SetGroupStatus(ctx, id, status, by))
}

// GroupContacts implements web.Store.
func (a *Adapter) GroupContacts(ctx context.Context, ids []int64) (map[int64]web.GroupContact, error) {
	gs, err := a.st.GroupsByIDs(ctx, ids)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make(map[int64]web.GroupContact, len(gs))
	for _, g := range gs {
		out[g.ID] = web.GroupContact{PublicEmail: g.PublicEmail, Website: g.Website, Twitter: g.Twitter, Facebook: g.Facebook}
	}
	return out, nil
}

// SetGroupContact implements web.Store.
func (a *Adapter) SetGroupContact(ctx context.Context, id int64, c web.GroupContact, by string) error {
	return mapErr(a.st.SetGroupContact(ctx, id, store.GroupContact(c), by))
}

// Redrafter wraps the jobs pipeline (reclassify, place correction, choice
// of an introduction's target) so its errors map to web's.
type Redrafter struct {
	R interface {
		Reclassify(ctx context.Context, requestID int64, kind workflows.Kind, by string) error
		Redraft(ctx context.Context, requestID int64, fix workflows.PlaceFix, by string) error
		ChooseTarget(ctx context.Context, requestID, groupID int64, optIn *bool, by string) error
	}
}

// Reclassify implements web.Redrafter.
func (r Redrafter) Reclassify(ctx context.Context, requestID int64, kind workflows.Kind, by string) error {
	return mapErr(r.R.Reclassify(ctx, requestID, kind, by))
}

// Redraft implements web.Redrafter. A refused place is web.ErrInvalid with
// the message `switchboard queue set` prints.
func (r Redrafter) Redraft(ctx context.Context, requestID int64, fix workflows.PlaceFix, by string) error {
	err := r.R.Redraft(ctx, requestID, fix, by)
	if errors.Is(err, workflows.ErrBadPlace) {
		msg := err.Error()
		if _, after, ok := strings.Cut(msg, "correct place: "); ok {
			msg = after
		}
		return fmt.Errorf("%w: %s", web.ErrInvalid, msg)
	}
	return mapErr(err)
}

// ChooseTarget implements web.Redrafter. An unknown group is web.ErrInvalid
// with the message `switchboard queue set --target` prints.
func (r Redrafter) ChooseTarget(ctx context.Context, requestID, groupID int64, optIn *bool, by string) error {
	err := r.R.ChooseTarget(ctx, requestID, groupID, optIn, by)
	if errors.Is(err, jobs.ErrUnknownGroup) {
		return fmt.Errorf("%w: group %d does not exist: find the group's id in the directory (request %d is unchanged)",
			web.ErrInvalid, groupID, requestID)
	}
	return mapErr(err)
}
