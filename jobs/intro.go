package jobs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"switchboard/directory"
	"switchboard/mailout"
	"switchboard/store"
	"switchboard/workflows"
)

// IntroSettings configure introductions. The zero value introduces directly
// (no opt-in) and waits DefaultIntroWait; cmd/switchboard sets them from
// SWITCHBOARD_INTRO_OPT_IN (default true) and SWITCHBOARD_INTRO_OPT_IN_WAIT.
type IntroSettings struct {
	// OptIn asks the target group's leader first (double opt-in): the
	// introduction is drafted only once they answer yes.
	OptIn bool
	// Wait is how long an answer is awaited after the consent request is
	// sent; 0 means DefaultIntroWait.
	Wait time.Duration
	// Sweep is how often the timeout job looks for expired waits; 0 means
	// DefaultIntroSweep.
	Sweep time.Duration
}

// DefaultIntroWait is how long a target leader has to answer a consent
// request, and DefaultIntroSweep how often expired waits are looked for.
const (
	DefaultIntroWait  = 7 * 24 * time.Hour
	DefaultIntroSweep = time.Hour
)

func (s IntroSettings) wait() time.Duration {
	if s.Wait <= 0 {
		return DefaultIntroWait
	}
	return s.Wait
}

func (s IntroSettings) sweep() time.Duration {
	if s.Sweep <= 0 {
		return DefaultIntroSweep
	}
	return s.Sweep
}

// minTargetMargin is how far the top candidate must score above the next
// one to be taken without a person: "Springfield Indivisible" and
// "Indivisible Springfield" score alike when the place does not tell them
// apart.
const minTargetMargin = 0.1

// introPlan is what introDraft decided: the draft (nil when a person must
// pick the group), the candidates shown to staff, and the introduction row.
type introPlan struct {
	draft *workflows.Draft
	cands []store.Candidate
	plan  store.IntroPlan
	notes []string // for staff, on the request's reasons
}

// ErrUnknownGroup means a group id given for an introduction is not in the
// directory.
var ErrUnknownGroup = errors.New("no such group in the directory")

// introNotes are the notes for staff about an introduction from requester
// (found by how) to target (nil when none is chosen): a requesting group
// found only by the name the sender gave, and evidence against target that
// the directory contradicts.
func introNotes(requester *directory.Group, how string, target *directory.Group, f workflows.Fields) []string {
	var out []string
	if requester != nil && how == "name" {
		out = append(out, workflows.ClaimNote(requester.Name))
	}
	if target != nil && workflows.DirectoryContradicts(*target, f.Evidence) {
		out = append(out, workflows.ContradictionNote(*target))
	}
	return out
}

// planIntro finds who asks (requester) and whom they mean (target), and
// drafts the consent request (opt-in) or the introduction, only on a strong
// match of a named group. A vague description, a weak or ambiguous match,
// or a target nobody can be written to leaves the request to a person, with
// the candidates.
func (p *Pipeline) planIntro(ctx context.Context, in *workflows.Inbound, f workflows.Fields) (introPlan, error) {
	requester, how, err := p.findRequester(ctx, in, f)
	if err != nil {
		return introPlan{}, err
	}
	out := introPlan{plan: store.IntroPlan{RequesterMatched: how, OptIn: p.deps.Intro.OptIn, State: store.IntroAwaitingTarget}}
	if requester != nil {
		out.plan.RequesterGroupID = requester.ID
	}
	out.notes = introNotes(requester, how, nil, f)
	if f.TargetGroup == "" {
		return out, nil
	}
	vague := workflows.VagueTarget(f.TargetGroup)
	var cands []store.Candidate
	if vague {
		cands, err = p.deps.Store.GroupsInPlace(ctx, f.TargetGroup, f.City, f.State, f.ZIP, f.District, 6)
	} else {
		cands, err = p.deps.Store.FindGroups(ctx, f.TargetGroup, f.State, f.City, 6)
	}
	if err != nil {
		return introPlan{}, err
	}
	if requester != nil {
		cands = slices.DeleteFunc(cands, func(c store.Candidate) bool { return c.GroupID == requester.ID })
	}
	if len(cands) > 5 {
		cands = cands[:5]
	}
	out.cands = cands
	if vague || len(cands) == 0 || cands[0].Score < minTargetScore ||
		(len(cands) > 1 && cands[0].Score-cands[1].Score < minTargetMargin) {
		return out, nil // a person picks the group
	}
	target, err := p.deps.Store.Group(ctx, cands[0].GroupID)
	if err != nil {
		return introPlan{}, err
	}
	d, state, err := p.composeIntro(in, f, requester, how, target, p.deps.Intro.OptIn)
	if err != nil || d == nil {
		return out, err
	}
	out.notes = introNotes(requester, how, &target, f)
	out.draft = d
	out.plan.TargetGroupID, out.plan.TargetChosenBy, out.plan.State = target.ID, "match", state
	return out, nil
}

