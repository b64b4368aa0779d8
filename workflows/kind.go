package workflows

// Kind is what a request asks for, as decided by Classify.
type Kind string

// The kinds of request.
const (
	KindListRequest  Kind = "list_request" // a list of groups in a place
	KindIntroduction Kind = "introduction" // an introduction to another group's leader
	KindSubmission   Kind = "submission"   // a story, photos or videos for the press team
	KindFollowup     Kind = "followup"     // a message in an existing conversation
	KindAutoReply    Kind = "auto_reply"   // an automatic reply (RFC 3834); never answered
	KindBounce       Kind = "bounce"       // a delivery status notification (RFC 3464) or NDR
	KindOther        Kind = "other"        // anything else: a person decides
	KindMixed        Kind = "mixed"        // two or more of list, introduction and submission
	// KindDigest is a press digest we compose ourselves: a request with no
	// inbound message. Classify never yields it, so it is not in Kinds.
	KindDigest Kind = "digest"
)

// Kinds lists every kind, in a stable order.
var Kinds = []Kind{KindListRequest, KindIntroduction, KindSubmission, KindFollowup,
	KindAutoReply, KindBounce, KindOther, KindMixed}

// Valid reports whether k is one of Kinds, or KindDigest.
func (k Kind) Valid() bool {
	if k == KindDigest {
		return true
	}
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Status is where a request stands (DESIGN.md, "States of a request").
type Status string

// The states of a request.
const (
	StatusReceived    Status = "received"
	StatusClassified  Status = "classified"
	StatusDrafted     Status = "drafted" // awaiting approval
	StatusApproved    Status = "approved"
	StatusSending     Status = "sending"
	StatusSent        Status = "sent"
	StatusNeedsTriage Status = "needs_triage"
	StatusRejected    Status = "rejected"
	StatusFailed      Status = "failed"
	StatusClosed      Status = "closed"
)

// Statuses lists every request status.
var Statuses = []Status{StatusReceived, StatusClassified, StatusDrafted, StatusApproved,
	StatusSending, StatusSent, StatusNeedsTriage, StatusRejected, StatusFailed, StatusClosed}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if x == s {
			return true
		}
	}
	return false
}

// DraftStatus is where one outgoing mail stands.
type DraftStatus string

// The states of a draft. DraftUnknown means a send was started but its outcome
// was never recorded (a crash mid-send): a person decides, nothing resends it.
const (
	DraftAwaiting DraftStatus = "awaiting_approval"
	DraftApproved DraftStatus = "approved"
	DraftSending  DraftStatus = "sending"
	DraftSent     DraftStatus = "sent"
	DraftRejected DraftStatus = "rejected"
	DraftFailed   DraftStatus = "failed"
	DraftUnknown  DraftStatus = "unknown"
)

// DraftKind says what an outgoing mail is.
type DraftKind string

// The kinds of outgoing mail.
const (
	DraftListReply       DraftKind = "list_reply"
	DraftIntroduction    DraftKind = "introduction"
	DraftAcknowledgement DraftKind = "acknowledgement"
	DraftQuestion        DraftKind = "question"     // asks the leader to clarify, e.g. which Springfield
	DraftPressDigest     DraftKind = "press_digest" // the stories approved since the last digest, to the press team
)
