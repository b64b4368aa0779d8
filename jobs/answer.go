package jobs

import (
	"context"
	"fmt"

	"switchboard/workflows"
)

// answerQuestion reads a follow-up threaded to a list question we sent
// (its In-Reply-To or References name the question's SMTP Message-ID) as the
// answer to it: when the leader's own words give the place (the state of
// the city we asked about, or a ZIP), the follow-up becomes a list request
// for that place, drafted as any other; otherwise it stays a follow-up for
// triage, with the reason. known are the thread's Message-IDs we hold.
func (p *Pipeline) answerQuestion(ctx context.Context, in *workflows.Inbound, known []string, c workflows.Classification) (workflows.Classification, error) {
	if c.Kind != workflows.KindFollowup || len(known) == 0 {
		return c, nil
	}
	qs, err := p.deps.Store.QuestionsSentAs(ctx, known)
	if err != nil || len(qs) == 0 {
		return c, err
	}
	q := qs[0] // the latest question of the thread
	f, why, ok := workflows.PlaceAnswer(in, q.Fields, p.deps.Geo)
	if !ok {
		c.Reasons = append(c.Reasons, fmt.Sprintf("answers our question of request %d about %s, but %s", q.RequestID, q.Fields.City, why))
		return c, nil
	}
	c.Kind, c.Kinds, c.Confidence = workflows.KindListRequest, []workflows.Kind{workflows.KindListRequest}, 0.9
	c.Fields = f
	c.Reasons = append(c.Reasons, fmt.Sprintf("answers our question of request %d about %s: %s", q.RequestID, q.Fields.City, why))
	return c, nil
}
