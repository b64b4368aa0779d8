package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"switchboard/directory"
	"switchboard/store"
	"switchboard/workflows"
)

// afterIntro is what Process does for introductions once a request is
// stored: an introduction request gets its row and the evidence against its
// target's listing; a reply in the thread of a consent request is the
// target leader's answer; a bounce of our own mail flags the address it hit.
func (p *Pipeline) afterIntro(ctx context.Context, requestID, messageID int64, in *workflows.Inbound, c workflows.Classification, plan *store.IntroPlan) error {
	if err := p.saveIntro(ctx, requestID, messageID, in, c.Fields, plan); err != nil {
		return err
	}
	switch c.Kind {
	case workflows.KindBounce:
		return p.linkBounce(ctx, requestID, messageID, in)
	case workflows.KindAutoReply:
		return nil // an out-of-office is no answer (RFC 3834)
	}
	return p.consentAnswer(ctx, requestID, messageID, in)
}

// consentAnswer handles a reply in the thread of a consent request. A clear
// yes from the target's leader drafts the introduction; a clear no drafts
// the note to the requester; anything else, or a reply from someone else,
// stays with staff as the follow-up it is.
func (p *Pipeline) consentAnswer(ctx context.Context, requestID, messageID int64, in *workflows.Inbound) error {
	ids := append(append([]string(nil), in.InReplyTo...), in.References...)
	if len(ids) == 0 {
		return nil
	}
	intro, err := p.deps.Store.IntroductionByConsentThread(ctx, ids)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	log := p.deps.Logger.With("request_id", intro.RequestID, "answer_request_id", requestID)
	if intro.State != store.IntroAwaitingConsent || intro.TargetGroupID == nil {
		log.InfoContext(ctx, "reply to a consent request already decided; left for staff")
		return nil
	}
	target, err := p.deps.Store.Group(ctx, *intro.TargetGroupID)
	if err != nil {
		return err
	}
	answer := workflows.ConsentAnswer(in)
	if !workflows.SameLeader(in.From.Address, target) && !workflows.SameLeader(in.ReplyAddress().Address, target) {
		answer = workflows.ConsentUnclear // only the leader we asked may answer
	}
	if answer == workflows.ConsentUnclear {
		log.InfoContext(ctx, "consent answer unclear; left for staff")
		return nil
	}
	o := store.ConsentOutcome{RequestID: intro.RequestID, Answer: string(answer), AnswerRequestID: requestID,
		AnswerMessageID: messageID, By: "rules"}
	if err := p.consentDrafts(ctx, intro, answer == workflows.ConsentYes, &o); err != nil {
		return err
	}
	applied, err := p.deps.Store.ApplyConsentOutcome(ctx, o)
	if err != nil {
		return err
	}
	log.InfoContext(ctx, "consent answer recorded", "answer", answer, "applied", applied)
	return nil
}

// consentDrafts fills o with what follows the leader's answer: the
// introduction when yes, else the note to the requester (declined when the
// leader said no, no answer when o.Answer is "timeout").
func (p *Pipeline) consentDrafts(ctx context.Context, intro store.Introduction, yes bool, o *store.ConsentOutcome) error {
	req, err := p.deps.Store.Request(ctx, intro.RequestID)
	if err != nil {
		return err
	}
	msg, err := p.deps.Store.Message(ctx, req.MessageID)
	if err != nil {
		return fmt.Errorf("load message %d: %w", req.MessageID, err)
	}
	in, err := parseStored(msg.Raw, msg.InternalDate)
	if err != nil {
		return fmt.Errorf("parse message %d: %w", req.MessageID, err)
	}
	target, err := p.deps.Store.Group(ctx, *intro.TargetGroupID)
	if err != nil {
		return err
	}
	if !yes {
		d, err := workflows.ComposeIntroNote(in, target, o.Answer == string(workflows.ConsentNo), p.deps.Templates)
		if err != nil {
			return err
		}
		o.State, o.Drafts = store.IntroDeclined, []workflows.Draft{d}
		if o.Answer != string(workflows.ConsentNo) {
			o.State = store.IntroExpired
		}
		return nil
	}
	var requester *directory.Group
	if intro.RequesterGroupID != nil {
		g, err := p.deps.Store.Group(ctx, *intro.RequesterGroupID)
		if err != nil {
			return err
		}
		requester = &g
	}
	d, err := workflows.ComposeIntroduction(in, req.Fields, requester, target, p.introOptions(intro.RequesterMatched), p.deps.Templates)
	if err != nil {
		return err
	}
	o.State, o.Drafts = store.IntroDrafted, []workflows.Draft{d}
	return nil
}

// ExpireConsents drafts the note to the requester of every introduction
// whose target leader has not answered the consent request within the wait
// (IntroSettings.Wait). It returns how many it expired.
func (p *Pipeline) ExpireConsents(ctx context.Context, now time.Time) (int, error) {
	due, err := p.deps.Store.DueConsents(ctx, now.Add(-p.deps.Intro.wait()), 100)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, intro := range due {
		o := store.ConsentOutcome{RequestID: intro.RequestID, Answer: "timeout", By: "timeout"}
		if err := p.consentDrafts(ctx, intro, false, &o); err != nil {
			return n, fmt.Errorf("expire consent of request %d: %w", intro.RequestID, err)
		}
		applied, err := p.deps.Store.ApplyConsentOutcome(ctx, o)
		if err != nil {
			return n, err
		}
		if applied {
			n++
			p.deps.Logger.InfoContext(ctx, "consent request expired", "request_id", intro.RequestID)
		}
	}
	return n, nil
}

// IntroTimeoutArgs is the periodic River job that expires unanswered
// consent requests.
type IntroTimeoutArgs struct{}

// Kind is the River job kind, "intro_timeouts".
func (IntroTimeoutArgs) Kind() string { return "intro_timeouts" }

type introTimeoutWorker struct {
	river.WorkerDefaults[IntroTimeoutArgs]
	p *Pipeline
}

func (w *introTimeoutWorker) Work(ctx context.Context, _ *river.Job[IntroTimeoutArgs]) error {
	_, err := w.p.ExpireConsents(ctx, time.Now())
	return err
}

// addIntroWorker registers the timeout worker and returns its periodic job:
// every IntroSettings.Sweep, and once at start.
func addIntroWorker(workers *river.Workers, p *Pipeline) []*river.PeriodicJob {
	river.AddWorker(workers, &introTimeoutWorker{p: p})
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(p.deps.Intro.sweep()),
		func() (river.JobArgs, *river.InsertOpts) {
			return IntroTimeoutArgs{}, nil // only the leader enqueues; the work is idempotent
		}, &river.PeriodicJobOpts{RunOnStart: true})}
}
