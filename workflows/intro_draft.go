package workflows

import (
	"cmp"
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

// requesterLabel names the requester in mail to the target: their group,
// else what they named as their group, else their name or address.
func requesterLabel(in *Inbound, f Fields, requester *directory.Group) (label, city string) {
	if requester != nil {
		if requester.City != "" && requester.State != "" {
			city = requester.City + ", " + requester.State
		}
		return requester.Name, city
	}
	from := in.ReplyAddress()
	return cmp.Or(f.RequesterGroup, GreetingName(from), "A group leader"), ""
}

// ComposeConsentRequest drafts the question to target's leader, alone,
// whether they agree to be introduced to the sender of in (double opt-in).
// It names the requester's group and what they want to do, never an
// address. It is a new conversation: the leader's answer is linked to it by
// its Message-ID (In-Reply-To, References).
func ComposeConsentRequest(in *Inbound, f Fields, requester *directory.Group, target directory.Group, r Renderer) (Draft, error) {
	to, err := LeaderAddress(target)
	if err != nil {
		return Draft{}, fmt.Errorf("compose consent request: %w", err)
	}
	label, city := requesterLabel(in, f, requester)
	data := templates.IntroConsentData{
		RecipientName: target.LeaderName,
		Target:        target.Name,
		Requester:     label,
		RequesterCity: city,
		Purpose:       IntroPurpose(in),
	}
	for _, e := range f.Evidence {
		if s, ok := evidenceReasons[e]; ok {
			data.Reasons = append(data.Reasons, s)
		}
	}
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
