// Package e2e runs Switchboard end to end against real servers: Dovecot for
// IMAP, Postfix for SMTP (delivering into Dovecot), and PostgreSQL, all on
// loopback, started by scripts/mailstack-up.sh (scripts/test.sh does that).
package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"switchboard/internal/testcorpus"
	"switchboard/mailin"
	"switchboard/store"
)

// stack is the loopback mail stack's addresses, from scripts/mailstack-up.sh.
type stack struct {
	imapAddr, smtpAddr, dbURL string
}

func needStack(t *testing.T) stack {
	t.Helper()
	s := stack{os.Getenv("MAILSTACK_IMAP_ADDR"), os.Getenv("MAILSTACK_SMTP_ADDR"), os.Getenv("DATABASE_URL")}
	if s.imapAddr == "" || s.smtpAddr == "" || s.dbURL == "" {
		msg := "the end-to-end test needs Dovecot, Postfix and PostgreSQL: run it through scripts/test.sh, which starts them"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return s
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// TestCorpusThroughDovecotAndPostfix APPENDs the corpus to a fresh Dovecot
// mailbox, runs `switchboard serve`, approves a list reply with the CLI, and
// reads the reply that Postfix delivered back out of Dovecot.
func TestCorpusThroughDovecotAndPostfix(t *testing.T) {
	st := needStack(t)
	dir := testcorpus.Dir(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	bin := filepath.Join(t.TempDir(), "switchboard")
	build := exec.Command("go", "build", "-o", bin, "../cmd/switchboard")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build switchboard: %v\n%s", err, out)
	}

	// A fresh mailbox and database for this run.
	mailbox := randomName("e2e-")
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) == 0 {
		t.Fatalf("no .eml files in %s", dir)
	}
	distinct := map[string]bool{}
	c := dialIMAP(t, st.imapAddr, "support", "support-pass")
	if err := c.Create(mailbox, nil).Wait(); err != nil {
		t.Fatalf("create mailbox: %v", err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		distinct[mailin.HeaderMessageID(raw)] = true
		cmd := c.Append(mailbox, int64(len(raw)), nil)
		if _, err := cmd.Write(raw); err != nil {
			t.Fatalf("append %s: %v", f, err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatalf("append %s: %v", f, err)
		}
		if _, err := cmd.Wait(); err != nil {
			t.Fatalf("append %s: %v", f, err)
		}
	}
	c.Close()

	dbURL := withDatabase(t, st.dbURL, randomName("sbe2e_"))
	env := append(os.Environ(),
		"DATABASE_URL="+dbURL,
		"SWITCHBOARD_IMAP_URL=imap://support@"+st.imapAddr+"/"+mailbox,
		"SWITCHBOARD_IMAP_PASSWORD=support-pass",
		"SWITCHBOARD_SMTP_URL=smtp://"+st.smtpAddr,
		"SWITCHBOARD_FROM=Support Team <support@network.example.org>",
		"SWITCHBOARD_POLL_INTERVAL=1s",
		"SWITCHBOARD_BLOB_URL=file://"+t.TempDir(),
		"SWITCHBOARD_HTTP_ADDR=127.0.0.1:0",
	)
	cli := func(args ...string) []byte {
		t.Helper()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("switchboard %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
		}
		return out
	}
	cli("migrate")
	cli("groups", "import", "../demo/data/groups.csv")

	logPath := filepath.Join(t.TempDir(), "serve.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	serve := exec.Command(bin, "serve")
	serve.Env = env
	serve.Stdout, serve.Stderr = logFile, logFile
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = serve.Process.Signal(syscall.SIGTERM)
		_ = serve.Wait()
		logFile.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("serve log:\n%s", b)
		}
	}()

	// Every distinct message becomes exactly one stored message and request.
	var reqs []queueItem
	waitFor(t, 2*time.Minute, func() bool {
		reqs = nil
		if err := json.Unmarshal(cli("queue", "list", "--json", "--limit", "1000"), &reqs); err != nil {
			t.Fatalf("queue list --json: %v", err)
		}
		return len(reqs) >= len(distinct)
	})
	if len(reqs) != len(distinct) {
		t.Fatalf("%d requests for %d distinct messages", len(reqs), len(distinct))
	}
	if n := countMessages(t, dbURL); n != len(distinct) {
		t.Fatalf("%d stored messages for %d distinct Message-IDs", n, len(distinct))
	}

	// Approve the Austin list request (s01) with the CLI.
	s01, err := os.ReadFile(filepath.Join(dir, "s01_list_austin_gmail.eml"))
	if err != nil {
		t.Fatal(err)
	}
	leaderMID := mailin.HeaderMessageID(s01)
	var id int64
	for _, r := range reqs {
		if r.MessageID == leaderMID {
			id = r.ID
			if r.Kind != "list_request" || r.Status != "drafted" {
				t.Fatalf("s01 is %s/%s, want list_request/drafted", r.Kind, r.Status)
			}
		}
	}
	if id == 0 {
		t.Fatalf("no request for Message-ID %s", leaderMID)
	}
	cli("queue", "approve", fmt.Sprint(id), "--by", "e2e-test")

	// Postfix delivers everything outside example.test to capture@example.test.
	raw := waitForDelivery(t, st.imapAddr, "<"+leaderMID+">")
	for _, addr := range privateAddresses(t) {
		if bytes.Contains(bytes.ToLower(raw), []byte(addr)) {
			t.Fatalf("the delivered list reply contains the private leader address %s", addr)
		}
	}
	if !bytes.Contains(raw, []byte("Auto-Submitted: auto-replied")) {
		t.Error("the reply lacks Auto-Submitted: auto-replied (RFC 3834 §5)")
	}
}

type queueItem struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	Status    string `json:"status"`
	MessageID string `json:"message_id"`
}

func waitFor(t *testing.T, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met after %s", limit)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func dialIMAP(t *testing.T, addr, user, pass string) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatalf("dial IMAP %s: %v", addr, err)
	}
	if err := c.Login(user, pass).Wait(); err != nil {
		t.Fatalf("IMAP login %s: %v", user, err)
	}
	return c
}

