package workflows

import (
	"strings"
	"testing"

	"switchboard/directory"
)

func TestPlaceAnswer(t *testing.T) {
	geo := directory.MustGeography()
	asked := Fields{City: "Springfield", Candidates: []string{"Springfield, IL", "Springfield, MO", "Springfield, MA",
		"Springfield, OR", "Springfield, VA"}}
	quote := "\n\nOn Tue, Mar 3, 2026 at 10:00 AM Support <support@network.example.org> wrote:\n" +
		"> * Springfield, IL: 2 groups\n> * Springfield, MO: 1 group\n> * also: Springfield in 15 other states\n"
	tests := []struct {
		text             string
		city, state, zip string
		ok               bool
	}{
		{"Springfield, Missouri please!" + quote, "Springfield", "MO", "", true},
		{"missouri\n\nThanks,\nDana" + quote, "Springfield", "MO", "", true},
		{"The one in MO, thanks!" + quote, "Springfield", "MO", "", true},
		{"Sorry, I meant West Virginia... no, Virginia." + quote, "Springfield", "VA", "", true}, // WV is no candidate
		{"Springfield, Oregon" + quote, "Springfield", "OR", "", true},
		{"My ZIP is 65807." + quote, "Springfield", "MO", "65807", true},
		{"Springfield, MO 65807" + quote, "Springfield", "MO", "65807", true},
		{"Springfield IL 65807" + quote, "", "", "", false}, // the ZIP is in Missouri
		{"Illinois or Missouri, both please" + quote, "", "", "", false},
		{"The big one!" + quote, "", "", "", false},
		{"Texas" + quote, "", "", "", false}, // no Texas candidate
		{"OK thanks, I'll look it up" + quote, "", "", "", false},
		{"ZIP 10001 actually" + quote, "", "NY", "10001", true}, // a ZIP elsewhere is a ZIP request
	}
	for _, tt := range tests {
		in := &Inbound{From: Address{Address: "dana@example.net"}, Subject: "Re: Which Springfield did you mean?", Text: tt.text}
		f, why, ok := PlaceAnswer(in, asked, geo)
		if ok != tt.ok || ok && (f.City != tt.city || f.State != tt.state || f.ZIP != tt.zip || len(f.Candidates) > 0) {
			t.Errorf("%q: ok=%v %q city=%q state=%q zip=%q cands=%v, want ok=%v %q %q %q",
				strings.SplitN(tt.text, "\n", 2)[0], ok, why, f.City, f.State, f.ZIP, f.Candidates, tt.ok, tt.city, tt.state, tt.zip)
		}
		if why == "" {
			t.Errorf("%q: no reason given", tt.text)
		}
	}
	// A question without candidates takes any state that has the city.
	f, _, ok := PlaceAnswer(&Inbound{Text: "Boise, Idaho"}, Fields{City: "Boise"}, geo)
	if !ok || f.State != "ID" {
		t.Errorf("Boise, Idaho without candidates: %+v, %v", f, ok)
	}
	if _, _, ok := PlaceAnswer(&Inbound{Text: "Boise, Texas"}, Fields{City: "Boise"}, geo); ok {
		t.Error("Boise, Texas resolved, but Texas has no Boise")
	}
	// Which Washington? The city's name is not read as the state.
	f, _, ok = PlaceAnswer(&Inbound{Text: "Washington, Pennsylvania"}, Fields{City: "Washington",
		Candidates: []string{"Washington, DC", "Washington, PA", "Washington, NC"}}, geo)
	if !ok || f.State != "PA" {
		t.Errorf("Washington, Pennsylvania: %+v, %v", f, ok)
	}
}
