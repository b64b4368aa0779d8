package web_test

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"switchboard/blobstore"
	"switchboard/demo"
	"switchboard/directory"
	"switchboard/jobs"
	"switchboard/mailout"
	"switchboard/store"
	"switchboard/templates"
	"switchboard/web"
	"switchboard/web/storeadapter"
	"switchboard/workflows"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// testPassword is every test user's password.
const testPassword = "correct horse battery staple"

var testFrom = workflows.Address{Name: "Support Team", Address: "support@network.example.org"}

// env is a web server on a fresh database with the demo directory, the demo
// mails (plus testdata/xss.eml) processed, and one user per role.
type env struct {
	t        *testing.T
	st       *store.Store
	srv      *httptest.Server
	web      *web.Server
	pipeline *jobs.Pipeline
	deps     jobs.Deps
	blobs    *blobstore.Store
	// adminTOTP is the admin's TOTP secret.
	adminTOTP string
}

// newEnv builds the env. sender may be nil (no mail is sent).
func newEnv(t *testing.T, sender *mailout.Sender) *env {
	t.Helper()
	ctx := context.Background()
	st := store.MustOpenTest(t)
	if _, err := st.ImportGroups(ctx, bytes.NewReader(demo.GroupsCSV()), "demo", "test"); err != nil {
		t.Fatal(err)
	}
	geo, err := directory.LoadGeography()
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := blobstore.Open(ctx, "mem://")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	deps := jobs.Deps{Store: st, Geo: geo, Templates: tpl, Sender: sender, From: testFrom,
		OwnAddresses: []string{testFrom.Address}, Blobs: blobs}
	raws := [][]byte{}
	for _, m := range demo.Mails() {
		raws = append(raws, m.Raw)
	}
	xss, err := os.ReadFile("testdata/xss.eml")
	if err != nil {
		t.Fatal(err)
	}
	raws = append(raws, xss)
	for i, raw := range raws {
		if _, err := st.SaveFetched(ctx, store.RawMessage{Mailbox: "support@network.example.org", UIDValidity: 1,
			UID: uint32(i + 1), InternalDate: time.Date(2026, 11, 24, 10, i, 0, 0, time.UTC), Raw: raw}); err != nil {
			t.Fatal(err)
		}
	}
	// Processed one at a time, in order, so that request ids (and the golden
	// pages) are the same on every run.
	rows, err := st.DB().QueryContext(ctx, `SELECT id FROM messages ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	p := jobs.NewPipeline(deps)
	for _, id := range ids {
		if err := p.Process(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	// The stories of submissions, with previews and thumbnails, as the
	// story job builds them.
	subs, err := st.Queue(ctx, store.QueueFilter{Kind: workflows.KindSubmission, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for i := len(subs) - 1; i >= 0; i-- {
		if _, err := p.BuildStory(ctx, subs[i].ID); err != nil {
			t.Fatal(err)
		}
	}
	e := &env{t: t, st: st, deps: deps, pipeline: p, blobs: blobs}
	e.addUser("admin@example.org", "Ada Admin", store.RoleAdmin)
	e.addUser("staff@example.org", "Sam Staff", store.RoleStaff)
	e.addUser("press@example.org", "Pat Press", store.RolePress)
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Switchboard", AccountName: "admin@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	e.adminTOTP = key.Secret()
	if err := st.SetTOTPSecret(ctx, "admin@example.org", e.adminTOTP, "test"); err != nil {
		t.Fatal(err)
	}
	e.web, err = web.New(web.Config{Store: storeadapter.New(st), Redrafter: storeadapter.Redrafter{R: e.pipeline}, DB: st.DB(),
		Blobs:           blobs,
		MaxFailsAccount: 5, MaxFailsIP: 50})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(e.web)
	t.Cleanup(func() { e.srv.Close(); e.web.Close() })
	return e
}

func (e *env) addUser(email, name, role string) {
	e.t.Helper()
	hash, err := web.HashPassword(testPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.st.CreateUser(context.Background(), email, name, hash, role, "test"); err != nil {
		e.t.Fatal(err)
	}
}

// client is a cookie-keeping HTTP client that does not follow redirects.
type client struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, base: e.srv.URL, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// resp is a read response.
type resp struct {
	Code   int
	Header http.Header
	Body   string
}

func (c *client) do(req *http.Request) resp {
	c.t.Helper()
	r, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return resp{Code: r.StatusCode, Header: r.Header, Body: string(b)}
}

func (c *client) get(path string) resp {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	return c.do(req)
}

// post posts form; headers are extra request headers ("Origin", "...").
func (c *client) post(path string, form url.Values, headers ...string) resp {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

var csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf returns the CSRF token of the session, read from a page.
func (c *client) csrf() string {
	c.t.Helper()
	m := csrfRe.FindStringSubmatch(c.get("/login").Body)
	if m == nil {
		m = csrfRe.FindStringSubmatch(c.get("/stories").Body)
	}
	if m == nil {
		c.t.Fatal("no csrf token on the page")
	}
	return m[1]
}

// form builds url.Values from pairs, with the session's CSRF token.
func (c *client) form(pairs ...string) url.Values {
	v := url.Values{"csrf_token": {c.csrf()}}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Add(pairs[i], pairs[i+1])
	}
	return v
}

// login logs email in (with the TOTP code for the admin) and returns the client.
func (e *env) login(email string) *client {
	e.t.Helper()
	c := e.client()
	r := c.post("/login", c.form("email", email, "password", testPassword))
	if r.Code != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d: %s", email, r.Code, r.Body)
	}
	if r.Header.Get("Location") == "/login/totp" {
		// A code works once per 30-second step: a second login in the same
		// step uses the next step's code, which the drift window accepts.
		for i := 0; ; i++ {
			code, err := totp.GenerateCode(e.adminTOTP, time.Now().Add(time.Duration(i)*30*time.Second))
			if err != nil {
				e.t.Fatal(err)
			}
			r = c.post("/login/totp", c.form("code", code))
			if r.Code == http.StatusSeeOther && r.Header.Get("Location") != "/login/totp" {
				break
			}
			if i == 1 {
				e.t.Fatalf("totp %s: status %d", email, r.Code)
			}
		}
	}
	return c
}

// requestID finds the request of the message with subject.
func (e *env) requestID(subject string) int64 {
	e.t.Helper()
	items, err := e.st.Queue(context.Background(), store.QueueFilter{Limit: 100})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, it := range items {
		if it.Subject == subject {
			return it.ID
		}
	}
	e.t.Fatalf("no request with subject %q", subject)
	return 0
}

// golden compares got with testdata/NAME.golden (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./web -run %s -update)", err, t.Name())
	}
	if string(want) != got {
		t.Errorf("%s differs from %s; run with -update after checking the change.\n--- got ---\n%s", t.Name(), p, got)
	}
}
