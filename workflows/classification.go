package workflows

// Fields are the facts extracted from a message. Empty strings mean "not
// known"; an ambiguous place keeps its City with no State rather than a guess.
type Fields struct {
	City  string `json:"city"`
	State string `json:"state"` // USPS code, "TX"
	ZIP   string `json:"zip"`   // 5 digits
	// District is one congressional district, "TX-10", with at-large seats
	// written "WY-AL".
	District string `json:"district"`
	// Districts lists every district in play, e.g. all that a ZIP overlaps
	// (data: directory/data/zccd.csv).
	Districts []string `json:"districts,omitempty"`
	// Statewide is true when the leader asks for every group in State.
	Statewide bool `json:"statewide,omitempty"`
	// Near is true when the leader asks for the groups near the place
	// ("near Austin", "around 78701", "within 10 miles of Austin"): the
	// reply lists the groups within a radius of it instead of those in it.
	Near bool `json:"near,omitempty"`
	// RadiusMiles is the radius the leader wrote; 0 means the default
	// (DefaultRadiusMiles).
	RadiusMiles float64 `json:"radius_miles,omitempty"`
	// TargetGroup is the group to be introduced, as the leader named or
	// described it.
	TargetGroup string `json:"target_group"`
	// RequesterGroup is the sender's own group when the message names it.
	RequesterGroup string `json:"requester_group,omitempty"`
	// Evidence lists why the listed contact does not work:
	// "email_bounced", "url_broken", "twitter_dormant", "facebook_only", "phone_full".
	Evidence []string `json:"evidence,omitempty"`
	// Candidates lists the places considered when the place is ambiguous,
	// e.g. "Springfield, IL".
	Candidates []string `json:"candidates,omitempty"`
}

// Classification is the outcome of Classify.
type Classification struct {
	Kind Kind `json:"kind"`
	// Kinds lists every ask in the message: one entry, or two or more for
	// KindMixed (each of list_request, introduction, submission).
	Kinds      []Kind  `json:"kinds"`
	Confidence float64 `json:"confidence"` // 0..1
	Fields     Fields  `json:"fields"`
	// Reasons are short, human-readable notes of the rules that fired.
	Reasons []string `json:"reasons,omitempty"`
}

// MinConfidence is the confidence below which a request goes to a person
// (StatusNeedsTriage) instead of being drafted automatically.
const MinConfidence = 0.5

// NeedsTriage reports whether a person must look at the classification before
// anything is drafted.
func (c Classification) NeedsTriage() bool {
	return c.Kind == KindOther || c.Confidence < MinConfidence
}
