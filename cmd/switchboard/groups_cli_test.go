package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// groupsFixture is a small directory: private leader fields are marked so
// that a leak is easy to find.
const groupsFixture = `id,name,city,state,zip,district,latitude,longitude,public_email,website,twitter,facebook,leader_name,leader_email,status,updated
1,Riverbend Indivisible,Austin,TX,78701,TX-37,30.2713,-97.7426,riverbend@example.org,https://riverbend.example.org,,,Privy Leaderone,privy.one@example.net,active,2026-01-02
2,Riverbend Rising,Austin,TX,78702,,,,,,,,Privy Leadertwo,privy.two@example.net,active,2026-02-03
3,Hilltop Huddle,Boise,ID,83702,ID-01,43.6,-116.2,hilltop@example.org,,@hilltop,,Privy Leaderthree,privy.three@example.net,active,2026-03-04
4,"Mesa Group, Las Cruces",Las Cruces,NM,88006,,,,mesa@example.org,,,https://facebook.com/mesa,Privy Leaderfour,privy.four@example.net,inactive,2026-04-05
`

// privateValues are the leader fields of groupsFixture.
var privateValues = []string{"Privy Leader", "privy.one@", "privy.two@", "privy.three@", "privy.four@"}

// wantNoPrivate fails when out holds a private leader field.
func wantNoPrivate(t *testing.T, what, out string) {
	t.Helper()
	for _, p := range privateValues {
		if strings.Contains(out, p) {
			t.Errorf("%s prints the private leader field %q:\n%s", what, p, out)
		}
	}
}

