package workflows

import (
	"slices"
	"testing"

	"switchboard/directory"
)

func classifyText(subject, text string) Classification {
	in := &Inbound{From: Address{Name: "Pat Doe", Address: "pat@example.org"}, Subject: subject, Text: text,
		ContentType: "text/plain"}
	return Classify(in, directory.MustGeography(), Context{})
}

func TestExtractDistricts(t *testing.T) {
	tests := []struct {
		name, subject, text, district, state string
	}{
		{"code", "groups", "Could you send a list of the groups in TX-10?", "TX-10", "TX"},
		{"code without dash", "groups", "Please send the list of groups in tx10 TX10.", "TX-10", "TX"},
		{"possessive", "list", "We think we're in Texas's 10th. Is there a list of the other groups?", "TX-10", "TX"},
		{"of state", "list", "Can you send a list of groups in the 10th district of Texas?", "TX-10", "TX"},
		{"cd with state elsewhere", "Lista de grupos", "We're in CD 4 here in Arizona. ¿Nos pueden mandar la lista de grupos?", "AZ-04", "AZ"},
		{"cd dash", "list", "Send me a list of groups in CD-4, Arizona please", "AZ-04", "AZ"},
		{"ordinal congressional", "list", "Ohio folks here: a list of groups in the 3rd congressional district?", "OH-03", "OH"},
		{"single digit", "list", "Who else is organizing in NV-2?", "NV-02", "NV"},
		{"at-large", "WY groups", "Wyoming only has the one at-large district, could you send me every group in the state?", "WY-AL", "WY"},
		{"zip one district", "list", "Can you send a list of groups near us? We're in 82001.", "", "WY"},
		{"zip several districts", "list", "Can you send a list of groups near us? We're in 10001.", "", "NY"},
		{"invalid seat", "list", "Send the list of groups in TX-99", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := classifyText(tt.subject, tt.text)
			if c.Fields.District != tt.district || c.Fields.State != tt.state {
				t.Errorf("district %q state %q, want %q %q (%+v)", c.Fields.District, c.Fields.State, tt.district, tt.state, c.Fields)
			}
		})
	}
	c := classifyText("list", "Can you send a list of groups near us? We're in 10001.")
	if !slices.Equal(c.Fields.Districts, []string{"NY-10", "NY-12"}) || c.Fields.ZIP != "10001" {
		t.Errorf("ZIP 10001: %+v", c.Fields)
	}
}

func TestExtractPlaces(t *testing.T) {
	tests := []struct {
		name, text, city, state string
		candidates              bool
	}{
		{"unambiguous", "Could you send me a list of all the groups in Austin?", "Austin", "TX", false},
		{"ambiguous", "Can you send me a list of all the groups in Springfield?", "Springfield", "", true},
		{"ambiguous madison", "Could you send a list of groups in Madison?", "Madison", "", true},
		{"state code", "Could you send a list of groups in Springfield, IL?", "Springfield", "IL", false},
		{"state name", "Could you send me the list of groups in Columbus, Ohio?", "Columbus", "OH", false},
		{"zip", "Could you send a list of the groups in Portland (we're in 04101)?", "Portland", "ME", false},
		{"area code", "Could you send a list of the groups in Portland?\nThanks,\nPat\n503-555-0100", "Portland", "OR", false},
		{"signature only for district", "Who else is organizing in NC-04? Please send a list of groups.\nBest,\nPat\nDurham, NC 27701", "", "NC", false},
		{"statewide", "We're a new group in Cheyenne. Could you send me every group in the state? Wyoming is at-large.", "", "WY", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := classifyText("groups", tt.text).Fields
			if f.City != tt.city || f.State != tt.state || (len(f.Candidates) > 0) != tt.candidates {
				t.Errorf("city %q state %q candidates %v, want %q %q %v", f.City, f.State, f.Candidates, tt.city, tt.state, tt.candidates)
			}
		})
	}
}

func TestExtractGroupsAndEvidence(t *testing.T) {
	c := classifyText("Intro to Ann Arbor Climate Neighbors?",
		"Ann Arbor Climate Neighbors lists a Twitter/X handle as their only contact, but the account hasn't posted since 2023. Can you make an introduction?")
	if c.Kind != KindIntroduction || c.Fields.TargetGroup != "Ann Arbor Climate Neighbors" ||
		!slices.Contains(c.Fields.Evidence, "twitter_dormant") {
		t.Errorf("%+v", c)
	}
	c = classifyText("intro", "I tried emailing the Indivisible group in Round Rock and it bounced. Could you introduce me? We're Pflugerville Votes.")
	if c.Fields.TargetGroup != "Indivisible group in Round Rock" || c.Fields.RequesterGroup != "Pflugerville Votes" ||
		!slices.Contains(c.Fields.Evidence, "email_bounced") || c.Fields.City != "Round Rock" {
		t.Errorf("%+v", c.Fields)
	}
}