// composeIntro drafts the consent request (optIn) or the introduction of
// the sender of in to target; how is how requester was found
// (findRequester). It returns a nil draft, for a person to decide, when
// target cannot be written to or is the requester's own group.
func (p *Pipeline) composeIntro(in *workflows.Inbound, f workflows.Fields, requester *directory.Group, how string, target directory.Group, optIn bool) (*workflows.Draft, store.IntroState, error) {
	to, err := workflows.LeaderAddress(target)
	if errors.Is(err, workflows.ErrNoLeaderAddress) {
		return nil, store.IntroAwaitingTarget, nil
	}
	if (requester != nil && requester.ID == target.ID) || strings.EqualFold(to.Address, in.ReplyAddress().Address) ||
		mailout.Refuse(to.Address, p.deps.OwnAddresses) != nil {
		return nil, store.IntroAwaitingTarget, nil
	}
	o := p.introOptions(how)
	if optIn {
		d, err := workflows.ComposeConsentRequest(in, f, requester, target, o, p.deps.Templates)
		if err != nil {
			return nil, "", err
		}
		return &d, store.IntroAwaitingConsent, nil
	}
	d, err := workflows.ComposeIntroduction(in, f, requester, target, o, p.deps.Templates)
	if err != nil {
		return nil, "", err
	}
	return &d, store.IntroDrafted, nil
}

// introOptions are the options of the introduction mails for a requesting
// group found by how ("email", "name" or "").
func (p *Pipeline) introOptions(how string) workflows.IntroOptions {
	return workflows.IntroOptions{RequesterByName: how != "email", Support: p.deps.From}
}

// findRequester finds the sender's group: their address (Reply-To or From)
// as a leader or public address in the directory, else a group they name as
// theirs in the text or signature, matched fuzzily with the place. how is
// "email", "name", or "" when the group is unknown.
func (p *Pipeline) findRequester(ctx context.Context, in *workflows.Inbound, f workflows.Fields) (*directory.Group, string, error) {
	for _, a := range []string{in.ReplyAddress().Address, in.From.Address} {
		if a == "" {
			continue
		}
		g, err := p.deps.Store.GroupByEmail(ctx, a)
		if err == nil {
			return &g, "email", nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, "", err
		}
	}
	for _, name := range workflows.RequesterNames(in, f) {
		cands, err := p.deps.Store.FindGroups(ctx, name, f.State, f.City, 2)
		if err != nil {
			return nil, "", err
		}
		if len(cands) == 0 || cands[0].Score < minTargetScore ||
			(len(cands) > 1 && cands[0].Score-cands[1].Score < minTargetMargin) {
			continue
		}
		g, err := p.deps.Store.Group(ctx, cands[0].GroupID)
		if err != nil {
			return nil, "", err
		}
		return &g, "name", nil
	}
	return nil, "", nil
}

// recordEvidence stores the evidence of request requestID (message
// messageID) against the listing of group groupID: each reason the leader
// gave why its listed contact did not work, dated by the message.
func (p *Pipeline) recordEvidence(ctx context.Context, requestID, messageID, groupID int64, f workflows.Fields, date time.Time) error {
	if groupID == 0 || len(f.Evidence) == 0 {
		return nil
	}
	if date.IsZero() {
		date = time.Now()
	}
	g, err := p.deps.Store.Group(ctx, groupID)
	if err != nil {
		return err
	}
	contradicted := workflows.DirectoryContradicts(g, f.Evidence)
	ps := make([]store.ContactProblem, 0, len(f.Evidence))
	for _, e := range f.Evidence {
		kind := ""
		if e == "email_bounced" {
			kind = "public" // what a leader tried is the listed address
		}
		ps = append(ps, store.ContactProblem{GroupID: groupID, Problem: e, AddressKind: kind, Source: "request",
			RequestID: requestID, MessageID: messageID, ReportedOn: date,
			// the directory lists a public email or website: kept as a
			// report, the listing is not marked broken on this claim
			KeepStatus: contradicted && workflows.Disputable(e)})
	}
	n, err := p.deps.Store.RecordContactProblems(ctx, ps)
	if err != nil {
		return err
	}
	if n > 0 {
		p.deps.Logger.InfoContext(ctx, "listing reported broken", "request_id", requestID, "group_id", groupID, "reports", n)
	}
	return nil
}

