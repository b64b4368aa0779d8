package templates

import "reflect"

// Group is one group as a list reply shows it. It has only the fields of the
// public map, so a private leader address cannot reach a list reply.
type Group struct {
	Name        string
	City        string
	State       string // USPS code
	PublicEmail string
	Website     string
	Twitter     string
	Facebook    string
}

// ListReplyData is the data of the "list_reply" email: the active groups in
// the place a leader asked about.
type ListReplyData struct {
	RecipientName string // display name, "" for a plain greeting
	Place         string // as the reply names it: "Austin, TX", "TX-10", "Texas"
	Groups        []Group
}

// ListQuestionData is the data of the "list_question" email: the place asked
// about is ambiguous, so the reply asks which one was meant.
type ListQuestionData struct {
	RecipientName string
	Place         string   // as the leader wrote it: "Springfield"
	Candidates    []string // "Springfield, IL"; may be empty
}

// IntroductionData is the data of the "introduction" email, sent to both
// leaders. Requester and Target are group names; RequesterName and
// TargetLeaderName are people and may be empty.
type IntroductionData struct {
	Requester        string
	RequesterName    string
	Target           string
	TargetCity       string // "Austin, TX"; may be empty
	TargetLeaderName string
	// Reasons say, one sentence each, why the target's listed contact did
	// not work; empty means the generic sentence.
	Reasons []string
}

// AcknowledgementData is the data of the "acknowledgement" email, the thank
// you for a story or photos sent for the press team.
type AcknowledgementData struct {
	RecipientName string
	Items         int  // photos, videos and documents sent; 0 for a story alone
	Permission    bool // the sender already allowed us to publish
	Credit        string
}

// dataTypes maps each email to the data type it renders; Load parses
// exactly these emails.
var dataTypes = map[string]reflect.Type{
	"list_reply":      reflect.TypeFor[ListReplyData](),
	"list_question":   reflect.TypeFor[ListQuestionData](),
	"introduction":    reflect.TypeFor[IntroductionData](),
	"acknowledgement": reflect.TypeFor[AcknowledgementData](),
}

// Example is one named sample rendering of an email. Load renders every
// example to check the templates; the golden tests compare them.
type Example struct {
	Email string
	Case  string
	Data  any
}

// examples covers each email and each of its branches.
func examples() []Example {
	austin := []Group{
		{Name: "Indivisible Austin", City: "Austin", State: "TX", PublicEmail: "hello@indivisibleaustin.org",
			Website: "https://indivisibleaustin.org", Twitter: "@IndivisibleATX", Facebook: "https://facebook.com/indivisibleatx"},
		{Name: "South Austin Neighbors for Democracy", City: "Austin", State: "TX",
			Facebook: "https://facebook.com/southaustinneighbors"},
		{Name: "Round Rock Rising", City: "Round Rock", State: "TX", PublicEmail: "info@roundrockrising.org",
			Website: "http://roundrockrising.org"},
	}
	return []Example{
		{"list_reply", "groups", ListReplyData{RecipientName: "José Núñez", Place: "Austin, TX", Groups: austin}},
		{"list_reply", "one_group", ListReplyData{Place: "WY-AL", Groups: austin[1:2]}},
		{"list_reply", "none", ListReplyData{RecipientName: "Dana", Place: "Marfa, TX"}},
		{"list_question", "candidates", ListQuestionData{RecipientName: "Dana", Place: "Springfield",
			Candidates: []string{"Springfield, IL", "Springfield, MA", "Springfield, MO"}}},
		{"list_question", "no_candidates", ListQuestionData{Place: "Washington"}},
		{"introduction", "reasons", IntroductionData{Requester: "Indivisible Austin", RequesterName: "José Núñez",
			Target: "Round Rock Rising", TargetCity: "Round Rock, TX", TargetLeaderName: "Pat Lee",
			Reasons: []string{"the group's public email address bounced", "the website on the map no longer works"}}},
		{"introduction", "generic", IntroductionData{Requester: "Dana Smith", Target: "Indivisible Austin"}},
		{"acknowledgement", "ask", AcknowledgementData{RecipientName: "José Núñez", Items: 3}},
		{"acknowledgement", "story_only", AcknowledgementData{}},
		{"acknowledgement", "given", AcknowledgementData{RecipientName: "Dana", Items: 1, Permission: true,
			Credit: "Dana Smith / Marfa Indivisible"}},
	}
}
