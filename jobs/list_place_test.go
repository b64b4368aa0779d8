package jobs

import (
	"strings"
	"testing"

	"switchboard/directory"
	"switchboard/workflows"
)

// TestCityRepresentation checks that a city's reply names the Member of
// every district the city's ZIPs overlap, not only the districts its listed
// groups sit in: Boise's ZIPs span ID-01 and ID-02.
func TestCityRepresentation(t *testing.T) {
	p, _ := listPipeline(t)
	geo := directory.MustGeography()
	d, err := p.listDraft(t.Context(), listInbound("groups in Boise, Idaho please"), workflows.Fields{City: "Boise", State: "ID"})
	if err != nil || d == nil {
		t.Fatalf("listDraft = %v, %v", d, err)
	}
	for _, x := range geo.DistrictsForCity("Boise", "ID") {
		ms := geo.MembersForDistrict(x)
		want := x + ": this seat is vacant"
		if len(ms) > 0 {
			want = x + ": Rep. " + ms[0].Name()
		}
		if !strings.Contains(d.Text, want) {
			t.Errorf("reply lacks %q:\n%s", want, d.Text)
		}
	}
	if !strings.Contains(d.Text, "ID-01: ") || !strings.Contains(d.Text, "ID-02: ") {
		t.Errorf("reply does not name both Boise districts:\n%s", d.Text)
	}
}

// TestAtLargeDistrictPlace checks that a list for an at-large district says
// the state's name, as the statewide list does, with the district.
func TestAtLargeDistrictPlace(t *testing.T) {
	p, _ := listPipeline(t)
	geo := directory.MustGeography()
	f, err := (workflows.Fields{}).Corrected(workflows.PlaceFix{District: "WY-01"}, geo)
	if err != nil {
		t.Fatal(err)
	}
	d, err := p.listDraft(t.Context(), listInbound("groups in WY-01"), f)
	if err != nil || d == nil {
		t.Fatalf("listDraft = %v, %v", d, err)
	}
	if !strings.Contains(d.Text, " in Wyoming (at-large district WY-AL)") || strings.Contains(d.Text, "groups in WY-AL") {
		t.Errorf("reply does not name Wyoming:\n%s", d.Text)
	}
	if got := districtsPlace(geo, []string{"TX-10", "TX-35"}); got != "TX-10 and TX-35" {
		t.Errorf("districtsPlace(TX-10, TX-35) = %q", got)
	}
}
