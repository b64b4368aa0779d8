package directory

import (
	"slices"
	"testing"
)

func TestDerivedZIPDistricts(t *testing.T) {
	g := MustGeography()
	// 88006 is a Las Cruces PO-box ZIP: in zip_geonames.csv, not in zccd.csv.
	d, ok := g.DerivedDistrictsForZIP("88006")
	if !ok {
		t.Fatal("88006 has no derived districts")
	}
	if d.State != "NM" || !slices.Equal(d.Districts, []string{"NM-02"}) {
		t.Errorf("88006 derived = %+v, want NM-02", d)
	}
	if got := g.DistrictsForZIP("88006"); !slices.Equal(got, []string{"NM-02"}) {
		t.Errorf("DistrictsForZIP(88006) = %v, want [NM-02]", got)
	}
	if _, ok := g.DerivedDistrictsForZIP(d.FromZCTA); ok {
		t.Errorf("the ZCTA %s that 88006 borrows from is itself derived", d.FromZCTA)
	}
	// A ZCTA keeps its own districts and is not marked derived.
	if _, ok := g.DerivedDistrictsForZIP("78701"); ok {
		t.Error("78701 (a ZCTA) is marked derived")
	}
	all := g.DerivedZIPs()
	// PROVENANCE.md §4: 7,317 ZIPs of zip_geonames.csv have no ZCTA.
	if len(all) < 7000 || len(all) > 7317 {
		t.Errorf("%d derived ZIPs, want about 7,317 (PROVENANCE.md §4)", len(all))
	}
	for _, d := range all {
		if len(d.Districts) == 0 {
			t.Errorf("derived ZIP %s has no district", d.ZIP)
		}
		for _, x := range d.Districts {
			if x[:2] != d.State {
				t.Errorf("derived ZIP %s (%s) got %s from %s: another state", d.ZIP, d.State, x, d.FromZCTA)
			}
		}
		if z, _ := g.ZIPInfo(d.FromZCTA); z.State == "" {
			t.Errorf("derived ZIP %s borrows from %s, which has no centroid", d.ZIP, d.FromZCTA)
		}
	}
}
