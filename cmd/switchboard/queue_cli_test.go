package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// queueIDs returns the request IDs of `queue list --json` by subject.
func queueIDs(t *testing.T, dsn string) map[string]string {
	t.Helper()
	var items []struct {
		ID      int64  `json:"id"`
		Subject string `json:"subject"`
	}
	if err := json.Unmarshal([]byte(mustCLI(t, dsn, "queue", "list", "--json")), &items); err != nil {
		t.Fatalf("queue list --json: %v", err)
	}
	out := map[string]string{}
	for _, it := range items {
		out[it.Subject] = strconv.FormatInt(it.ID, 10)
	}
	return out
}

func TestQueueSetListAndShow(t *testing.T) {
	dsn := newDatabaseURL(t, false)
	mustCLI(t, dsn, "migrate")
	mustCLI(t, dsn, "groups", "import", "--by", "test", filepath.Join("..", "..", "demo", "data", "groups.csv"))
	// A PO-box ZIP group with no recorded district: listed for NM-02 through
	// the nearest ZCTA (zip_districts' derived rows).
	mustCLI(t, dsn, "groups", "import", "--by", "test", writeFile(t, "pobox.csv",
		"id,name,city,state,zip,district,latitude,longitude,public_email,website,twitter,facebook,leader_name,leader_email,status,updated\n"+
			"990001,Organ Mountains PO Box Group,Las Cruces,NM,88006,,,,pobox@example.org,,,,,,active,2026-01-02\n"))

	dir := t.TempDir()
	mails := map[string]string{
		"springfield.eml": "From: Ada Quill <ada.quill@example.org>\r\nTo: support@network.example.org\r\nSubject: Springfield groups\r\n" +
			"Date: Mon, 02 Mar 2026 09:15:00 -0500\r\nMessage-ID: <set-1@example.org>\r\n\r\nCould you send me a list of the groups in Springfield?\r\nAda\r\n",
		"nodate.eml": "From: Ben Roe <ben.roe@example.org>\r\nTo: support@network.example.org\r\nSubject: No date here\r\n" +
			"Message-ID: <set-2@example.org>\r\n\r\nCould you send the list of groups in TX-10?\r\nBen\r\n",
		"garbage.eml": "\x1b]0;owned\x07\x1b[2J\x00\x01 not a mail at all \x9b31m \xff\xfe\n" + strings.Repeat("filler line\n", 400),
	}
	for name, body := range mails {
		if err := writeFileAt(filepath.Join(dir, name), body); err != nil {
			t.Fatal(err)
		}
	}
	mustCLI(t, dsn, "ingest", dir)
	ids := queueIDs(t, dsn)
	spring, nodate := ids["Springfield groups"], ids["No date here"]
	garbage := ids[""]
	if spring == "" || nodate == "" || garbage == "" {
		t.Fatalf("requests by subject: %v", ids)
	}

	t.Run("list shows when the leader wrote", func(t *testing.T) {
		out := mustCLI(t, dsn, "queue", "list")
		if !strings.Contains(strings.SplitN(out, "\n", 2)[0], "SENT") {
			t.Errorf("queue list header has no SENT column:\n%s", out)
		}
		sent := time.Date(2026, 3, 2, 14, 15, 0, 0, time.UTC).Local().Format("2006-01-02 15:04")
		line := lineOf(out, spring)
		if !strings.Contains(line, sent) {
			t.Errorf("request %s: want the Date header %s in %q", spring, sent, line)
		}
		if line := lineOf(out, nodate); !regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d`).MatchString(line) {
			t.Errorf("a message without Date: %q, want a time all the same", line)
		}
	})

	t.Run("show of an unparseable message", func(t *testing.T) {
		out := mustCLI(t, dsn, "queue", "show", garbage)
		for _, want := range []string{"Parse error:", "--- raw message: first 2048 of ", `\x1b]0;owned\x07\x1b[2J\x00\x01`, `\x9b31m`, `\xff\xfe`, "[… "} {
			if !strings.Contains(out, want) {
				t.Errorf("queue show %s lacks %q:\n%s", garbage, want, out)
			}
		}
		if strings.ContainsAny(out, "\x1b\x00\x07") || strings.Contains(out, "\x9b") || strings.Contains(out, "\xff") {
			t.Errorf("queue show %s lets control bytes through: %q", garbage, out)
		}
		if strings.Contains(out, "In-Reply-To: <>") {
			t.Errorf("queue show prints an empty In-Reply-To:\n%s", out)
		}
	})

	t.Run("set", func(t *testing.T) {
		_, _, err := cli(t, dsn, "queue", "set", spring, "--by", "test", "--city", "Springfield")
		wantUsage(t, err)
		_, _, err = cli(t, dsn, "queue", "set", spring, "--by", " ", "--state", "MO")
		wantUsage(t, err, "--by")
		_, _, err = cli(t, dsn, "queue", "set", "999999", "--by", "test", "--state", "MO")
		if err == nil || !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("queue set 999999: error %v, want does not exist", err)
		}
		_, _, err = cli(t, dsn, "queue", "set", spring, "--by", "test", "--district", "ZZ-99")
		wantUsage(t, err)

		out := mustCLI(t, dsn, "queue", "set", spring, "--by", "test", "--city", "Springfield", "--state", "MO")
		if !strings.Contains(out, "corrected the place of request "+spring) {
			t.Errorf("queue set output: %q", out)
		}
		show := showJSONOf(t, dsn, spring)
		if show.Extracted.City != "Springfield" || show.Extracted.State != "MO" {
			t.Errorf("after queue set: extracted %+v", show.Extracted)
		}
		if d := awaitingListReply(show); d == nil || !strings.Contains(d.Subject, "Springfield") {
			t.Errorf("after queue set --city: drafts %+v, want a list reply for Springfield", show.Drafts)
		}

		mustCLI(t, dsn, "queue", "set", spring, "--by", "test", "--zip", "88006")
		show = showJSONOf(t, dsn, spring)
		d := awaitingListReply(show)
		if d == nil || !strings.Contains(d.Text, "Organ Mountains PO Box Group") || !strings.Contains(d.Text, "NM-02") {
			t.Errorf("after queue set --zip 88006: want the PO-box group and NM-02 in the reply, drafts %+v", show.Drafts)
		}
		text := mustCLI(t, dsn, "queue", "show", spring)
		if strings.Contains(text, "In-Reply-To: <>") || !strings.Contains(text, "In-Reply-To: <set-1@example.org>") {
			t.Errorf("queue show In-Reply-To:\n%s", text)
		}
	})
}

type showOut struct {
	Extracted struct {
		City, State, ZIP, District string
	} `json:"extracted"`
	Drafts []showDraft `json:"drafts"`
}

type showDraft struct {
	Kind    string `json:"kind"`
	Status  string `json:"status"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
}

func showJSONOf(t *testing.T, dsn, id string) showOut {
	t.Helper()
	var v showOut
	if err := json.Unmarshal([]byte(mustCLI(t, dsn, "queue", "show", id, "--json")), &v); err != nil {
		t.Fatalf("queue show %s --json: %v", id, err)
	}
	return v
}

// awaitingListReply is the list reply among a request's drafts that is
// waiting for approval.
func awaitingListReply(v showOut) *showDraft {
	for i, d := range v.Drafts {
		if d.Kind == "list_reply" && d.Status == "awaiting_approval" {
			return &v.Drafts[i]
		}
	}
	return nil
}

// lineOf returns the line of a table that starts with id.
func lineOf(out, id string) string {
	m := regexp.MustCompile(`(?m)^` + id + `\s.*$`).FindString(out)
	return m
}

func writeFileAt(path, data string) error { return os.WriteFile(path, []byte(data), 0o644) }