// waitForDelivery polls the capture mailbox for a message whose In-Reply-To
// is inReplyTo and returns its raw bytes.
func waitForDelivery(t *testing.T, addr, inReplyTo string) []byte {
	t.Helper()
	var raw []byte
	waitFor(t, time.Minute, func() bool {
		c := dialIMAP(t, addr, "capture", "capture-pass")
		defer c.Close()
		if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
			t.Fatalf("select capture INBOX: %v", err)
		}
		sd, err := c.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "In-Reply-To", Value: inReplyTo}}}, nil).Wait()
		if err != nil {
			t.Fatalf("search capture INBOX: %v", err)
		}
		uids := sd.AllUIDs()
		if len(uids) == 0 {
			return false
		}
		if len(uids) > 1 {
			t.Fatalf("%d replies delivered for %s, want 1", len(uids), inReplyTo)
		}
		bs := &imap.FetchItemBodySection{Peek: true}
		msgs, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{BodySection: []*imap.FetchItemBodySection{bs}}).Collect()
		if err != nil || len(msgs) != 1 {
			t.Fatalf("fetch reply: %v", err)
		}
		raw = msgs[0].FindBodySection(bs)
		return true
	})
	return raw
}

// privateAddresses lists every leader_email of the sample directory.
func privateAddresses(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("../demo/data/groups.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == "leader_email" {
			col = i
		}
	}
	var out []string
	for _, r := range rows[1:] {
		if r[col] != "" {
			out = append(out, strings.ToLower(r[col]))
		}
	}
	return out
}

func withDatabase(t *testing.T, base, name string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	dsn := u.String()
	ctx := context.Background()
	if err := store.CreateDatabase(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dropDatabase(base, name) })
	return dsn
}

func countMessages(t *testing.T, dsn string) int {
	t.Helper()
	st, err := store.Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int
	if err := st.DB().QueryRow(`SELECT count(*) FROM messages`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
