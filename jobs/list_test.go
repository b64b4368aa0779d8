package jobs

import (
	"bytes"
	"encoding/csv"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard/directory"
	"switchboard/internal/testcorpus"
	"switchboard/store"
	"switchboard/templates"
	"switchboard/workflows"
)

// listGroupsCSV is the shipped sample directory, relative to this package.
var listGroupsCSV = filepath.Join("..", "demo", "data", "groups.csv")

// listRow is one row of groups.csv, read here without the store.
type listRow struct {
	ID                               int64
	City, State, ZIP, District, Name string
	Lat, Lon                         float64
	HasLL, Active                    bool
}

func listReadCSV(t testing.TB) []listRow {
	t.Helper()
	f, err := os.Open(listGroupsCSV)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	var out []listRow
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		id, _ := strconv.ParseInt(rec[col["id"]], 10, 64)
		lat, err1 := strconv.ParseFloat(rec[col["latitude"]], 64)
		lon, err2 := strconv.ParseFloat(rec[col["longitude"]], 64)
		out = append(out, listRow{ID: id, City: rec[col["city"]], State: rec[col["state"]], ZIP: rec[col["zip"]],
			District: rec[col["district"]], Name: rec[col["name"]], Lat: lat, Lon: lon, HasLL: err1 == nil && err2 == nil,
			Active: rec[col["status"]] == "active"})
	}
}

