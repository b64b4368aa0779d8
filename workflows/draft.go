package workflows

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"regexp"
	"slices"
	"strings"

	"switchboard/directory"
	"switchboard/templates"
)

// Draft is one outgoing mail awaiting approval. From and Message-ID are set
// by mailout when it is sent.
type Draft struct {
	Kind       DraftKind
	To, Cc     []Address
	ReplyTo    []Address // RFC 5322 §3.6.2
	Subject    string
	Text, HTML string
	InReplyTo  string   // RFC 5322 §3.6.4, without <>
	References []string // RFC 5322 §3.6.4, oldest first, without <>
	GroupIDs   []int64  // the groups the mail names, for the audit trail
	// Attachments are files sent with the mail (RFC 2183), e.g. the CSV of
	// a list reply.
	Attachments []DraftAttachment
}

// DraftAttachment is one file attached to a draft. SHA256 (hex) is that of
// Data; a draft loaded for approval carries the metadata without Data.
type DraftAttachment struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	SHA256      string `json:"sha256"`
	Size        int    `json:"size"`
	// ContentID (RFC 2392, without <>) makes the file an inline part that
	// the HTML references as "cid:ContentID"; "" is an ordinary attachment.
	ContentID string `json:"content_id,omitempty"`
	Data      []byte `json:"-"`
}

// NewDraftAttachment returns the attachment of data with its size and hash.
func NewDraftAttachment(filename, contentType string, data []byte) DraftAttachment {
	sum := sha256.Sum256(data)
	return DraftAttachment{Filename: filename, ContentType: contentType, SHA256: hex.EncodeToString(sum[:]),
		Size: len(data), Data: data}
}

// Renderer renders a named email template; *templates.Set implements it.
type Renderer interface {
	Render(name string, data any) (templates.Rendered, error)
}

