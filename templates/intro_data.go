package templates

import "reflect"

// IntroConsentData is the data of the "intro_consent" email: the question to
// the target group's leader, alone, whether they agree to be introduced.
// It names the requester's group, never an address.
type IntroConsentData struct {
	RecipientName string // the target's leader; may be empty
	Target        string // the target group's name
	Requester     string // the requester's group; may be empty
	RequesterName string // the requester, a person; may be empty
	// Claimed means Requester is only what the sender says is their group
	// (their address is not on file for it): the mail says so.
	Claimed       bool
	RequesterCity string // "Pflugerville, TX"; may be empty
	Purpose       string // what the requester wants to do, in their words; may be empty
	Reasons       []string
	// Reported means Reasons are only what the requester reported: the
	// directory lists other contacts, so the mail does not say the listed
	// contact didn't work.
	Reported bool
}

// IntroNoteData is the data of the "intro_note" email to the requester when
// the introduction will not happen: Declined when the leader said no, else
// they did not answer. It shares no address.
type IntroNoteData struct {
	RecipientName string
	Target        string
	Declined      bool
}

func init() {
	dataTypes["intro_consent"] = reflect.TypeFor[IntroConsentData]()
	dataTypes["intro_note"] = reflect.TypeFor[IntroNoteData]()
}

// introExamples cover each branch of the opt-in emails.
func introExamples() []Example {
	return []Example{
		{"intro_consent", "full", IntroConsentData{RecipientName: "Luis Moreau", Target: "Indivisible Round Rock",
			Requester: "Pflugerville Votes", RequesterCity: "Pflugerville, TX",
			Purpose: "we'd like to do a joint canvass on the 1st", Reasons: []string{"the group's public email address bounced"}}},
		{"intro_consent", "bare", IntroConsentData{Target: "Indivisible Round Rock", RequesterName: "Dana Smith"}},
		{"intro_consent", "anonymous", IntroConsentData{Target: "Indivisible Round Rock"}},
		{"intro_consent", "claimed", IntroConsentData{RecipientName: "Ines Hargrove", Target: "Ann Arbor Climate Neighbors",
			Requester: "Springfield Families for Democracy", RequesterName: "Dana Smith", Claimed: true,
			RequesterCity: "Springfield, IL", Reported: true,
			Reasons: []string{"they found only a Facebook page for the group"}}},
		{"intro_consent", "claimed_unnamed", IntroConsentData{Target: "Indivisible Round Rock",
			Requester: "Springfield Families for Democracy", Claimed: true}},
		{"intro_note", "declined", IntroNoteData{RecipientName: "Ana", Target: "Indivisible Round Rock", Declined: true}},
		{"intro_note", "no_answer", IntroNoteData{Target: "Indivisible Round Rock"}},
	}
}
