package store

import (
	"context"
	"strings"
	"testing"
)

// TestDerivedZIPDistricts checks that a PO-box ZIP (88006, Las Cruces: in
// zip_geonames.csv, not in zccd.csv) lies in NM-02 through its nearest
// ZCTA, marked derived, so a group there with no recorded district is
// listed for NM-02.
func TestDerivedZIPDistricts(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	var rows []struct {
		District    string  `db:"district"`
		DerivedFrom *string `db:"derived_from"`
	}
	if err := s.db.SelectContext(ctx, &rows, `SELECT district, derived_from FROM zip_districts WHERE zip = '88006'`); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].District != "NM-02" || rows[0].DerivedFrom == nil || *rows[0].DerivedFrom == "" {
		t.Fatalf("zip_districts for 88006 = %+v, want one NM-02 row marked derived", rows)
	}
	var own int
	if err := s.db.GetContext(ctx, &own, `SELECT count(*) FROM zip_districts WHERE zip = '78701' AND derived_from IS NULL`); err != nil || own == 0 {
		t.Errorf("78701 (a ZCTA) has %d underived rows, %v", own, err)
	}

	csv := "id,name,city,state,zip,district,latitude,longitude,public_email,website,twitter,facebook,leader_name,leader_email,status,updated\n" +
		"910001,Las Cruces PO Box Group,Las Cruces,NM,88006,,,,pobox@example.org,,,,,,active,2026-01-02\n"
	if _, err := s.ImportGroups(ctx, strings.NewReader(csv), "test", "test"); err != nil {
		t.Fatal(err)
	}
	gs, err := s.GroupsInDistricts(ctx, []string{"NM-02"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, g := range gs {
		found = found || g.ID == 910001
	}
	if !found {
		t.Error("the group at PO-box ZIP 88006 is not listed for NM-02")
	}
	if gs, err := s.GroupsInDistricts(ctx, []string{"NM-01"}); err != nil {
		t.Fatal(err)
	} else {
		for _, g := range gs {
			if g.ID == 910001 {
				t.Error("the group at 88006 is listed for NM-01")
			}
		}
	}
}
