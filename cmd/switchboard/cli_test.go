package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lib/pq"

	"switchboard/internal/testcorpus"
	"switchboard/store"
)

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// baseURL is the PostgreSQL server the tests use.
func baseURL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return store.DefaultTestDatabaseURL
}

// newDatabaseURL returns the URL of a new, empty database on the test server
// and drops it when the test ends. The database is created when create is
// true; otherwise the command under test creates it.
func newDatabaseURL(t *testing.T, create bool) string {
	t.Helper()
	u, err := url.Parse(baseURL())
	if err != nil {
		t.Fatalf("parse DATABASE_URL: %v", err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "sbcli_" + hex.EncodeToString(b)
	u.Path = "/" + name
	dsn := u.String()
	if create {
		if err := store.CreateDatabase(t.Context(), dsn); err != nil {
			t.Fatalf("create database: %v", err)
		}
	}
	t.Cleanup(func() {
		db, err := sql.Open("postgres", baseURL())
		if err != nil {
			t.Errorf("drop database %s: %v", name, err)
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, `DROP DATABASE IF EXISTS `+pq.QuoteIdentifier(name)+` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return dsn
}

// testEnv is an Env whose only variable is DATABASE_URL.
func testEnv(dsn string, stdout, stderr *syncBuffer) *Env {
	return &Env{
		Stdin:  strings.NewReader(""),
		Stdout: stdout,
		Stderr: stderr,
		Getenv: func(k string) (string, bool) {
			if k == "DATABASE_URL" {
				return dsn, true
			}
			return "", false
		},
	}
}

// cli runs one command in-process and returns its output and error.
func cli(t *testing.T, dsn string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut syncBuffer
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	err = run(ctx, testEnv(dsn, &out, &errOut), args)
	return out.String(), errOut.String(), err
}

// mustCLI is cli that fails the test on an error.
func mustCLI(t *testing.T, dsn string, args ...string) string {
	t.Helper()
	out, errOut, err := cli(t, dsn, args...)
	if err != nil {
		t.Fatalf("switchboard %s: %v\nstderr:\n%s", strings.Join(args, " "), err, errOut)
	}
	return out
}

// keysOf returns the sorted keys of a JSON object.
func keysOf(m map[string]json.RawMessage) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// wantKeys checks that obj has exactly want (or at least want, when exact is false).
func wantKeys(t *testing.T, what string, obj map[string]json.RawMessage, exact bool, want ...string) {
	t.Helper()
	got := keysOf(obj)
	slices.Sort(want)
	if exact && !slices.Equal(got, want) {
		t.Errorf("%s keys = %v, want exactly %v", what, got, want)
		return
	}
	for _, k := range want {
		if _, ok := obj[k]; !ok {
			t.Errorf("%s has no key %q (keys %v)", what, k, got)
		}
	}
}

// wantUsage checks that err is a usage error whose message holds each of hints.
func wantUsage(t *testing.T, err error, hints ...string) {
	t.Helper()
	var ue usageError
	if !errors.As(err, &ue) {
		t.Fatalf("error = %v, want a usage error", err)
	}
	for _, h := range hints {
		if !strings.Contains(err.Error(), h) {
			t.Errorf("usage error %q does not say %q", err, h)
		}
	}
}

func TestClassifyJSONNeedsNoDatabase(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testcorpus.Dir(t), "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	unreachable := "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=1"
	out := mustCLI(t, unreachable, append([]string{"classify", "--json"}, files...)...)
	sc := bufio.NewScanner(strings.NewReader(out))
	n := 0
	for sc.Scan() {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &obj); err != nil {
			t.Fatalf("line %d is not a JSON object: %v\n%s", n+1, err, sc.Text())
		}
		wantKeys(t, "classify line "+strconv.Itoa(n+1), obj, true,
			"file", "kind", "kinds", "confidence", "city", "state", "zip", "district", "target_group", "attachments")
		var file string
		_ = json.Unmarshal(obj["file"], &file)
		if file != files[n] {
			t.Errorf("line %d is about %s, want %s", n+1, file, files[n])
		}
		n++
	}
	if n != len(files) {
		t.Errorf("%d lines for %d files", n, len(files))
	}
}

func TestGroupsImport(t *testing.T) {
	dsn := newDatabaseURL(t, false)
	mustCLI(t, dsn, "migrate")

	out := mustCLI(t, dsn, "groups", "import", "--by", "test", filepath.Join("..", "..", "demo", "data", "groups.csv"))
	if !strings.Contains(out, "imported 5000 groups") {
		t.Errorf("import output = %q, want 5000 groups imported", out)
	}

	bad := filepath.Join("testdata", "groups_bad.csv")
	_, errOut, err := cli(t, dsn, "groups", "import", "--by", "test", bad)
	if err == nil {
		t.Fatal("importing a file with bad lines succeeded")
	}
	if !strings.Contains(err.Error(), "4 lines") || !strings.Contains(err.Error(), "valid rows are kept") {
		t.Errorf("error = %q, want it to count the 4 rejected lines and say valid rows are kept", err)
	}
	for _, line := range []int{3, 4, 6, 7} {
		if want := bad + ":" + strconv.Itoa(line) + ":"; !strings.Contains(errOut, want) {
			t.Errorf("stderr does not name line %d (%q):\n%s", line, want, errOut)
		}
	}
	st, err := store.Open(t.Context(), dsn, nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	defer st.Close()
	for _, id := range []int64{900001, 900004} {
		if _, err := st.Group(t.Context(), id); err != nil {
			t.Errorf("valid row %d was not kept: %v", id, err)
		}
	}
	if _, err := st.Group(t.Context(), 900003); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("rejected row 900003: err = %v, want not found", err)
	}
}

// mboxOf builds an mbox (mboxrd) of msgs.
func mboxOf(msgs ...string) []byte {
	var b bytes.Buffer
	for _, m := range msgs {
		b.WriteString("From sender@example.org Mon Nov 23 10:00:00 2026\n")
		for _, line := range strings.SplitAfter(m, "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, ">"), "From ") {
				b.WriteString(">")
			}
			b.WriteString(line)
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

func TestIngestAndQueue(t *testing.T) {
	dsn := newDatabaseURL(t, false)
	mustCLI(t, dsn, "migrate")
	mustCLI(t, dsn, "groups", "import", "--by", "test", filepath.Join("..", "..", "demo", "data", "groups.csv"))

	dir := t.TempDir()
	mbox := filepath.Join(dir, "inbox.mbox")
	if err := os.WriteFile(mbox, mboxOf(
		"From: Ada Quill <ada.quill@example.org>\nTo: support@network.example.org\nSubject: Groups in Austin, TX?\nMessage-ID: <mbox-1@example.org>\n\nCould you send me a list of the groups in Austin, TX?\nFrom the east side,\nAda\n",
		"From: Ben Roe <ben.roe@example.org>\nTo: support@network.example.org\nSubject: WY list\nMessage-ID: <mbox-2@example.org>\n\nPlease send a list of every group in Wyoming (WY-AL), statewide.\nBen\n",
	), 0o644); err != nil {
		t.Fatal(err)
	}
	single := filepath.Join(dir, "single.eml")
	if err := os.WriteFile(single, []byte("From: Cy Vale <cy.vale@example.org>\r\nTo: support@network.example.org\r\nSubject: list for TX-10\r\nMessage-ID: <single-1@example.org>\r\n\r\nCould you send the list of groups in TX-10?\r\nCy\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path    string
		newMsgs int
	}{
		{filepath.Join("..", "..", "demo", "mail"), 6},
		{mbox, 2},
		{single, 1},
	} {
		out := mustCLI(t, dsn, "ingest", c.path)
		if want := strconv.Itoa(c.newMsgs) + " new"; !strings.Contains(out, want) {
			t.Errorf("ingest %s: output %q, want %q", c.path, out, want)
		}
	}

	// queue list --json
	var items []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(mustCLI(t, dsn, "queue", "list", "--json")), &items); err != nil {
		t.Fatalf("queue list --json is not a JSON array: %v", err)
	}
	if len(items) != 9 {
		t.Errorf("queue list has %d items, want 9", len(items))
	}
	bySubject := map[string]int64{}
	for i, it := range items {
		wantKeys(t, "queue item "+strconv.Itoa(i), it, true, "id", "kind", "status", "from", "subject", "message_id", "created_at")
		var id int64
		var subject string
		_ = json.Unmarshal(it["id"], &id)
		_ = json.Unmarshal(it["subject"], &subject)
		bySubject[subject] = id
	}

	// queue show --json on every request: the stable keys of each part.
	var drafted int64
	for subject, id := range bySubject {
		var show map[string]json.RawMessage
		if err := json.Unmarshal([]byte(mustCLI(t, dsn, "queue", "show", strconv.FormatInt(id, 10), "--json")), &show); err != nil {
			t.Fatalf("queue show %d --json: %v", id, err)
		}
		wantKeys(t, "queue show", show, false, "id", "kind", "status", "extracted", "drafts", "candidates", "attachments")
		parts := map[string][]map[string]json.RawMessage{}
		for _, k := range []string{"drafts", "candidates", "attachments"} {
			var list []map[string]json.RawMessage
			if err := json.Unmarshal(show[k], &list); err != nil {
				t.Errorf("%s of %q is not an array of objects: %v", k, subject, err)
			}
			parts[k] = list
		}
		for _, d := range parts["drafts"] {
			wantKeys(t, "draft", d, false, "id", "kind", "status", "to", "cc", "subject", "text", "html", "group_ids")
		}
		for _, c := range parts["candidates"] {
			wantKeys(t, "candidate", c, false, "group_id", "name", "score")
		}
		for _, a := range parts["attachments"] {
			wantKeys(t, "attachment", a, false, "filename", "content_type", "size")
		}
		var status string
		_ = json.Unmarshal(show["status"], &status)
		if status == "drafted" && drafted == 0 {
			drafted = id
		}
	}
	if drafted == 0 {
		t.Fatal("no drafted request to approve")
	}
	id := strconv.FormatInt(drafted, 10)

	t.Run("approve needs --by", func(t *testing.T) {
		_, _, err := cli(t, dsn, "queue", "approve", id)
		wantUsage(t, err, "--by")
	})
	t.Run("reject needs --reason", func(t *testing.T) {
		_, _, err := cli(t, dsn, "queue", "reject", id, "--by", "test")
		wantUsage(t, err, "--reason")
	})
	t.Run("approve twice", func(t *testing.T) {
		if out := mustCLI(t, dsn, "queue", "approve", id, "--by", "test"); !strings.Contains(out, "approved request "+id) {
			t.Errorf("approve output = %q", out)
		}
		_, _, err := cli(t, dsn, "queue", "approve", id, "--by", "test")
		if err == nil {
			t.Fatal("approving twice succeeded")
		}
		if !strings.Contains(err.Error(), "request "+id) || !strings.Contains(err.Error(), "queue show "+id) {
			t.Errorf("error = %q, want it to name the request and point at queue show", err)
		}
	})
	t.Run("unknown ID", func(t *testing.T) {
		for _, args := range [][]string{{"queue", "show", "999999"}, {"queue", "approve", "999999", "--by", "test"}} {
			_, _, err := cli(t, dsn, args...)
			if err == nil || !strings.Contains(err.Error(), "does not exist") || !strings.Contains(err.Error(), "queue list") {
				t.Errorf("%v: error = %v, want it to say the request does not exist and to run queue list", args, err)
			}
		}
	})
	t.Run("unknown commands", func(t *testing.T) {
		for _, args := range [][]string{{"frobnicate"}, {"queue", "frobnicate"}, {"queue"}, {"groups", "frobnicate"}, {"groups"}} {
			_, _, err := cli(t, dsn, args...)
			var ue usageError
			if !errors.As(err, &ue) {
				t.Errorf("%v: error = %v, want a usage error", args, err)
			}
		}
	})
}

// draftHeaderRE matches the demo's printed drafts: request, draft, kind.
var draftHeaderRE = regexp.MustCompile(`--- request (\d+), draft (\d+) \((\w+), (\w+)\) ---\nTo: ([^\n]*)`)

// wantDemoQueue checks the printed queue: the drafts the sample mails get.
func wantDemoQueue(t *testing.T, out string) {
	t.Helper()
	if !strings.Contains(out, "The queue:") {
		t.Fatalf("no queue printed:\n%s", out)
	}
	kindsTo := map[string][]string{} // recipient → draft kinds
	for _, m := range draftHeaderRE.FindAllStringSubmatch(out, -1) {
		for _, to := range strings.Split(m[5], ", ") {
			kindsTo[to] = append(kindsTo[to], m[3])
		}
	}
	want := []struct{ to, kind, what string }{
		{"harriet.lindgren@example.com", "list_reply", "the Boise list"},
		{"", "list_reply", "the NM-02 list"},
		{"", "question", "the Springfield question"},
		{"", "intro_consent", "the consent request to the target's leader (SWITCHBOARD_INTRO_OPT_IN defaults to true)"},
		{"", "acknowledgement", "the acknowledgement"},
	}
	for _, w := range want {
		found := false
		for to, kinds := range kindsTo {
			if (w.to == "" || strings.Contains(to, w.to)) && slices.Contains(kinds, w.kind) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s draft (%s) in the printed queue; drafts by recipient: %v", w.kind, w.what, kindsTo)
		}
	}
	if n := len(draftHeaderRE.FindAllString(out, -1)); n != 5 {
		t.Errorf("%d drafts printed, want 5 (one per sample mail, none for the auto-reply)", n)
	}
}

func TestDemoOnce(t *testing.T) {
	dsn := newDatabaseURL(t, false)
	out := mustCLI(t, dsn, "demo", "--once")
	wantDemoQueue(t, out)
}

func TestDemoSendsApprovedReply(t *testing.T) {
	dsn := newDatabaseURL(t, false)
	var out, errOut syncBuffer
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- run(ctx, testEnv(dsn, &out, &errOut), []string{"demo"}) }()

	waitOutput := func(what, substr string) {
		t.Helper()
		deadline := time.Now().Add(2 * time.Minute)
		for !strings.Contains(out.String(), substr) {
			select {
			case err := <-done:
				t.Fatalf("demo returned %v before %s\nstdout:\n%s\nstderr:\n%s", err, what, out.String(), errOut.String())
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s\nstdout:\n%s", what, out.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitOutput("the queue", "Press Ctrl-C")
	wantDemoQueue(t, out.String())
	m := draftHeaderRE.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatal("no draft printed")
	}
	if o := mustCLI(t, dsn, "queue", "approve", m[1], "--by", "test"); !strings.Contains(o, "approved request "+m[1]) {
		t.Errorf("approve output = %q", o)
	}
	waitOutput("the sent mail", "the SMTP capture server received")
	waitOutput("the end of the sent mail", "===== end =====")
	if got := out.String(); !strings.Contains(got, "Auto-Submitted: auto-replied") {
		t.Errorf("the printed mail has no Auto-Submitted header:\n%s", got)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("demo returned %v after cancel, want nil", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("demo did not return after cancel")
	}
}
