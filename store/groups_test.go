package store

import (
	"context"
	"os"
	"reflect"
	"testing"
)

func importDemo(t *testing.T, s *Store) ImportReport {
	t.Helper()
	f, err := os.Open("../demo/data/groups.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := s.ImportGroups(context.Background(), f, "demo/data/groups.csv", "test")
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestImportGroupsDemo(t *testing.T) {
	s := MustOpenTest(t)
	rep := importDemo(t, s)
	if rep.Total != 5000 || rep.Inserted+len(rep.Rejected) != 5000 || rep.Updated != 0 || rep.Imported != rep.Inserted {
		t.Errorf("first import = %+v", rep)
	}
	for _, r := range rep.Rejected {
		t.Logf("rejected line %d: %s", r.Line, r.Reason)
	}
	again := importDemo(t, s)
	if again.Inserted != 0 || again.Updated != 0 || again.Unchanged != rep.Inserted {
		t.Errorf("re-import = %+v, want all unchanged", again)
	}
	if n := countRows(t, s, `SELECT count(*) FROM group_imports`); n != 2 {
		t.Errorf("group_imports = %d, want 2", n)
	}
}

func TestImportGroupsValidation(t *testing.T) {
	s := MustOpenTest(t)
	f, err := os.Open("testdata/groups_bad.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := s.ImportGroups(context.Background(), f, "groups_bad.csv", "test")
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, r := range rep.Rejected {
		lines = append(lines, r.Line)
		t.Logf("line %d: %s", r.Line, r.Reason)
	}
	want := []int{3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("rejected lines = %v, want %v", lines, want)
	}
	if rep.Inserted != 2 {
		t.Errorf("inserted = %d, want 2", rep.Inserted)
	}
	g, err := s.Group(context.Background(), 5)
	if err != nil || g.ZIP != "05401" {
		t.Errorf("group 5 = %+v, %v; want ZIP 05401", g, err)
	}
	var stored int
	if err := s.db.Get(&stored, `SELECT jsonb_array_length(rejected_lines) FROM group_imports`); err != nil || stored != len(want) {
		t.Errorf("stored rejected lines = %d, %v", stored, err)
	}
}

func TestGroupLookups(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	importDemo(t, s)
	_, err := s.db.Exec(`INSERT INTO groups (id, name, city, state, zip, district, status, updated, imported_at) VALUES
		(90001, 'Zed Group', 'Austin', 'TX', '78704', '', 'active', '2026-01-01', now()),
		(90002, 'Asleep Group', 'Austin', 'TX', '78704', 'TX-35', 'inactive', '2026-01-01', now())`)
	if err != nil {
		t.Fatal(err)
	}

	city, err := s.GroupsInCity(ctx, "austin", "TX")
	if err != nil || len(city) == 0 {
		t.Fatalf("GroupsInCity = %d, %v", len(city), err)
	}
	var want int
	s.db.Get(&want, `SELECT count(*) FROM groups WHERE state = 'TX' AND lower(city) = 'austin' AND status = 'active'`)
	if len(city) != want {
		t.Errorf("GroupsInCity = %d groups, want %d", len(city), want)
	}
	for i, g := range city {
		if g.Status != "active" || g.ID == 90002 {
			t.Errorf("inactive group %d listed", g.ID)
		}
		if i > 0 && city[i-1].Name > g.Name {
			t.Errorf("not ordered by name: %q before %q", city[i-1].Name, g.Name)
		}
	}

	// 78704 overlaps TX-35 and maybe others: Zed Group, with no district,
	// is listed for TX-35 by its ZIP, once.
	dist, err := s.GroupsInDistrict(ctx, "TX-35")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]int{}
	for i, g := range dist {
		seen[g.ID]++
		if g.District != "TX-35" && g.District != "" {
			t.Errorf("group %d in %s listed for TX-35", g.ID, g.District)
		}
		if i > 0 && (dist[i-1].City > g.City || dist[i-1].City == g.City && dist[i-1].Name > g.Name) {
			t.Errorf("not ordered by city, name at %d", i)
		}
	}
	if seen[90001] != 1 || seen[90002] != 0 {
		t.Errorf("TX-35: Zed listed %d times, inactive %d times", seen[90001], seen[90002])
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("group %d listed %d times", id, n)
		}
	}

	state, err := s.GroupsInState(ctx, "DC")
	if err != nil || len(state) == 0 {
		t.Errorf("GroupsInState(DC) = %d, %v", len(state), err)
	}
	byIDs, err := s.GroupsByIDs(ctx, []int64{90002, 90001, 1})
	if err != nil || len(byIDs) != 2 {
		t.Errorf("GroupsByIDs = %+v, %v; want 2 active", byIDs, err)
	}
}

func TestFindGroupsRanksByPlace(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	importDemo(t, s)
	got, err := s.FindGroups(ctx, "Springfield Indivisible", "MO", "", 5)
	if err != nil || len(got) < 2 {
		t.Fatalf("FindGroups = %+v, %v", got, err)
	}
	if got[0].Name != "Springfield Indivisible" || got[0].State != "MO" {
		t.Errorf("best = %+v, want Springfield Indivisible, MO", got[0])
	}
	got, _ = s.FindGroups(ctx, "indivisible springfield", "IL", "", 5)
	if len(got) == 0 || got[0].State != "IL" {
		t.Errorf("with IL, best = %+v, want the IL group", got)
	}
	got, _ = s.FindGroups(ctx, "Indivisíble Róund Rock", "", "", 3)
	if len(got) == 0 || got[0].Name != "Indivisible Round Rock" {
		t.Errorf("accented query best = %+v", got)
	}
}
