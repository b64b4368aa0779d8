package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river"

	"switchboard/mailin"
	"switchboard/mailout"
	"switchboard/store"
	"switchboard/workflows"
)

// Pipeline is the work behind the jobs, callable directly in tests.
type Pipeline struct{ deps Deps }

// NewPipeline returns the pipeline on d. A nil d.Logger discards logs, as
// NewRunner does.
func NewPipeline(d Deps) *Pipeline {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	return &Pipeline{deps: d}
}

type processWorker struct {
	river.WorkerDefaults[store.ProcessArgs]
	p *Pipeline
}

func (w *processWorker) Work(ctx context.Context, job *river.Job[store.ProcessArgs]) error {
	return w.p.Process(ctx, job.Args.MessageID)
}

// minTargetScore is the fuzzy-match score (pg_trgm similarity plus place
// context, 0..1) at which the top candidate is taken as the group a leader
// named. Below it, a person picks the group before anything is drafted.
const minTargetScore = 0.55

// Process parses, classifies and drafts one stored message and records the
// request. It is idempotent: a request already made for the message is kept.
// A message that cannot be parsed becomes a needs_triage request.
func (p *Pipeline) Process(ctx context.Context, messageID int64) error {
	log := p.deps.Logger.With("message_id", messageID)
	msg, err := p.deps.Store.Message(ctx, messageID)
	if err != nil {
		return fmt.Errorf("load message %d: %w", messageID, err)
	}
	in, perr := mailin.Parse(msg.Raw, msg.InternalDate)
	sanitize(in)
	if perr != nil {
		// The error may quote the bad bytes; keep it storable.
		perr = errors.New(clean(perr.Error()))
	}
	if err := p.deps.Store.SaveParsed(ctx, messageID, in, perr); err != nil {
		return fmt.Errorf("save parsed message %d: %w", messageID, err)
	}
	if handled, err := p.processTooLarge(ctx, messageID, msg.Raw, in); handled || err != nil {
		return err
	}
	if perr != nil {
		log.Warn("message could not be parsed; needs triage") // the error quotes message text: kept with the message, not logged
		_, err := p.deps.Store.CreateRequest(ctx, store.NewRequest{
			MessageID: messageID,
			Status:    workflows.StatusNeedsTriage,
			Classification: workflows.Classification{Kind: workflows.KindOther, Kinds: []workflows.Kind{workflows.KindOther},
				Reasons: []string{"the message could not be parsed: " + perr.Error()}},
		})
		return err
	}
	known, err := p.deps.Store.KnownMessageIDs(ctx, append(append([]string(nil), in.InReplyTo...), in.References...))
	if err != nil {
		return err
	}
	c := workflows.Classify(in, p.deps.Geo, workflows.Context{KnownThread: len(known) > 0, OwnAddresses: p.deps.OwnAddresses})
	if c, err = p.answerQuestion(ctx, in, known, c); err != nil {
		return err
	}
	if c, err = p.pressDefault(ctx, msg.Mailbox, c); err != nil {
		return err
	}
	req := store.NewRequest{MessageID: messageID}
	var intro *store.IntroPlan
	req.Status, req.Drafts, req.Candidates, intro, err = p.draftPlan(ctx, in, &c)
	if err != nil {
		return err
	}
	req.Classification = c
	id, err := p.deps.Store.CreateRequest(ctx, req)
	if err != nil {
		return err
	}
	log.Info("request recorded", "request_id", id, "kind", c.Kind, "status", req.Status, "drafts", len(req.Drafts))
	if err := p.afterIntro(ctx, id, messageID, in, c, intro); err != nil {
		return err
	}
	return p.afterRequest(ctx, id, messageID, in, c)
}

// draftPlan decides the request's status and writes its drafts, one per
// ask, and the introduction row an introduction ask makes. Notes for staff
// (an unverified requesting group, evidence the directory contradicts) are
// added to c.Reasons.
func (p *Pipeline) draftPlan(ctx context.Context, in *workflows.Inbound, c *workflows.Classification) (workflows.Status, []workflows.Draft, []store.Candidate, *store.IntroPlan, error) {
	switch c.Kind {
	case workflows.KindAutoReply, workflows.KindBounce:
		return workflows.StatusClosed, nil, nil, nil, nil
	case workflows.KindFollowup:
		return workflows.StatusNeedsTriage, nil, nil, nil, nil
	}
	if c.NeedsTriage() {
		return workflows.StatusNeedsTriage, nil, nil, nil, nil
	}
	if err := mailout.Refuse(in.ReplyAddress().Address, p.deps.OwnAddresses); err != nil {
		return workflows.StatusNeedsTriage, nil, nil, nil, nil
	}
	var drafts []workflows.Draft
	var cands []store.Candidate
	var intro *store.IntroPlan
	status := workflows.StatusDrafted
	for _, k := range c.Kinds {
		var d *workflows.Draft
		var err error
		switch k {
		case workflows.KindListRequest:
			d, err = p.listDraft(ctx, in, c.Fields)
		case workflows.KindIntroduction:
			var ip introPlan
			ip, err = p.planIntro(ctx, in, c.Fields)
			d, intro = ip.draft, &ip.plan
			c.Reasons = append(c.Reasons, ip.notes...)
			cands = append(cands, ip.cands...)
		case workflows.KindSubmission:
			var ack workflows.Draft
			ack, err = workflows.ComposeStoryAcknowledgement(in, storyFacts(in), p.deps.Templates)
			d = &ack
		}
		if err != nil {
			return "", nil, nil, nil, fmt.Errorf("draft %s: %w", k, err)
		}
		if d == nil {
			status = workflows.StatusNeedsTriage
			continue
		}
		drafts = append(drafts, *d)
	}
	if len(drafts) == 0 {
		status = workflows.StatusNeedsTriage
	}
	return status, drafts, cands, intro, nil
}
