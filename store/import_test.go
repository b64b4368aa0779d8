package store

import (
	"context"
	"strings"
	"testing"
)

func TestImportGroupsJSON(t *testing.T) {
	s := MustOpenTest(t)
	doc := `[
  {"id": 1, "name": "Indivisible Round Rock", "city": "Round Rock", "state": "TX", "zip": "78681",
   "district": "TX-10", "latitude": 30.51, "longitude": -97.68, "public_email": "irr@example.org",
   "website": null, "twitter": "", "facebook": "", "leader_name": "Luis", "leader_email": "luis@example.net",
   "status": "active", "updated": "2026-07-09"},
  {"id": 2, "name": "Nowhere", "state": "TX", "district": "TX-99", "status": "active", "updated": "2026-07-09"},
  "not an object",
  {"id": 3, "name": "Wrong ZIP", "state": "ID", "zip": "10001", "status": "active", "updated": "2026-07-09"},
  {"id": 4, "name": "Extra", "state": "TX", "colour": "red", "status": "active", "updated": "2026-07-09"},
  {"id": 5, "name": "Time Travellers", "state": "TX", "status": "active", "updated": "2999-01-01"}
]`
	rep, err := s.ImportGroups(context.Background(), strings.NewReader(doc), "groups.json", "test")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 1 || rep.Total != 6 {
		t.Fatalf("imported %d of %d, want 1 of 6 (rejected %v)", rep.Imported, rep.Total, rep.Rejected)
	}
	want := map[int]string{6: "no district TX-99", 7: "not a JSON object", 8: "zip 10001 is not in ID", 9: `unknown key "colour"`,
		10: "in the future"}
	if len(rep.Rejected) != len(want) {
		t.Fatalf("rejected %v, want lines %v", rep.Rejected, want)
	}
	for _, r := range rep.Rejected {
		if !strings.Contains(r.Reason, want[r.Line]) {
			t.Errorf("line %d: reason %q, want it to say %q", r.Line, r.Reason, want[r.Line])
		}
	}
	g, err := s.Group(context.Background(), 1)
	if err != nil || g.Name != "Indivisible Round Rock" || g.ZIP != "78681" {
		t.Fatalf("group 1 = %+v, %v", g, err)
	}
}

func TestImportGroupsLongFieldKeepsTheRest(t *testing.T) {
	s := MustOpenTest(t)
	csv := "id,name,city,state,zip,district,latitude,longitude,public_email,website,twitter,facebook,leader_name,leader_email,status,updated\n" +
		"1,Good Group,Austin,TX,78701,,,,,,,,,,active,2026-01-02\n" +
		"2," + strings.Repeat("x", 300000) + ",Austin,TX,,,,,,,,,,,active,2026-01-02\n"
	rep, err := s.ImportGroups(context.Background(), strings.NewReader(csv), "long.csv", "test")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 1 || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 3 ||
		!strings.Contains(rep.Rejected[0].Reason, "characters long") {
		t.Fatalf("report = %+v", rep)
	}
}

func TestImportGroupsEmptyFile(t *testing.T) {
	s := MustOpenTest(t)
	_, err := s.ImportGroups(context.Background(), strings.NewReader("  \n"), "empty.csv", "test")
	if err == nil || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("err = %v, want it to say the file is empty", err)
	}
}
