package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestQueueSetIntroTarget: `queue show` tells staff that the requesting
// group is only claimed and that the directory contradicts the evidence;
// `queue set --target` of a group that does not exist names the group.
func TestQueueSetIntroTarget(t *testing.T) {
	dsn := newDatabaseURL(t, false)
	mustCLI(t, dsn, "migrate")
	mustCLI(t, dsn, "groups", "import", "--by", "test", filepath.Join("..", "..", "demo", "data", "groups.csv"))
	dir := t.TempDir()
	body := "From: Dana Smith <dana.smith@example.org>\r\nTo: support@network.example.org\r\n" +
		"Subject: Introduction to Ann Arbor Climate Neighbors?\r\nDate: Mon, 02 Nov 2026 10:00:00 -0600\r\n" +
		"Message-ID: <claim-cli@example.org>\r\n\r\nHi,\r\n\r\nI lead Pflugerville Votes. Could you introduce me to Ann Arbor Climate Neighbors?\r\n" +
		"They seem to be on Facebook only and we can't get a reply there.\r\n\r\nDana Smith\r\nPflugerville Votes\r\n"
	if err := writeFileAt(filepath.Join(dir, "claim.eml"), body); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, dsn, "ingest", dir)
	id := queueIDs(t, dsn)["Introduction to Ann Arbor Climate Neighbors?"]
	if id == "" {
		t.Fatal("no request for the introduction")
	}
	out := mustCLI(t, dsn, "queue", "show", id)
	for _, want := range []string{"requester claims group Pflugerville Votes; their address is not on file for it",
		"the directory lists a public email for Ann Arbor Climate Neighbors: check before introducing"} {
		if !strings.Contains(out, want) {
			t.Errorf("queue show %s lacks %q:\n%s", id, want, out)
		}
	}
	_, _, err := cli(t, dsn, "queue", "set", id, "--by", "test", "--target", "999999")
	if err == nil || !strings.Contains(err.Error(), "group 999999 does not exist") ||
		!strings.Contains(err.Error(), "switchboard groups search NAME") || strings.Contains(err.Error(), "request "+id+" does not exist") {
		t.Errorf("queue set --target 999999: error %v, want the group named and groups search", err)
	}
	out = mustCLI(t, dsn, "queue", "set", id, "--by", "test", "--target", "9", "--opt-in=false")
	if !strings.Contains(out, "chose group 9") {
		t.Errorf("queue set --target 9: %q", out)
	}
	out = mustCLI(t, dsn, "queue", "show", id)
	if !strings.Contains(out, "write to us at support@") {
		t.Errorf("the introduction does not name the support address:\n%s", out)
	}
}