// saveIntro records the introduction row of request requestID and the
// evidence against its target, after the request is stored.
func (p *Pipeline) saveIntro(ctx context.Context, requestID, messageID int64, in *workflows.Inbound, f workflows.Fields, plan *store.IntroPlan) error {
	if plan == nil {
		return nil
	}
	if err := p.deps.Store.SaveIntroduction(ctx, requestID, *plan); err != nil {
		return err
	}
	return p.recordEvidence(ctx, requestID, messageID, plan.TargetGroupID, f, in.Date)
}

// ChooseTarget applies a person's choice of the group request requestID
// means to be introduced to: the request's message is read again, the
// consent request (when optIn) or the introduction is drafted for groupID,
// and the store replaces the awaiting introduction drafts. optIn nil keeps
// the request's stored choice, else the setting. groupID 0 keeps the chosen
// target (to switch opt-in only).
func (p *Pipeline) ChooseTarget(ctx context.Context, requestID, groupID int64, optIn *bool, by string) error {
	req, err := p.deps.Store.Request(ctx, requestID)
	if err != nil {
		return err
	}
	if !slices.Contains(req.Kinds, string(workflows.KindIntroduction)) && req.Kind != workflows.KindIntroduction {
		return fmt.Errorf("choose target of request %d: it is not an introduction request (%s): %w", requestID, req.Kind, store.ErrConflict)
	}
	prev, err := p.deps.Store.Introduction(ctx, requestID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	useOptIn := p.deps.Intro.OptIn
	if err == nil {
		useOptIn = prev.OptIn
	}
	if optIn != nil {
		useOptIn = *optIn
	}
	if groupID == 0 {
		if prev.TargetGroupID == nil {
			return fmt.Errorf("choose target of request %d: no group is chosen yet: give --target GROUP_ID: %w", requestID, store.ErrConflict)
		}
		groupID = *prev.TargetGroupID
	}
	target, err := p.deps.Store.Group(ctx, groupID)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("choose target of request %d: group %d does not exist: find the group's id with \"switchboard groups search NAME\": %w",
			requestID, groupID, ErrUnknownGroup)
	}
	if err != nil {
		return err
	}
	if target.Status != "active" {
		return fmt.Errorf("choose target of request %d: group %d is %s: %w", requestID, groupID, target.Status, store.ErrConflict)
	}
	msg, err := p.deps.Store.Message(ctx, req.MessageID)
	if err != nil {
		return fmt.Errorf("choose target of request %d: %w", requestID, err)
	}
	in, err := parseStored(msg.Raw, msg.InternalDate)
	if err != nil {
		return fmt.Errorf("choose target of request %d: %w", requestID, err)
	}
	f := req.Fields
	requester, how, err := p.findRequester(ctx, in, f)
	if err != nil {
		return err
	}
	d, state, err := p.composeIntro(in, f, requester, how, target, useOptIn)
	if err != nil {
		return fmt.Errorf("choose target of request %d: %w", requestID, err)
	}
	if d == nil {
		return fmt.Errorf("choose target of request %d: group %d cannot be introduced (no email address, or the requester's own group): %w",
			requestID, groupID, store.ErrConflict)
	}
	plan := store.IntroPlan{RequesterMatched: how, TargetGroupID: target.ID, TargetChosenBy: by, OptIn: useOptIn, State: state}
	if requester != nil {
		plan.RequesterGroupID = requester.ID
	}
	if err := p.deps.Store.ChooseIntroTarget(ctx, store.TargetChoice{RequestID: requestID, Plan: plan,
		Drafts: []workflows.Draft{*d}, By: by, Reasons: introNotes(requester, how, &target, f)}); err != nil {
		return err
	}
	p.deps.Logger.InfoContext(ctx, "introduction target chosen", "request_id", requestID, "group_id", target.ID)
	return p.recordEvidence(ctx, requestID, req.MessageID, target.ID, f, in.Date)
}