// listFilter returns the sorted ids of the active rows keep accepts.
func listFilter(rows []listRow, keep func(listRow) bool) []int64 {
	var ids []int64
	for _, r := range rows {
		if r.Active && keep(r) {
			ids = append(ids, r.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// inDistrict is the independent rule for a district: recorded there, or no
// recorded district and a ZIP that overlaps it (directory/data/zccd.csv).
func inDistrict(geo *directory.Geography, r listRow, d string) bool {
	if r.District != "" {
		return r.District == d
	}
	return slices.Contains(geo.DistrictsForZIP(r.ZIP), d)
}

// haversineMiles is the great-circle distance on a sphere of 3958.8 miles.
func haversineMiles(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * 3958.8 * math.Asin(math.Sqrt(a))
}

// listPipeline is a pipeline on a fresh database holding the sample
// directory.
func listPipeline(t testing.TB) (*Pipeline, *store.Store) {
	t.Helper()
	st := store.MustOpenTest(t)
	b, err := os.ReadFile(listGroupsCSV)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportGroups(t.Context(), bytes.NewReader(b), "groups.csv", "test"); err != nil {
		t.Fatal(err)
	}
	return NewPipeline(Deps{Store: st, Geo: directory.MustGeography(), Templates: templates.MustLoad(),
		From: workflows.Address{Address: "support@network.example.org"}, Logger: slog.New(slog.DiscardHandler)}), st
}

// TestListRepliesMatchDirectory drafts every list request of the corpus (and
// the list part of each mixed message) and checks the groups named against
// a filter of groups.csv for the labelled place: a statewide or at-large
// request is the state, a district its groups, a city its groups, and a
// "near X" request the groups within the default radius of X.
func TestListRepliesMatchDirectory(t *testing.T) {
	dir, labels := testcorpus.Labels(t)
	p, _ := listPipeline(t)
	geo := directory.MustGeography()
	rows := listReadCSV(t)
	for _, l := range labels {
		if l.Category != "list_request" && l.Category != "mixed" {
			continue
		}
		t.Run(strings.TrimSuffix(l.File, ".eml"), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, l.File))
			if err != nil {
				t.Fatal(err)
			}
			in, err := parseStored(raw, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			c := workflows.Classify(in, geo, workflows.Context{})
			d, err := p.listDraft(t.Context(), in, c.Fields)
			if err != nil || d == nil {
				t.Fatalf("listDraft = %v, %v", d, err)
			}
			e := l.Expected
			if e.State == "" {
				if d.Kind != workflows.DraftQuestion || len(d.GroupIDs) != 0 {
					t.Errorf("ambiguous place drafted %s naming %v, want a question", d.Kind, d.GroupIDs)
				}
				return
			}
			var want []int64
			switch {
			case c.Fields.Near:
				var lat, lon float64
				for _, pl := range geo.PlacesNamed(e.City) {
					if pl.Kind == "place" && pl.State == e.State {
						lat, lon = pl.Lat, pl.Lon
						break
					}
				}
				want = listFilter(rows, func(r listRow) bool {
					return r.HasLL && haversineMiles(lat, lon, r.Lat, r.Lon) <= workflows.DefaultRadiusMiles
				})
			case strings.HasSuffix(e.District, "-AL") || e.District == "" && e.City == "":
				want = listFilter(rows, func(r listRow) bool { return r.State == e.State })
			case e.District != "":
				want = listFilter(rows, func(r listRow) bool { return inDistrict(geo, r, e.District) })
			default:
				want = listFilter(rows, func(r listRow) bool { return r.State == e.State && strings.EqualFold(r.City, e.City) })
			}
			got := slices.Sorted(slices.Values(d.GroupIDs))
			if len(want) == 0 || !slices.Equal(got, want) {
				t.Fatalf("%s names %d groups %v, want %d %v", d.Kind, len(got), got, len(want), want)
			}
			checkListCSV(t, *d, len(want))
		})
	}
}

// checkListCSV checks the draft's one attachment: a UTF-8 CSV with a header
// and one row per group.
func checkListCSV(t *testing.T, d workflows.Draft, n int) {
	t.Helper()
	if len(d.Attachments) != 1 {
		t.Fatalf("%d attachments, want the CSV", len(d.Attachments))
	}
	a := d.Attachments[0]
	recs, err := csv.NewReader(bytes.NewReader(a.Data)).ReadAll()
	if err != nil || !strings.HasSuffix(a.Filename, ".csv") || !strings.HasPrefix(a.ContentType, "text/csv") {
		t.Fatalf("attachment %s (%s): %v", a.Filename, a.ContentType, err)
	}
	if len(recs) != n+1 || recs[0][0] != "name" {
		t.Errorf("CSV has %d records with header %v, want %d groups and a header", len(recs), recs[0], n)
	}
}

func listInbound(text string) *workflows.Inbound {
	return &workflows.Inbound{From: workflows.Address{Name: "Ana", Address: "ana@example.net"},
		MessageID: "m@example.net", Subject: "Groups", Text: text}
}

// TestAmbiguousPlaceAsks checks that a bare "Springfield" gets a question
// naming each state whose Springfield has groups, with its group count, most
// groups first, the others summarised in one line, and no list.
func TestAmbiguousPlaceAsks(t *testing.T) {
	p, _ := listPipeline(t)
	geo := directory.MustGeography()
	in := listInbound("Hi, can you send me a list of all the groups in Springfield? Thanks, Ana")
	c := workflows.Classify(in, geo, workflows.Context{})
	if c.Fields.State != "" || len(c.Fields.Candidates) < 2 {
		t.Fatalf("fields = %+v, want an ambiguous Springfield", c.Fields)
	}
	d, err := p.listDraft(t.Context(), in, c.Fields)
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != workflows.DraftQuestion || len(d.GroupIDs) != 0 || len(d.Attachments) != 0 {
		t.Fatalf("draft %s names %v", d.Kind, d.GroupIDs)
	}
	counts := map[string]int{}
	for _, r := range listReadCSV(t) {
		if r.Active && r.City == "Springfield" {
			counts[r.State]++
		}
	}
	last := math.MaxInt
	pos := -1
	none := 0
	for _, cand := range c.Fields.Candidates {
		st := workflows.CandidateState(cand)
		line := "* " + cand + ": "
		switch n := counts[st]; n {
		case 0:
			// Summarised in one line below, not listed.
			none++
			if strings.Contains(d.Text, line) {
				t.Errorf("question lists %q, which has no group", cand)
			}
			continue
		case 1:
			line += "1 group"
		default:
			line += strconv.Itoa(n) + " groups"
		}
		if !strings.Contains(d.Text, line) {
			t.Errorf("question lacks %q:\n%s", line, d.Text)
		}
	}
	if none < 2 {
		t.Fatalf("%d candidates without a group; the test needs several", none)
	}
	if also := "* also: Springfield in " + strconv.Itoa(none) + " other states where no group is listed yet\n"; !strings.Contains(d.Text, also) {
		t.Errorf("question lacks %q:\n%s", also, d.Text)
	}
	for _, l := range strings.Split(d.Text, "\n") {
		if !strings.HasPrefix(l, "* Springfield, ") {
			continue
		}
		n := counts[workflows.CandidateState(strings.SplitN(strings.TrimPrefix(l, "* "), ":", 2)[0])]
		if n > last {
			t.Errorf("candidates not ordered by group count at %q", l)
		}
		last, pos = n, pos+1
	}
	if pos < 1 {
		t.Errorf("question lists no candidates:\n%s", d.Text)
	}
}

// TestZIPAcrossDistricts checks that a ZIP overlapping two districts lists
// the groups of both, once each, and names each district's Member.
func TestZIPAcrossDistricts(t *testing.T) {
	p, _ := listPipeline(t)
	geo := directory.MustGeography()
	ds := geo.DistrictsForZIP("10001")
	if len(ds) < 2 {
		t.Fatalf("10001 overlaps %v; the test needs a ZIP across districts", ds)
	}
	f := workflows.Fields{ZIP: "10001", State: "NY", Districts: ds}
	d, err := p.listDraft(t.Context(), listInbound("list of groups in 10001 please"), f)
	if err != nil {
		t.Fatal(err)
	}
	want := listFilter(listReadCSV(t), func(r listRow) bool {
		return slices.ContainsFunc(ds, func(x string) bool { return inDistrict(geo, r, x) })
	})
	if got := slices.Sorted(slices.Values(d.GroupIDs)); !slices.Equal(got, want) {
		t.Errorf("groups %v, want %v", got, want)
	}
	if !strings.Contains(d.Text, "overlaps 2 congressional districts ("+strings.Join(ds, ", ")+")") {
		t.Errorf("the overlap is not said:\n%s", d.Text)
	}
	for _, x := range ds {
		ms := geo.MembersForDistrict(x)
		want := x + ": this seat is vacant"
		if len(ms) > 0 {
			want = x + ": Rep. " + ms[0].Name()
		}
		if !strings.Contains(d.Text, want) || !strings.Contains(d.HTML, "<strong>"+x+"</strong>") {
			t.Errorf("reply lacks %q", want)
		}
		for _, o := range geo.OfficesForDistrict(x) {
			if !strings.Contains(d.Text, o.Phone) {
				t.Errorf("reply lacks the %s office phone %s", x, o.Phone)
			}
		}
	}
	checkListCSV(t, *d, len(want))
}

// TestNothingFoundNamesNearest checks the polite answer for a place without
// groups: the nearest groups by distance, nearest first.
func TestNothingFoundNamesNearest(t *testing.T) {
	p, _ := listPipeline(t)
	f := workflows.Fields{City: "Marfa", State: "TX"}
	d, err := p.listDraft(t.Context(), listInbound("groups list for Marfa, TX"), f)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.GroupIDs) != nearestShown || len(d.Attachments) != 0 ||
		!strings.Contains(d.Text, "don't have an active group listed in Marfa, TX") {
		t.Fatalf("groups %v, text:\n%s", d.GroupIDs, d.Text)
	}
	var lat, lon float64
	for _, pl := range directory.MustGeography().PlacesNamed("Marfa") {
		if pl.Kind == "place" && pl.State == "TX" {
			lat, lon = pl.Lat, pl.Lon
		}
	}
	rows := listReadCSV(t)
	var active []listRow
	for _, r := range rows {
		if r.Active && r.HasLL {
			active = append(active, r)
		}
	}
	slices.SortFunc(active, func(a, b listRow) int {
		da, db := haversineMiles(lat, lon, a.Lat, a.Lon), haversineMiles(lat, lon, b.Lat, b.Lon)
		if da != db {
			return int(math.Copysign(1, da-db))
		}
		return int(a.ID - b.ID)
	})
	for i, id := range d.GroupIDs {
		if active[i].ID != id {
			t.Errorf("nearest #%d = %d, want %d (%s)", i+1, id, active[i].ID, active[i].Name)
		}
	}
}
