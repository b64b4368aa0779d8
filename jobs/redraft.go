package jobs

import (
	"context"
	"fmt"

	"switchboard/mailin"
	"switchboard/store"
	"switchboard/workflows"
)

// Reclassify re-drafts request requestID as kind, which a person chose: the
// message is parsed and its fields extracted again, the kind replaced (with
// full confidence), and the drafts written as Process would; the store
// supersedes the old drafts and keeps the correction as a labelled example.
func (p *Pipeline) Reclassify(ctx context.Context, requestID int64, kind workflows.Kind, by string) error {
	if !kind.Valid() || kind == workflows.KindMixed {
		return fmt.Errorf("reclassify request %d: invalid kind %q", requestID, kind)
	}
	req, err := p.deps.Store.Request(ctx, requestID)
	if err != nil {
		return err
	}
	msg, err := p.deps.Store.Message(ctx, req.MessageID)
	if err != nil {
		return fmt.Errorf("load message %d: %w", req.MessageID, err)
	}
	in, perr := mailin.Parse(msg.Raw, msg.InternalDate)
	if perr != nil {
		return fmt.Errorf("reclassify request %d: the message cannot be parsed: %w", requestID, perr)
	}
	known, err := p.deps.Store.KnownMessageIDs(ctx, append(append([]string(nil), in.InReplyTo...), in.References...))
	if err != nil {
		return err
	}
	c := workflows.Classify(in, p.deps.Geo, workflows.Context{KnownThread: len(known) > 0, OwnAddresses: p.deps.OwnAddresses})
	c.Kind, c.Kinds, c.Confidence = kind, []workflows.Kind{kind}, 1
	c.Reasons = append(c.Reasons, "kind set by "+by)
	status, drafts, cands, intro, err := p.draftPlan(ctx, in, &c)
	if err != nil {
		return err
	}
	if err := p.deps.Store.Reclassify(ctx, store.Reclassification{RequestID: requestID, Classification: c, Status: status,
		Drafts: drafts, Candidates: cands, By: by}); err != nil {
		return err
	}
	return p.saveIntro(ctx, requestID, req.MessageID, in, c.Fields, intro)
}
