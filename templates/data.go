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
	// Place is as the reply names it: "Austin, TX", "TX-10", "Texas",
	// "within 25 miles of Columbus, OH".
	Place  string
	Groups []Group // in the order shown: city, then name
	// Total is the number of groups found when the body shows only the
	// first of them (the attachment has all); 0 means len(Groups).
	Total int
	// Updated is the date the listed directory data was last updated, as
	// the reply writes it ("November 28, 2026"); "" when unknown.
	Updated string
	// Attachment is the file name of the attached spreadsheet of the
	// groups, "" when nothing is attached.
	Attachment string
	// ZIP and ZIPDistricts say which districts the leader's ZIP overlaps,
	// when it overlaps more than one.
	ZIP          string
	ZIPDistricts []string
	// Districts are the congressional districts the reply concerns, with
	// their Member and district offices.
	Districts []District
	// Nearest are the closest groups elsewhere, when none is in Place.
	Nearest []NearGroup
}

// District is one congressional district in a list reply.
type District struct {
	Name    string // "TX-10", "WY-AL"
	Vacant  bool   // no Member is seated
	Member  string // "Rep. Michael McCaul (Republican)"
	DCPhone string
	Offices []Office
	// OfficesLeftOut is true when the reply concerns too many districts to
	// list every office; the Member's website lists them.
	OfficesLeftOut bool
	URL            string // the Member's website
}

// Office is one district office of a Member of Congress.
type Office struct {
	Address string // one line: "1 Main St, Suite 2, Austin, TX 78701"
	Phone   string
}

// NearGroup is a group outside the place asked about, with its distance.
type NearGroup struct {
	Group
	Miles int // rounded great-circle distance
}

// ListQuestionData is the data of the "list_question" email: the place asked
// about is ambiguous, so the reply asks which one was meant.
type ListQuestionData struct {
	RecipientName string
	Place         string        // as the leader wrote it: "Springfield"
	Candidates    []PlaceOption // most groups first; may be empty
	// Others is how many more places of that name, none with a group
	// listed, the email summarises in one line instead of listing them.
	Others int
}

// PlaceOption is one place a leader may have meant, with how many active
// groups it has.
type PlaceOption struct {
	Place  string // "Springfield, MO"
	Groups int
}

// IntroductionData is the data of the "introduction" email, sent to both
// leaders. Requester and Target are group names; RequesterName and
// TargetLeaderName are people and may be empty.
type IntroductionData struct {
	Requester     string
	RequesterName string
	// Claimed means Requester is only what the sender says is their group
	// (their address is not on file for it): the mail says so.
	Claimed          bool
	Target           string
	TargetCity       string // "Austin, TX"; may be empty
	TargetLeaderName string
	// Reasons say, one sentence each, why the target's listed contact did
	// not work; empty means the generic sentence.
	Reasons []string
	// Reported means Reasons are only what the requester reported: the
	// directory lists other contacts for the target.
	Reported bool
	// Purpose is what the requester wants to do together, in their words;
	// may be empty.
	Purpose string
	// Support is the support address, where new contact details go (a
	// reply reaches only the two leaders); empty means "the address this
	// email came from".
	Support string
}

