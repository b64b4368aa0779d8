package main

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestQueueReclassifyUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"queue", "reclassify", "7", "--by", "ana"}, []string{"needs --kind", "list_request", "introduction", "followup", "other"}},
		{[]string{"queue", "reclassify", "7", "--kind", "spam", "--by", "ana"}, []string{`unknown kind "spam"`, "list_request, introduction, submission"}},
		{[]string{"queue", "reclassify", "7", "--kind", "mixed", "--by", "ana"}, []string{`unknown kind "mixed"`}},
		{[]string{"queue", "reclassify", "7", "--kind", "other"}, []string{"needs --by NAME"}},
		{[]string{"queue", "reclassify", "--kind", "other", "--by", "ana"}, []string{"usage: switchboard queue reclassify ID --kind K --by NAME", "list_request"}},
	} {
		// No database: the flags are checked before connecting.
		_, _, err := cli(t, "postgres://nobody@127.0.0.1:1/none?sslmode=disable", tt.args...)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: err = %v, want a usage error", tt.args, err)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: %q lacks %q", tt.args, err, w)
			}
		}
		if strings.Contains(err.Error(), "mixed") && !strings.Contains(strings.Join(tt.args, " "), "mixed") {
			t.Errorf("%v: %q offers mixed", tt.args, err)
		}
	}
}

func TestQueueReclassify(t *testing.T) {
	dsn := newDatabaseURL(t, false)
	mustCLI(t, dsn, "migrate")
	mustCLI(t, dsn, "groups", "import", "--by", "test", filepath.Join("..", "..", "demo", "data", "groups.csv"))
	dir := t.TempDir()
	if err := writeFileAt(filepath.Join(dir, "tx10.eml"), "From: Ben Roe <ben.roe@example.org>\r\nTo: support@network.example.org\r\n"+
		"Subject: TX-10 groups\r\nDate: Mon, 02 Mar 2026 09:15:00 -0500\r\nMessage-ID: <recl-1@example.org>\r\n\r\n"+
		"Could you send the list of groups in TX-10?\r\nBen\r\n"); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, dsn, "ingest", dir)
	id := queueIDs(t, dsn)["TX-10 groups"]
	if id == "" {
		t.Fatal("the request was not made")
	}
	show := func() (v struct {
		Kind   string `json:"kind"`
		Status string `json:"status"`
		Drafts []struct {
			Kind   string `json:"kind"`
			Status string `json:"status"`
		} `json:"drafts"`
		Reasons []string `json:"reasons"`
	}) {
		if err := json.Unmarshal([]byte(mustCLI(t, dsn, "queue", "show", id, "--json")), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := show(); v.Kind != "list_request" || v.Status != "drafted" {
		t.Fatalf("before: %s, %s", v.Kind, v.Status)
	}
	out := mustCLI(t, dsn, "queue", "reclassify", id, "--kind", "other", "--by", "ana")
	if !strings.Contains(out, "reclassified request "+id+" as other") {
		t.Errorf("output %q", out)
	}
	v := show()
	if v.Kind != "other" || v.Status != "needs_triage" {
		t.Errorf("after: %s, %s, want other, needs_triage", v.Kind, v.Status)
	}
	for _, d := range v.Drafts {
		if d.Status == "awaiting_approval" {
			t.Errorf("draft %s still awaits approval", d.Kind)
		}
	}
	if !strings.Contains(strings.Join(v.Reasons, "\n"), "kind set by ana") {
		t.Errorf("reasons %v do not say who set the kind", v.Reasons)
	}
	if _, _, err := cli(t, dsn, "queue", "reclassify", "999999", "--kind", "other", "--by", "ana"); err == nil ||
		!strings.Contains(err.Error(), "does not exist") {
		t.Errorf("an unknown request: %v", err)
	}
}
