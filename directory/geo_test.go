package directory

import (
	"slices"
	"testing"
)

func TestGeography(t *testing.T) {
	g := MustGeography()
	if st, ok := g.StateByName("texas"); !ok || st.USPS != "TX" || st.HouseSeats != 38 {
		t.Errorf("StateByName(texas) = %+v, %v", st, ok)
	}
	if st, ok := g.StateByCode("wy"); !ok || !st.AtLarge {
		t.Errorf("StateByCode(wy) = %+v, %v", st, ok)
	}
	if st, ok := g.StateByName("D.C."); !ok || st.USPS != "DC" {
		t.Errorf("StateByName(D.C.) = %+v, %v", st, ok)
	}
	zips := map[string][]string{
		"78701": {"TX-37"},
		"10001": {"NY-10", "NY-12"},
		"82001": {"WY-AL"},
		"05401": {"VT-AL"},
		"04101": {"ME-01"},
		"00000": nil,
	}
	for zip, want := range zips {
		if got := g.DistrictsForZIP(zip); !slices.Equal(got, want) {
			t.Errorf("DistrictsForZIP(%s) = %v, want %v", zip, got, want)
		}
	}
	if z, ok := g.ZIPInfo("78701"); !ok || z.City != "Austin" || z.State != "TX" {
		t.Errorf("ZIPInfo(78701) = %+v, %v", z, ok)
	}
	var states []string
	for _, p := range g.PlacesNamed("springfield") {
		if p.Kind == "place" {
			states = append(states, p.State)
		}
	}
	for _, want := range []string{"IL", "MO", "MA", "OR"} {
		if !slices.Contains(states, want) {
			t.Errorf("PlacesNamed(springfield) lacks %s: %v", want, states)
		}
	}
	if m := g.MembersForDistrict("TX-37"); len(m) != 1 || m[0].LastName != "Doggett" {
		t.Errorf("MembersForDistrict(TX-37) = %+v", m)
	}
	if len(g.OfficesForDistrict("TX-37")) == 0 {
		t.Error("OfficesForDistrict(TX-37) is empty")
	}
	if s := g.Senators("VT"); len(s) != 2 {
		t.Errorf("Senators(VT) = %d members", len(s))
	}
}

func TestDistricts(t *testing.T) {
	g := MustGeography()
	tests := []struct {
		in, parsed, checked string
	}{
		{"TX-10", "TX-10", "TX-10"},
		{"tx10", "TX-10", "TX-10"},
		{"NV 2", "NV-02", "NV-02"},
		{"WY-AL", "WY-AL", "WY-AL"},
		{"WY-0", "WY-AL", "WY-AL"},
		{"VT-1", "VT-01", "VT-AL"},
		{"TX-39", "TX-39", ""},
		{"ZZ-01", "ZZ-01", ""},
		{"TX-", "", ""},
		{"T", "", ""},
		{"TX-100", "", ""},
	}
	for _, tt := range tests {
		got, _ := ParseDistrict(tt.in)
		if got != tt.parsed {
			t.Errorf("ParseDistrict(%q) = %q, want %q", tt.in, got, tt.parsed)
		}
		got, _ = g.CheckDistrict(tt.in)
		if got != tt.checked {
			t.Errorf("CheckDistrict(%q) = %q, want %q", tt.in, got, tt.checked)
		}
	}
	if got := FormatDistrict("nc", 4); got != "NC-04" {
		t.Errorf("FormatDistrict(nc, 4) = %q", got)
	}
}

func BenchmarkLoadGeography(b *testing.B) {
	for b.Loop() {
		if _, err := LoadGeography(); err != nil {
			b.Fatal(err)
		}
	}
}