// writeFile writes data to name in a temporary folder and returns its path.
func writeFile(t *testing.T, name, data string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// cliAll runs a command and returns stdout and stderr together, with its error.
func cliAll(t *testing.T, dsn string, args ...string) (string, error) {
	t.Helper()
	out, errOut, err := cli(t, dsn, args...)
	return out + errOut, err
}

var scoreRE = regexp.MustCompile(`(?m)^(\d+\.\d\d)\s+(\d+)\s`)

func TestGroupsCommands(t *testing.T) {
	dsn := newDatabaseURL(t, false)
	mustCLI(t, dsn, "migrate")
	fixture := writeFile(t, "groups.csv", groupsFixture)
	out, err := cliAll(t, dsn, "groups", "import", "--by", "tester", fixture)
	if err != nil || !strings.Contains(out, "imported 4 groups") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	wantNoPrivate(t, "groups import", out)

	t.Run("list", func(t *testing.T) {
		out, err := cliAll(t, dsn, "groups", "list")
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"Riverbend Indivisible", "Riverbend Rising", "Hilltop Huddle", "Mesa Group, Las Cruces"} {
			if !strings.Contains(out, name) {
				t.Errorf("groups list lacks %q:\n%s", name, out)
			}
		}
		wantNoPrivate(t, "groups list", out)
		out, _ = cliAll(t, dsn, "groups", "list", "--state", "id")
		if !strings.Contains(out, "Hilltop Huddle") || strings.Contains(out, "Riverbend") {
			t.Errorf("groups list --state id:\n%s", out)
		}
		out, _ = cliAll(t, dsn, "groups", "list", "--status", "inactive")
		if !strings.Contains(out, "Mesa Group") || strings.Contains(out, "Riverbend") {
			t.Errorf("groups list --status inactive:\n%s", out)
		}
		_, err = cliAll(t, dsn, "groups", "list", "--status", "asleep")
		wantUsage(t, err, "active or inactive")
		_, err = cliAll(t, dsn, "groups", "list", "extra")
		wantUsage(t, err, "usage")
	})

	t.Run("search orders by score", func(t *testing.T) {
		out, err := cliAll(t, dsn, "groups", "search", "Riverbend Indivisible")
		if err != nil {
			t.Fatal(err)
		}
		wantNoPrivate(t, "groups search", out)
		if !strings.HasPrefix(out, "SCORE") {
			t.Errorf("groups search does not show the score first:\n%s", out)
		}
		rows := scoreRE.FindAllStringSubmatch(out, -1)
		if len(rows) < 2 || rows[0][2] != "1" {
			t.Fatalf("groups search: want group 1 first of at least 2 rows:\n%s", out)
		}
		for i := 1; i < len(rows); i++ {
			a, _ := strconv.ParseFloat(rows[i-1][1], 64)
			b, _ := strconv.ParseFloat(rows[i][1], 64)
			if a < b {
				t.Errorf("row %d scores %g after %g: not ordered by score\n%s", i+1, b, a, out)
			}
		}
		if out, _ := cliAll(t, dsn, "groups", "search", "Mesa Group"); strings.Contains(out, "Mesa Group") {
			t.Errorf("groups search lists an inactive group:\n%s", out)
		}
		if out, _ := cliAll(t, dsn, "groups", "search", "zzqqxx"); !strings.Contains(out, "No groups match") {
			t.Errorf("groups search with no match:\n%s", out)
		}
		_, err = cliAll(t, dsn, "groups", "search")
		wantUsage(t, err, "usage")
	})

	t.Run("show is the only command with private fields", func(t *testing.T) {
		out, err := cliAll(t, dsn, "groups", "show", "1")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Riverbend Indivisible", "78701", "TX-37", "riverbend@example.org",
			"Leader (private):", "Privy Leaderone", "privy.one@example.net"} {
			if !strings.Contains(out, want) {
				t.Errorf("groups show 1 lacks %q:\n%s", want, out)
			}
		}
		_, err = cliAll(t, dsn, "groups", "show", "999")
		if err == nil || !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("groups show 999: error %v, want does not exist", err)
		}
		_, err = cliAll(t, dsn, "groups", "show", "abc")
		wantUsage(t, err, "not a group ID")
	})

	t.Run("set-status", func(t *testing.T) {
		out, err := cliAll(t, dsn, "groups", "set-status", "2", "inactive", "--by", "tester")
		if err != nil || !strings.Contains(out, "group 2 is inactive") {
			t.Fatalf("set-status: %v\n%s", err, out)
		}
		wantNoPrivate(t, "groups set-status", out)
		if out, _ := cliAll(t, dsn, "groups", "search", "Riverbend Rising"); strings.Contains(out, "Riverbend Rising") {
			t.Errorf("an inactive group is still found:\n%s", out)
		}
		if out, _ := cliAll(t, dsn, "groups", "show", "2"); !strings.Contains(out, "inactive") {
			t.Errorf("groups show 2 does not say inactive:\n%s", out)
		}
		mustCLI(t, dsn, "groups", "set-status", "2", "active", "--by", "tester")
		_, err = cliAll(t, dsn, "groups", "set-status", "2", "sleeping")
		wantUsage(t, err, "active or inactive")
		_, err = cliAll(t, dsn, "groups", "set-status", "999", "active")
		if err == nil || !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("set-status 999: error %v, want does not exist", err)
		}
	})

	t.Run("export round-trips", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "export.csv")
		if out, err := cliAll(t, dsn, "groups", "export", file); err != nil || !strings.Contains(out, "exported the directory to") {
			t.Fatalf("export: %v\n%s", err, out)
		}
		first, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		// The export is the directory in the import layout, private fields
		// included: without them an import would erase them.
		if stdout := mustCLI(t, dsn, "groups", "export"); stdout != string(first) {
			t.Errorf("export to stdout differs from export to a file")
		}
		out, err := cliAll(t, dsn, "groups", "import", "--by", "tester", file)
		if err != nil || !strings.Contains(out, "imported 4 groups") {
			t.Fatalf("re-import: %v\n%s", err, out)
		}
		imps := mustCLI(t, dsn, "groups", "imports")
		if !strings.Contains(imps, "4 rows, 0 inserted, 0 updated, 4 unchanged, 0 rejected") {
			t.Errorf("re-importing the export changed something:\n%s", imps)
		}
		wantNoPrivate(t, "groups imports", imps)

		other := newDatabaseURL(t, false)
		mustCLI(t, other, "migrate")
		mustCLI(t, other, "groups", "import", "--by", "tester", file)
		if second := mustCLI(t, other, "groups", "export"); second != string(first) {
			t.Errorf("export → import → export differs:\nfirst:\n%s\nsecond:\n%s", first, second)
		}
		for _, id := range []string{"1", "4"} {
			if a, b := mustCLI(t, dsn, "groups", "show", id), mustCLI(t, other, "groups", "show", id); a != b {
				t.Errorf("group %s differs after the round trip:\n%s\n%s", id, a, b)
			}
		}
	})

	t.Run("json import", func(t *testing.T) {
		groups := []map[string]any{
			{"id": 5, "name": "Prairie Porch", "city": "Wichita", "state": "KS", "zip": "67202", "district": "KS-04",
				"latitude": 37.6872, "longitude": -97.3301, "public_email": "porch@example.org", "website": "",
				"twitter": "", "facebook": "", "leader_name": "Privy Leaderfive", "leader_email": "privy.five@example.net",
				"status": "active", "updated": "2026-05-06"},
			{"id": 6, "name": "Bad Key Group", "city": "Wichita", "state": "KS", "colour": "blue", "status": "active",
				"updated": "2026-05-06"},
			{"id": 7, "name": "Bad State Group", "city": "Nowhere", "state": "XX", "status": "active", "updated": "2026-05-06"},
		}
		var b bytes.Buffer
		b.WriteString("[\n")
		for i, g := range groups {
			line, _ := json.Marshal(g)
			b.Write(line)
			if i < len(groups)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString("]\n")
		file := writeFile(t, "groups.json", b.String())
		out, errOut, err := cli(t, dsn, "groups", "import", "--by", "tester", file)
		if err == nil || !strings.Contains(err.Error(), "2 lines") {
			t.Errorf("json import with 2 bad objects: error %v", err)
		}
		if !strings.Contains(out, "imported 1 groups") {
			t.Errorf("json import output:\n%s", out)
		}
		for _, want := range []string{file + ":3: unknown key \"colour\"", file + ":4: state \"XX\""} {
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr lacks %q:\n%s", want, errOut)
			}
		}
		show := mustCLI(t, dsn, "groups", "show", "5")
		for _, want := range []string{"Prairie Porch", "KS-04", "37.68720, -97.33010", "porch@example.org", "privy.five@example.net", "2026-05-06"} {
			if !strings.Contains(show, want) {
				t.Errorf("groups show 5 lacks %q:\n%s", want, show)
			}
		}
		imps := mustCLI(t, dsn, "groups", "imports", "--limit", "1")
		if !strings.Contains(imps, "from "+file) || !strings.Contains(imps, "line 3: unknown key") || strings.Count(imps, "import ") != 1 {
			t.Errorf("groups imports --limit 1:\n%s", imps)
		}
	})

	t.Run("usage", func(t *testing.T) {
		_, err := cliAll(t, dsn, "groups", "import")
		wantUsage(t, err, "exactly one")
		_, err = cliAll(t, dsn, "groups", "export", "a.csv", "b.csv")
		wantUsage(t, err, "usage")
	})
}

// TestGroupsExportRoundTripsDemo round-trips the demo directory: 5,000
// groups with every field in use.
func TestGroupsExportRoundTripsDemo(t *testing.T) {
	dsn := newDatabaseURL(t, false)
	mustCLI(t, dsn, "migrate")
	mustCLI(t, dsn, "groups", "import", "--by", "tester", filepath.Join("..", "..", "demo", "data", "groups.csv"))
	first := mustCLI(t, dsn, "groups", "export")
	file := writeFile(t, "export.csv", first)
	other := newDatabaseURL(t, false)
	mustCLI(t, other, "migrate")
	mustCLI(t, other, "groups", "import", "--by", "tester", file)
	if second := mustCLI(t, other, "groups", "export"); second != first {
		t.Error("export → import → export of the demo directory differs")
	}
	mustCLI(t, dsn, "groups", "import", "--by", "tester", file)
	if imps := mustCLI(t, dsn, "groups", "imports", "--limit", "1"); !strings.Contains(imps, "0 inserted, 0 updated, 5000 unchanged") {
		t.Errorf("re-importing the export changed something:\n%s", imps)
	}
}