// ContentHash is the SHA-256 (hex) of what an approval approves: To, Cc,
// Reply-To, subject, text and HTML, and each attachment's name, type and
// SHA-256 when there are any (so drafts without attachments hash as they
// always did). Each field is length-prefixed, so no two different drafts
// hash alike by shifting text between fields.
func (d Draft) ContentHash() string {
	h := sha256.New()
	for _, list := range [][]Address{d.To, d.Cc, d.ReplyTo} {
		writeField(h, fmt.Sprint(len(list)))
		for _, a := range list {
			writeField(h, a.Name)
			writeField(h, a.Address)
		}
	}
	for _, s := range []string{d.Subject, d.Text, d.HTML} {
		writeField(h, s)
	}
	if len(d.Attachments) > 0 {
		writeField(h, fmt.Sprint(len(d.Attachments)))
		for _, a := range d.Attachments {
			writeField(h, a.Filename)
			writeField(h, a.ContentType)
			writeField(h, a.SHA256)
		}
		if inline := slices.ContainsFunc(d.Attachments, func(a DraftAttachment) bool { return a.ContentID != "" }); inline {
			// Which parts are inline is approved too; drafts without
			// inline parts hash as before.
			writeField(h, "inline")
			for _, a := range d.Attachments {
				writeField(h, a.ContentID)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writeField writes s to h as "<len>:<s>".
func writeField(h hash.Hash, s string) {
	fmt.Fprintf(h, "%d:%s", len(s), s)
}

// replyPrefix matches one reply or forward marker at the start of a subject:
// Re, Aw (German), Sv (Nordic), Antw (Dutch), Fw, Fwd, Wg (German), with an
// optional counter ("Re[2]:", "RE(3):") and a space before the colon
// ("RE :", as French clients write it).
var replyPrefix = regexp.MustCompile(`(?i)^(re|aw|sv|antw|fwd?|wg)\s*(\[\d+\]|\(\d+\))?\s*:\s*`)

// fallbackSubject is the reply subject when the original has none.
const fallbackSubject = "Your message to the Support Team"

// baseSubject folds s to one line and strips every leading reply or forward
// marker, so "RE: Aw: Fwd:  Meeting" becomes "Meeting".
func baseSubject(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for {
		loc := replyPrefix.FindStringIndex(s)
		if loc == nil {
			return s
		}
		s = s[loc[1]:]
	}
}

// ReplySubject is the subject of a reply to a message with subject s:
// "Re: " and the original subject without its stacked reply and forward
// markers (RFC 5322 §3.6.5), or "Re: Your message to the Support Team" when
// s is empty.
func ReplySubject(s string) string {
	if b := baseSubject(s); b != "" {
		return "Re: " + b
	}
	return "Re: " + fallbackSubject
}

// reply starts a draft threaded under in: addressed to in's reply address,
// with In-Reply-To and References set (RFC 5322 §3.6.4) and the subject
// "Re: <original>", or the template's own subject when the original has
// none.
func reply(kind DraftKind, in *Inbound, r templates.Rendered) Draft {
	subject := r.Subject
	if b := baseSubject(in.Subject); b != "" {
		subject = "Re: " + b
	}
	d := Draft{
		Kind:    kind,
		To:      []Address{in.ReplyAddress()},
		Subject: subject,
		Text:    r.Text,
		HTML:    r.HTML,
	}
	if in.MessageID != "" {
		d.InReplyTo = in.MessageID
		d.References = append(append([]string(nil), in.References...), in.MessageID)
	} else if len(in.References) > 0 {
		d.References = append([]string(nil), in.References...)
	}
	return d
}

// errNoReplyAddress means the inbound message has nowhere to reply to.
var errNoReplyAddress = errors.New("no From or Reply-To address")

// ComposeListReply drafts the answer to a list request: the active groups of
// place, in the order given, showing only their public fields
// (directory.Group.Public). It is ComposeListAnswer with only a place and
// its groups; an empty list gives the polite "none found" variant.
func ComposeListReply(in *Inbound, f Fields, place string, groups []directory.Group, r Renderer) (Draft, error) {
	return ComposeListAnswer(in, f, ListAnswer{Place: place, Groups: groups}, r)
}

// placeName names the place of f for a reader: "Austin, TX", "TX-10", "TX",
// a ZIP code, or "your area".
func placeName(f Fields) string {
	switch {
	case f.City != "" && f.State != "":
		return f.City + ", " + f.State
	case f.District != "":
		return f.District
	case f.City != "":
		return f.City
	case f.State != "":
		return f.State
	case f.ZIP != "":
		return f.ZIP
	}
	return "your area"
}

// evidenceReasons turns Fields.Evidence codes into the sentences of an
// introduction.
var evidenceReasons = map[string]string{
	"email_bounced":   "the group's public email address bounced",
	"url_broken":      "the website listed on the map doesn't work",
	"twitter_dormant": "the group's Twitter account hasn't posted in a long time",
	"facebook_only":   "the group can only be reached through Facebook",
	"phone_full":      "the group's voicemail is full",
}

// ComposeIntroduction drafts the introduction of the requester (the sender
// of in, leading requester's group when known, else f.RequesterGroup) to
// target's leader. It is the only draft that may carry a private leader
// address (DESIGN invariant 4): To and Reply-To are the requester's reply
// address and target.LeaderEmail, falling back to target.PublicEmail.
func ComposeIntroduction(in *Inbound, f Fields, requester *directory.Group, target directory.Group, o IntroOptions, r Renderer) (Draft, error) {
	from := in.ReplyAddress()
	if from.Address == "" {
		return Draft{}, fmt.Errorf("compose introduction: %w", errNoReplyAddress)
	}
	to := Address{Name: target.LeaderName, Address: target.LeaderEmail}
	if to.Address == "" {
		to = Address{Name: target.Name, Address: target.PublicEmail}
	}
	if to.Address == "" {
		return Draft{}, fmt.Errorf("compose introduction: group %d has no leader or public email", target.ID)
	}
	if strings.EqualFold(to.Address, from.Address) || (requester != nil && requester.ID == target.ID) {
		return Draft{}, fmt.Errorf("compose introduction: requester and target are the same (group %d)", target.ID)
	}
	group, name, _, claimed := requesterParts(in, f, requester, o)
	data := templates.IntroductionData{
		Requester:        group,
		RequesterName:    name,
		Claimed:          claimed,
		Target:           target.Name,
		TargetLeaderName: target.LeaderName,
		Purpose:          IntroPurpose(in),
		Support:          o.Support.Address,
	}
	if data.Requester == "" {
		data.Requester = cmp.Or(name, from.Address)
		data.RequesterName, data.Claimed = "", false
	}
	if target.City != "" && target.State != "" {
		data.TargetCity = target.City + ", " + target.State
	}
	data.Reasons, data.Reported = introReasons(f, target)
	out, err := r.Render(string(DraftIntroduction), data)
	if err != nil {
		return Draft{}, fmt.Errorf("compose introduction: %w", err)
	}
	d := reply(DraftIntroduction, in, out)
	d.Subject = out.Subject // names both groups; a new conversation for the target
	d.To = []Address{from, to}
	d.ReplyTo = []Address{from, to}
	d.GroupIDs = []int64{target.ID}
	if requester != nil {
		d.GroupIDs = []int64{requester.ID, target.ID}
	}
	return d, nil
}

// permissionGiven matches a sentence that allows us to publish, such as
// "you have my permission to share" or "feel free to publish".
var permissionGiven = regexp.MustCompile(`(?i)\b(you have (my|our) permission|feel free|you are welcome|you're welcome|happy for you|ok to) (to )?(publish|share|use|post)`)

// creditLine matches a line that gives the credit: "Credit: Dana Smith" or
// "Photo credit - Marfa Indivisible".
var creditLine = regexp.MustCompile(`(?im)^[ \t]*(photos? )?credits?[ \t]*[:\-][ \t]*(\S.*?)[ \t]*$`)

// StoryFacts is what a sender already said about publishing a story, as
// package stories reads it (stories.FindConsent, stories.FindCredit).
type StoryFacts struct {
	Permission bool   // the sender allowed publication
	Credit     string // the credit line the sender asked for, or ""
}

// ComposeAcknowledgement drafts the thank-you for a story or photos sent for
// the press team. It asks for permission to publish and for a credit line
// unless the message already gives them (by this package's own, narrower
// reading; ComposeStoryAcknowledgement takes package stories' reading).
func ComposeAcknowledgement(in *Inbound, _ Fields, r Renderer) (Draft, error) {
	facts := StoryFacts{Permission: permissionGiven.MatchString(in.Text)}
	if m := creditLine.FindStringSubmatch(in.Text); m != nil {
		facts.Credit = m[2]
	}
	return ComposeStoryAcknowledgement(in, facts, r)
}

// ComposeStoryAcknowledgement drafts the thank-you for a story; it asks
// only for what facts say the sender has not given yet.
func ComposeStoryAcknowledgement(in *Inbound, facts StoryFacts, r Renderer) (Draft, error) {
	if in.ReplyAddress().Address == "" {
		return Draft{}, fmt.Errorf("compose acknowledgement: %w", errNoReplyAddress)
	}
	data := templates.AcknowledgementData{
		RecipientName: GreetingName(in.ReplyAddress()),
		Permission:    facts.Permission,
		Credit:        facts.Credit,
		Incomplete:    incompleteFiles(in),
	}
	for _, a := range in.Attachments {
		if a.Sent {
			data.Items++
		}
	}
	out, err := r.Render(string(DraftAcknowledgement), data)
	if err != nil {
		return Draft{}, fmt.Errorf("compose acknowledgement: %w", err)
	}
	return reply(DraftAcknowledgement, in, out), nil
}
