package directory

// Member is one current Member of Congress
// (data: directory/data/members_current.csv, from unitedstates/congress-legislators, CC0).
type Member struct {
	Bioguide string
	Chamber  string // "house" or "senate"
	State    string // USPS code
	// District is the House seat, "TX-10" or "WY-AL"; "" for senators.
	District     string
	SenateClass  string
	StateRank    string // "senior" or "junior" for senators
	Party        string
	FirstName    string
	LastName     string
	OfficialFull string
	TermStart    string // YYYY-MM-DD
	TermEnd      string
	DCPhone      string
	DCOffice     string
	URL          string
	ContactForm  string
	Twitter      string
	Facebook     string
	YouTube      string
	Instagram    string
}

// Name is the member's official full name, or first and last name when the
// data has none.
func (m Member) Name() string {
	if m.OfficialFull != "" {
		return m.OfficialFull
	}
	return m.FirstName + " " + m.LastName
}

// Office is one district or state office of a Member of Congress
// (data: directory/data/district_offices.csv, CC0). The Washington office is
// on Member.
type Office struct {
	ID       string
	Bioguide string
	Chamber  string // the member's chamber
	// District is the member's seat, "TX-10" or "WY-AL"; "" for senators.
	District string
	Building string
	Address  string
	Suite    string
	City     string
	State    string
	ZIP      string
	Phone    string
	Fax      string
	Hours    string
	Lat, Lon float64
}

// MembersForDistrict returns the Representative (or Delegate) for a district
// such as "TX-10" or "WY-AL"; empty when the seat is vacant.
func (g *Geography) MembersForDistrict(district string) []Member {
	return pick(g.members, g.membersByDist[district])
}

// Senators returns the senators of a state, by USPS code.
func (g *Geography) Senators(state string) []Member {
	return pick(g.members, g.senatorsByState[state])
}

// OfficesForDistrict returns the district offices of the Representative for
// a district such as "TX-10".
func (g *Geography) OfficesForDistrict(district string) []Office {
	return pick(g.offices, g.officesByDist[district])
}

// OfficesForMember returns the district and state offices of one member, by
// bioguide ID.
func (g *Geography) OfficesForMember(bioguide string) []Office {
	return pick(g.offices, g.officesByMember[bioguide])
}

func pick[T any](all []T, idx []int) []T {
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = all[j]
	}
	return out
}