// AcknowledgementData is the data of the "acknowledgement" email, the thank
// you for a story or photos sent for the press team.
type AcknowledgementData struct {
	RecipientName string
	Items         int  // photos, videos and documents sent; 0 for a story alone
	Permission    bool // the sender already allowed us to publish
	Credit        string
	// Incomplete names the files that arrived incomplete (cut off in
	// transit, damaged encoding): the mail names them and asks for them
	// again.
	Incomplete []string
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
	tx10 := District{Name: "TX-10", Member: "Rep. Michael T. McCaul (Republican)", DCPhone: "202-225-2401",
		URL: "https://mccaul.house.gov", Offices: []Office{
			{Address: "9009 Mountain Ridge Drive, Suite 230, Austin, TX 78759", Phone: "512-473-2357"},
			{Address: "2000 S Market St, Suite 303, Brenham, TX 77833", Phone: "979-830-8497"}}}
	tx37 := District{Name: "TX-37", Member: "Rep. Lloyd Doggett (Democrat)", DCPhone: "202-225-4865",
		URL: "https://doggett.house.gov", Offices: []Office{{Address: "300 E. 8th Street, Suite 763, Austin, TX 78701",
			Phone: "512-916-5921"}}}
	return append(introExamples(), []Example{
		{"list_reply", "groups", ListReplyData{RecipientName: "José Núñez", Place: "Austin, TX", Groups: austin,
			Updated: "November 28, 2026", Attachment: "groups-austin-tx.csv", Districts: []District{tx10, tx37}}},
		{"list_reply", "one_group", ListReplyData{Place: "WY-AL", Groups: austin[1:2]}},
		{"list_reply", "zip_districts", ListReplyData{Place: "ZIP 78701", Groups: austin[:2], Updated: "March 1, 2026",
			Attachment: "groups-zip-78701.csv", ZIP: "78701", ZIPDistricts: []string{"TX-10", "TX-37"},
			Districts: []District{tx10, {Name: "TX-37", Vacant: true}}}},
		{"list_reply", "truncated", ListReplyData{Place: "California", Groups: austin[:1], Total: 812,
			Updated: "March 1, 2026", Attachment: "groups-california.csv",
			Districts: []District{{Name: "CA-12", Member: "Rep. Lateefah Simon (Democrat)", DCPhone: "202-225-2661",
				URL: "https://simon.house.gov", OfficesLeftOut: true}}}},
		{"list_reply", "no_contact", ListReplyData{Place: "Austin, TX", Groups: []Group{austin[0],
			{Name: "Hyde Park Huddle", City: "Austin", State: "TX"}}, Attachment: "groups-austin-tx.csv"}},
		{"list_reply", "none", ListReplyData{RecipientName: "Dana", Place: "Marfa, TX"}},
		{"list_reply", "none_nearest", ListReplyData{RecipientName: "Dana", Place: "Marfa, TX", Updated: "March 1, 2026",
			Nearest: []NearGroup{{Group: austin[2], Miles: 41}, {Group: Group{Name: "Alpine Action", City: "Alpine",
				State: "TX"}, Miles: 26}, {Group: austin[0], Miles: 187}}}},
		{"list_question", "candidates", ListQuestionData{RecipientName: "Dana", Place: "Springfield",
			Candidates: []PlaceOption{{"Springfield, MO", 3}, {"Springfield, IL", 1}, {"Springfield, MA", 0}}}},
		{"list_question", "others", ListQuestionData{RecipientName: "Dana", Place: "Springfield",
			Candidates: []PlaceOption{{"Springfield, MO", 3}, {"Springfield, IL", 1}}, Others: 15}},
		{"list_question", "no_candidates", ListQuestionData{Place: "Washington"}},
		{"introduction", "reasons", IntroductionData{Requester: "Indivisible Austin", RequesterName: "José Núñez",
			Target: "Round Rock Rising", TargetCity: "Round Rock, TX", TargetLeaderName: "Pat Lee",
			Reasons: []string{"the group's public email address bounced", "the website on the map no longer works"},
			Purpose: "we'd like to do a joint canvass on the 1st", Support: "support@network.example.org"}},
		{"introduction", "generic", IntroductionData{Requester: "Dana Smith", Target: "Indivisible Austin"}},
		{"introduction", "claimed", IntroductionData{Requester: "Springfield Families for Democracy", RequesterName: "Dana Smith",
			Claimed: true, Target: "Ann Arbor Climate Neighbors", TargetCity: "Ann Arbor, MI", TargetLeaderName: "Ines Hargrove",
			Reported: true, Reasons: []string{"the group's Twitter account looked inactive to them"},
			Support: "support@network.example.org"}},
		{"introduction", "claimed_unnamed", IntroductionData{Requester: "Springfield Families for Democracy", Claimed: true,
			Target: "Indivisible Austin", Support: "support@network.example.org"}},
		{"acknowledgement", "ask", AcknowledgementData{RecipientName: "José Núñez", Items: 3}},
		{"acknowledgement", "story_only", AcknowledgementData{}},
		{"acknowledgement", "incomplete", AcknowledgementData{RecipientName: "Cedric", Items: 2,
			Incomplete: []string{"IMG_2207.jpg"}}},
		{"acknowledgement", "incomplete_two", AcknowledgementData{RecipientName: "Cedric", Items: 3, Permission: true,
			Credit: "Selma Civic Forward", Incomplete: []string{"IMG_2207.jpg", "march.jpg"}}},
		{"acknowledgement", "given", AcknowledgementData{RecipientName: "Dana", Items: 1, Permission: true,
			Credit: "Dana Smith / Marfa Indivisible"}},
	}...)
}
