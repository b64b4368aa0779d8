package workflows

import (
	"errors"
	"fmt"
	"strings"

	"switchboard/directory"
	"switchboard/templates"
)

// ErrNoLeaderAddress means a group has neither a leader nor a public email
// address: nobody can be asked or introduced by email.
var ErrNoLeaderAddress = errors.New("the group has no leader or public email address")

// LeaderAddress is where mail for group g's leader goes: the private leader
// address, falling back to the public one (DESIGN invariant 4: only an
// approved introduction, or a mail to that leader alone, carries it).
func LeaderAddress(g directory.Group) (Address, error) {
	if g.LeaderEmail != "" {
		return Address{Name: g.LeaderName, Address: g.LeaderEmail}, nil
	}
	if g.PublicEmail != "" {
		return Address{Name: g.Name, Address: g.PublicEmail}, nil
	}
	return Address{}, fmt.Errorf("group %d: %w", g.ID, ErrNoLeaderAddress)
}

// IntroOptions is what composing an introduction mail needs beyond the
// request: how far the requester's group is known, and our own address.
type IntroOptions struct {
	// RequesterByName means the requester's group was found by the name
	// the sender gave, not by their address: the mail says they say they
	// are with it rather than asserting it. A nil requester group with a
	// f.RequesterGroup is always worded as a claim.
	RequesterByName bool
	// Support is the support address (jobs.Deps.From): where a leader
	// sends new contact details. The introduction's Reply-To holds only
	// the two leaders, so "reply" never reaches us.
	Support Address
}

// disputableEvidence are the claims the directory can contradict: a group
// said to be "only on Facebook", or to have a dormant Twitter, that lists a
// public email or website was perhaps not looked up well.
var disputableEvidence = map[string]bool{"facebook_only": true, "twitter_dormant": true}

// DirectoryContradicts reports whether the directory contradicts evidence
// against target: it lists a public email or website for the group while
// the leader said it can only be reached through Facebook, or through a
// dormant Twitter account. The report is kept, but the group's listing is
// not marked broken, and the mail only says what the leader reported.
func DirectoryContradicts(target directory.Group, evidence []string) bool {
	if target.PublicEmail == "" && target.Website == "" {
		return false
	}
	for _, e := range evidence {
		if disputableEvidence[e] {
			return true
		}
	}
	return false
}

// Disputable reports whether problem is one the directory can contradict
// (see DirectoryContradicts).
func Disputable(problem string) bool { return disputableEvidence[problem] }

// ContradictionNote is the note for staff when DirectoryContradicts: what
// the directory lists for target, to check before introducing.
func ContradictionNote(target directory.Group) string {
	what := "a public email"
	switch {
	case target.PublicEmail != "" && target.Website != "":
		what = "a public email and a website"
	case target.PublicEmail == "":
		what = "a website"
	}
	return fmt.Sprintf("the directory lists %s for %s: check before introducing (the leader reported it reachable only through Facebook or a dormant Twitter)",
		what, target.Name)
}

// ClaimNote is the note for staff when the requester's group was found by
// the name the sender gave, not by their address.
func ClaimNote(group string) string {
	return fmt.Sprintf("requester claims group %s; their address is not on file for it", group)
}

// reportedReasons say, when the directory contradicts the evidence, what
// the leader reported, without asserting it.
var reportedReasons = map[string]string{
	"email_bounced":   "their email to the group's public address bounced",
	"url_broken":      "the website they found didn't work",
	"twitter_dormant": "the group's Twitter account looked inactive to them",
	"facebook_only":   "they found only a Facebook page for the group",
	"phone_full":      "the group's voicemail was full",
}

// introReasons returns the sentences of f's evidence, and whether they are
// only what the leader reported (the directory contradicts them).
func introReasons(f Fields, target directory.Group) (reasons []string, reported bool) {
	reported = DirectoryContradicts(target, f.Evidence)
	m := evidenceReasons
	if reported {
		m = reportedReasons
	}
	for _, e := range f.Evidence {
		if s, ok := m[e]; ok {
			reasons = append(reasons, s)
		}
	}
	return reasons, reported
}

// requesterParts names the requester in mail to the target: their group
// (verified when found by address), and their name. The consent request
// carries no address, so a sender without a name is "a fellow group leader"
// in the templates.
func requesterParts(in *Inbound, f Fields, requester *directory.Group, o IntroOptions) (group, name, city string, claimed bool) {
	name = GreetingName(in.ReplyAddress())
	if requester != nil {
		if requester.City != "" && requester.State != "" {
			city = requester.City + ", " + requester.State
		}
		return requester.Name, name, city, o.RequesterByName
	}
	return f.RequesterGroup, name, "", f.RequesterGroup != ""
}

// ComposeConsentRequest drafts the question to target's leader, alone,
// whether they agree to be introduced to the sender of in (double opt-in).
// It names the requester's group and what they want to do, never an
// address. It is a new conversation: the leader's answer is linked to it by
// its Message-ID (In-Reply-To, References).
func ComposeConsentRequest(in *Inbound, f Fields, requester *directory.Group, target directory.Group, o IntroOptions, r Renderer) (Draft, error) {
	to, err := LeaderAddress(target)
	if err != nil {
		return Draft{}, fmt.Errorf("compose consent request: %w", err)
	}
	group, name, city, claimed := requesterParts(in, f, requester, o)
	data := templates.IntroConsentData{
		RecipientName: target.LeaderName,
		Target:        target.Name,
		Requester:     group,
		RequesterName: name,
		Claimed:       claimed,
		RequesterCity: city,
		Purpose:       IntroPurpose(in),
	}
	data.Reasons, data.Reported = introReasons(f, target)
	out, err := r.Render(string(DraftIntroConsent), data)
	if err != nil {
		return Draft{}, fmt.Errorf("compose consent request: %w", err)
	}
	return Draft{Kind: DraftIntroConsent, To: []Address{to}, Subject: out.Subject, Text: out.Text, HTML: out.HTML,
		GroupIDs: []int64{target.ID}}, nil
}

// ComposeIntroNote drafts the polite note to the sender of in when the
// introduction to target will not happen: declined when the leader said no,
// else they did not answer in time. It is threaded under the request and
// shares no address.
func ComposeIntroNote(in *Inbound, target directory.Group, declined bool, r Renderer) (Draft, error) {
	to := in.ReplyAddress()
	if to.Address == "" {
		return Draft{}, fmt.Errorf("compose introduction note: %w", errNoReplyAddress)
	}
	out, err := r.Render(string(DraftIntroNote), templates.IntroNoteData{
		RecipientName: GreetingName(to), Target: target.Name, Declined: declined})
	if err != nil {
		return Draft{}, fmt.Errorf("compose introduction note: %w", err)
	}
	d := reply(DraftIntroNote, in, out)
	d.GroupIDs = []int64{target.ID}
	return d, nil
}

// SameLeader reports whether addr is group g's leader or public address:
// who may answer a consent request.
func SameLeader(addr string, g directory.Group) bool {
	addr = strings.TrimSpace(addr)
	return addr != "" && (strings.EqualFold(addr, g.LeaderEmail) || strings.EqualFold(addr, g.PublicEmail))
}
