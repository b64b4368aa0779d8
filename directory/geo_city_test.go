package directory

import (
	"slices"
	"testing"
)

func TestDistrictsForCity(t *testing.T) {
	g := MustGeography()
	zips := g.ZIPsForCity("boise", "id")
	if !slices.Contains(zips, "83702") || !slices.Contains(zips, "83701") || slices.Contains(zips, "83646") {
		t.Errorf("ZIPsForCity(boise, id) = %v, want Boise's ZIPs (83701 PO box, 83702) and not Meridian's 83646", zips)
	}
	if got := g.ZIPsForCity("Boise City", "ID"); !slices.Equal(got, zips) {
		t.Errorf("ZIPsForCity(Boise City) = %v, want the postal name's %v", got, zips)
	}
	// Every district of every Boise ZIP, PO boxes included, and no other.
	var want []string
	for _, z := range zips {
		want = append(want, g.DistrictsForZIP(z)...)
	}
	slices.Sort(want)
	want = slices.Compact(want)
	got := g.DistrictsForCity("Boise", "ID")
	if !slices.Equal(got, want) || !slices.Equal(got, []string{"ID-01", "ID-02"}) {
		t.Errorf("DistrictsForCity(Boise, ID) = %v, want %v = [ID-01 ID-02]", got, want)
	}
	if got := g.DistrictsForCity("Austin", "TX"); len(got) < 3 || !slices.Contains(got, "TX-37") || !slices.IsSorted(got) {
		t.Errorf("DistrictsForCity(Austin, TX) = %v, want several including TX-37", got)
	}
	if got := g.DistrictsForCity("Cheyenne", "WY"); !slices.Equal(got, []string{"WY-AL"}) {
		t.Errorf("DistrictsForCity(Cheyenne, WY) = %v", got)
	}
	for _, c := range [][2]string{{"Boise", "TX"}, {"Nowhereville", "ID"}, {"", "ID"}, {"Boise", ""}} {
		if got := g.DistrictsForCity(c[0], c[1]); got != nil {
			t.Errorf("DistrictsForCity(%q, %q) = %v, want nil", c[0], c[1], got)
		}
	}
	// 38852 (Iuka, MS) straddles the line into Alabama: only MS is taken.
	if !slices.ContainsFunc(g.DistrictsForZIP("38852"), func(d string) bool { return d[:2] == "AL" }) {
		t.Fatalf("DistrictsForZIP(38852) = %v: the test needs a ZCTA across a state line", g.DistrictsForZIP("38852"))
	}
	for _, d := range g.DistrictsForCity("Iuka", "MS") {
		if d[:2] != "MS" {
			t.Errorf("DistrictsForCity(Iuka, MS) has %s, of another state", d)
		}
	}
}
