package jobs_test

import (
	"bytes"
	"encoding/csv"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"switchboard/demo"
	"switchboard/directory"
	"switchboard/jobs"
	"switchboard/mailin"
	"switchboard/mailout"
	"switchboard/store"
	"switchboard/templates"
	"switchboard/workflows"
)

// support is the address the tests' pipeline answers from.
var support = workflows.Address{Name: "Support Team", Address: "support@network.example.org"}

// testMailbox is the mailbox every test message is filed under.
const testMailbox = "test:support"

// harness is a pipeline on a throwaway database with the sample directory
// imported, sending to an in-process SMTP capture server.
type harness struct {
	st      *store.Store
	deps    jobs.Deps
	p       *jobs.Pipeline
	capture *demo.SMTPCapture
	nextUID uint32
}

// newHarness builds a harness; the database, capture server and directory
// are the real ones.
func newHarness(t *testing.T) *harness {
	t.Helper()
	st := store.MustOpenTest(t)
	geo, err := directory.LoadGeography()
	if err != nil {
		t.Fatalf("load geography: %v", err)
	}
	tpl, err := templates.Load()
	if err != nil {
		t.Fatalf("load templates: %v", err)
	}
	csvBytes, err := os.ReadFile(groupsCSVPath)
	if err != nil {
		t.Fatalf("read groups: %v", err)
	}
	rep, err := st.ImportGroups(t.Context(), bytes.NewReader(csvBytes), groupsCSVPath, "test")
	if err != nil {
		t.Fatalf("import groups: %v", err)
	}
	if len(rep.Rejected) > 0 {
		t.Fatalf("import groups: %d lines rejected, first %+v", len(rep.Rejected), rep.Rejected[0])
	}
	capture := startCapture(t)
	deps := jobs.Deps{
		Store:        st,
		Geo:          geo,
		Templates:    tpl,
		Sender:       newSender(t, capture.Addr()),
		From:         support,
		OwnAddresses: []string{support.Address},
	}
	return &harness{st: st, deps: deps, p: jobs.NewPipeline(deps), capture: capture}
}

// groupsCSVPath is the sample directory, relative to this package.
var groupsCSVPath = filepath.Join("..", "demo", "data", "groups.csv")

// startCapture starts the demo's SMTP capture server until the test ends.
func startCapture(t *testing.T) *demo.SMTPCapture {
	t.Helper()
	c, err := demo.StartSMTPCapture()
	if err != nil {
		t.Fatalf("start SMTP capture: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// newSender returns a Sender for the plain-SMTP server at addr (loopback).
func newSender(t *testing.T, addr string) *mailout.Sender {
	t.Helper()
	u, err := mailout.ParseSMTPURL("smtp://" + addr)
	if err != nil {
		t.Fatalf("parse SMTP URL: %v", err)
	}
	s, err := mailout.NewSender(mailout.Config{URL: u, From: support, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("new sender: %v", err)
	}
	return s
}

// withSender returns a pipeline like h's but sending through the server at addr.
func (h *harness) withSender(t *testing.T, addr string) *jobs.Pipeline {
	t.Helper()
	d := h.deps
	d.Sender = newSender(t, addr)
	return jobs.NewPipeline(d)
}

// save stores raw as the next UID of the test mailbox and returns the stored
// message's id and whether it was new.
func (h *harness) save(t *testing.T, raw []byte) (int64, bool) {
	t.Helper()
	h.nextUID++
	mid := mailin.HeaderMessageID(raw)
	created, err := h.st.SaveFetched(t.Context(), store.RawMessage{
		Mailbox: testMailbox, UIDValidity: 1, UID: h.nextUID, InternalDate: time.Now(),
		Size: int64(len(raw)), MessageID: mid, Raw: raw,
	})
	if err != nil {
		t.Fatalf("SaveFetched: %v", err)
	}
	var id int64
	err = h.st.DB().QueryRowContext(t.Context(),
		`SELECT m.id FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id
		 WHERE b.address = $1 AND m.dedupe_key = $2`, testMailbox, store.DedupeKey(mid, raw)).Scan(&id)
	if err != nil {
		t.Fatalf("find stored message: %v", err)
	}
	return id, created
}

// requestFor returns the request made for stored message messageID.
func requestFor(t *testing.T, st *store.Store, messageID int64) store.RequestDetail {
	t.Helper()
	var id int64
	if err := st.DB().QueryRowContext(t.Context(), `SELECT id FROM requests WHERE message_id = $1`, messageID).Scan(&id); err != nil {
		t.Fatalf("find request of message %d: %v", messageID, err)
	}
	d, err := st.Request(t.Context(), id)
	if err != nil {
		t.Fatalf("load request %d: %v", id, err)
	}
	return d
}

// requestCount counts the requests of stored message messageID.
func requestCount(t *testing.T, st *store.Store, messageID int64) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRowContext(t.Context(), `SELECT count(*) FROM requests WHERE message_id = $1`, messageID).Scan(&n); err != nil {
		t.Fatalf("count requests: %v", err)
	}
	return n
}

// process stores raw, processes it and returns its request.
func (h *harness) process(t *testing.T, raw []byte) store.RequestDetail {
	t.Helper()
	id, _ := h.save(t, raw)
	if err := h.p.Process(t.Context(), id); err != nil {
		t.Fatalf("Process: %v", err)
	}
	return requestFor(t, h.st, id)
}

// demoMail returns the demo's sample mail named name.
func demoMail(t *testing.T, name string) []byte {
	t.Helper()
	for _, m := range demo.Mails() {
		if m.Name == name {
			return m.Raw
		}
	}
	t.Fatalf("no demo mail %s", name)
	return nil
}

// draft returns draft id as stored.
func draft(t *testing.T, st *store.Store, requestID, draftID int64) store.Draft {
	t.Helper()
	d, err := st.Request(t.Context(), requestID)
	if err != nil {
		t.Fatalf("load request %d: %v", requestID, err)
	}
	for _, x := range d.Drafts {
		if x.ID == draftID {
			return x
		}
	}
	t.Fatalf("request %d has no draft %d", requestID, draftID)
	return store.Draft{}
}

// waitFor polls cond every 20ms until it holds or the deadline passes.
func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// leaderEmails reads the private leader addresses of groups.csv, lower-cased,
// independently of the store.
func leaderEmails(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open(groupsCSVPath)
	if err != nil {
		t.Fatalf("open groups: %v", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read groups: %v", err)
	}
	col := slices.Index(rows[0], "leader_email")
	if col < 0 {
		t.Fatal("groups.csv has no leader_email column")
	}
	out := map[string]bool{}
	for _, rec := range rows[1:] {
		if e := strings.ToLower(rec[col]); e != "" {
			out[e] = true
		}
	}
	return out
}

// headerReplyAddress is where a reply to raw goes, read with net/mail: the
// Reply-To address when there is one, else the From address.
func headerReplyAddress(t *testing.T, raw []byte) (reply, from string) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message header: %v", err)
	}
	fromList, err := m.Header.AddressList("From")
	if err != nil || len(fromList) == 0 {
		t.Fatalf("read From: %v", err)
	}
	from = strings.ToLower(fromList[0].Address)
	if rt, err := m.Header.AddressList("Reply-To"); err == nil && len(rt) > 0 {
		return strings.ToLower(rt[0].Address), from
	}
	return from, from
}
