package jobs

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"switchboard/mailout"
	"switchboard/store"
)

type sendWorker struct {
	river.WorkerDefaults[store.SendArgs]
	p *Pipeline
}

func (w *sendWorker) Work(ctx context.Context, job *river.Job[store.SendArgs]) error {
	err := w.p.Send(ctx, job.Args.DraftID)
	if err != nil && mailout.IsPermanent(err) {
		return river.JobCancel(err)
	}
	return err
}

// Send sends one approved draft. The Message-ID is stored and the draft
// marked "sending" before the SMTP dial, so that a crash mid-send leaves a
// draft whose outcome a person decides (DESIGN.md invariant 2) instead of a
// blind resend. A temporary failure returns the draft to "approved" and the
// job is retried; a permanent one marks it failed.
func (p *Pipeline) Send(ctx context.Context, draftID int64) error {
	log := p.deps.Logger.With("draft_id", draftID)
	mid := mailout.NewMessageID(domainOf(p.deps.From.Address))
	d, err := p.deps.Store.ClaimDraftForSend(ctx, draftID, mid)
	if errors.Is(err, store.ErrConflict) {
		log.Warn("draft is not waiting to be sent; not sending it again", "error", err)
		return nil
	}
	if err != nil {
		return fmt.Errorf("claim draft %d: %w", draftID, err)
	}
	// A retry keeps the Message-ID the first attempt stored: send exactly
	// the one on record.
	if d.SMTPMessageID != "" {
		mid = d.SMTPMessageID
	}
	files, err := p.deps.Store.DraftAttachments(ctx, draftID)
	if err != nil {
		if merr := p.deps.Store.MarkDraftFailed(ctx, draftID, err, false); merr != nil {
			return errors.Join(err, merr)
		}
		return err
	}
	attachments := make([]mailout.OutAttachment, len(files))
	for i, f := range files {
		attachments[i] = mailout.OutAttachment{Filename: f.Filename, ContentType: f.ContentType, Data: f.Data, ContentID: f.ContentID}
	}
	err = p.deps.Sender.Send(ctx, mailout.Outgoing{
		MessageID:   mid,
		From:        p.deps.From,
		To:          d.To,
		Cc:          d.Cc,
		ReplyTo:     d.ReplyTo,
		Subject:     d.Subject,
		Text:        d.Text,
		HTML:        d.HTML,
		InReplyTo:   d.InReplyTo,
		References:  d.References,
		Attachments: attachments,
	})
	if err != nil {
		final := mailout.IsPermanent(err)
		if merr := p.deps.Store.MarkDraftFailed(ctx, draftID, err, final); merr != nil {
			return errors.Join(err, merr)
		}
		log.Warn("send failed", "error", err, "final", final)
		return err
	}
	if err := p.deps.Store.MarkDraftSent(ctx, draftID); err != nil {
		return fmt.Errorf("mark draft %d sent: %w", draftID, err)
	}
	log.Info("draft sent", "message_id", mid)
	return nil
}

func domainOf(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == '@' {
			return addr[i+1:]
		}
	}
	return "localhost"
}
