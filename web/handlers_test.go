package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"switchboard/workflows"
)

func TestPermissions(t *testing.T) {
	e := newEnv(t, nil)
	id := e.requestID("Groups in Boise?")
	req := fmt.Sprintf("/requests/%d", id)
	anon, staff, press, admin := e.client(), e.login("staff@example.org"), e.login("press@example.org"), e.login("admin@example.org")
	gets := []string{"/", "/queue", req, "/directory", "/failed", "/health", "/stories", "/admin/users", "/account/totp"}
	for _, p := range gets {
		t.Run("anonymous GET "+p, func(t *testing.T) {
			r := anon.get(p)
			if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
				t.Errorf("got %d to %q, want a redirect to /login", r.Code, r.Header.Get("Location"))
			}
		})
	}
	posts := []string{"/queue/approve", req + "/approve", req + "/reject", req + "/reclassify", req + "/claim",
		"/drafts/1/edit", "/failed/1/retry", "/admin/users"}
	for _, p := range posts {
		t.Run("anonymous POST "+p, func(t *testing.T) {
			r := anon.post(p, anon.form("reason", "x", "kind", "other"))
			if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
				t.Errorf("got %d to %q, want a redirect to /login", r.Code, r.Header.Get("Location"))
			}
		})
	}
	tests := []struct {
		who  *client
		name string
		path string
		want int
	}{
		{press, "press", "/queue", 403}, {press, "press", req, 403}, {press, "press", "/directory", 403},
		{press, "press", "/failed", 403}, {press, "press", "/health", 403}, {press, "press", "/admin/users", 403},
		{press, "press", "/stories", 200}, {press, "press", "/drafts/1/preview", 403}, {press, "press", "/attachments/1", 403},
		{staff, "staff", "/queue", 200}, {staff, "staff", req, 200}, {staff, "staff", "/directory?name=boise", 200},
		{staff, "staff", "/failed", 200}, {staff, "staff", "/health", 200}, {staff, "staff", "/stories", 200},
		{staff, "staff", "/admin/users", 403},
		{admin, "admin", "/admin/users", 200}, {admin, "admin", "/queue", 200},
		{staff, "staff", "/requests/999999", 404}, {staff, "staff", "/requests/abc", 404},
	}
	for _, tc := range tests {
		t.Run(tc.name+" GET "+tc.path, func(t *testing.T) {
			if r := tc.who.get(tc.path); r.Code != tc.want {
				t.Errorf("got %d, want %d", r.Code, tc.want)
			}
		})
	}
	t.Run("press cannot approve", func(t *testing.T) {
		if r := press.post(req+"/approve", press.form()); r.Code != 403 {
			t.Errorf("got %d, want 403", r.Code)
		}
	})
	t.Run("staff cannot manage users", func(t *testing.T) {
		r := staff.post("/admin/users", staff.form("email", "press@example.org", "action", "role", "role", "admin"))
		if r.Code != 403 {
			t.Errorf("got %d, want 403", r.Code)
		}
		u, _ := e.st.UserByEmail(context.Background(), "press@example.org")
		if u.Role != "press" {
			t.Errorf("press user is now %s", u.Role)
		}
	})
	t.Run("admin disables a user, whose session ends", func(t *testing.T) {
		r := admin.post("/admin/users", admin.form("email", "press@example.org", "action", "disable"))
		if r.Code != 303 {
			t.Fatalf("got %d: %s", r.Code, r.Body)
		}
		if r := press.get("/stories"); r.Code != 303 || r.Header.Get("Location") != "/login" {
			t.Errorf("a disabled user's session still works: %d", r.Code)
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, nil)
	c := e.login("staff@example.org")
	r := c.get("/queue")
	for h, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
		"Referrer-Policy": "same-origin"} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	csp := r.Header.Get("Content-Security-Policy")
	for _, part := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, part) {
			t.Errorf("CSP %q lacks %q", csp, part)
		}
	}
	cookie := e.client().get("/login").Header.Get("Set-Cookie")
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") {
		t.Errorf("session cookie %q: want HttpOnly and SameSite=Lax", cookie)
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t, nil)
	id := e.requestID("Groups in Boise?")
	path := fmt.Sprintf("/requests/%d/reject", id)
	c := e.login("staff@example.org")
	other := e.login("staff@example.org") // another session of the same user
	tests := []struct {
		name    string
		form    url.Values
		headers []string
	}{
		{"no token", url.Values{"reason": {"spam"}}, nil},
		{"wrong token", url.Values{"reason": {"spam"}, "csrf_token": {"nope"}}, nil},
		{"token of another session", other.form("reason", "spam"), nil},
		{"cross-origin Origin", c.form("reason", "spam"), []string{"Origin", "https://evil.example"}},
		{"cross-site fetch", c.form("reason", "spam"), []string{"Sec-Fetch-Site", "cross-site"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if r := c.post(path, tc.form, tc.headers...); r.Code != http.StatusForbidden {
				t.Errorf("got %d, want 403", r.Code)
			}
		})
	}
	t.Run("cross-origin login", func(t *testing.T) {
		a := e.client()
		r := a.post("/login", a.form("email", "staff@example.org", "password", testPassword), "Origin", "https://evil.example")
		if r.Code != http.StatusForbidden {
			t.Errorf("got %d, want 403", r.Code)
		}
	})
	d, err := e.st.Request(context.Background(), id)
	if err != nil || d.Status != workflows.StatusDrafted {
		t.Fatalf("request changed by a refused POST: %v %v", d.Status, err)
	}
	r := c.post(path, c.form("reason", "spam"), "Origin", e.srv.URL, "Sec-Fetch-Site", "same-origin")
	if r.Code != http.StatusSeeOther {
		t.Fatalf("same-origin POST with token: got %d: %s", r.Code, r.Body)
	}
	if d, _ := e.st.Request(context.Background(), id); d.Status != workflows.StatusRejected {
		t.Errorf("status %s, want rejected", d.Status)
	}
}

func TestLoginRateLimit(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client()
	for i := range 5 {
		r := c.post("/login", c.form("email", "staff@example.org", "password", "wrong password "+fmt.Sprint(i)))
		if r.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: got %d, want 401", i, r.Code)
		}
	}
	r := c.post("/login", c.form("email", "staff@example.org", "password", testPassword))
	if r.Code != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures the right password: got %d, want 429", r.Code)
	}
	if !strings.Contains(r.Body, "Too many failed attempts") {
		t.Errorf("429 page does not say why")
	}
	// Another account from the same IP is not locked by the account limit.
	if r := c.post("/login", c.form("email", "press@example.org", "password", testPassword)); r.Code != http.StatusSeeOther {
		t.Errorf("another account: got %d, want 303", r.Code)
	}
}

func TestAdminNeedsTOTP(t *testing.T) {
	e := newEnv(t, nil)
	c := e.client()
	r := c.post("/login", c.form("email", "admin@example.org", "password", testPassword))
	if r.Header.Get("Location") != "/login/totp" {
		t.Fatalf("admin login went to %q, want /login/totp", r.Header.Get("Location"))
	}
	if r := c.get("/queue"); r.Code != 303 || r.Header.Get("Location") != "/login" {
		t.Errorf("password alone gave access: %d", r.Code)
	}
	if r := c.post("/login/totp", c.form("code", "000000")); r.Code != http.StatusUnauthorized {
		t.Errorf("wrong code: got %d", r.Code)
	}
	e.addUser("admin2@example.org", "", "admin") // no second factor yet
	c2 := e.client()
	c2.post("/login", c2.form("email", "admin2@example.org", "password", testPassword))
	if r := c2.get("/queue"); r.Code != 303 || r.Header.Get("Location") != "/account/totp" {
		t.Errorf("admin without TOTP reached the queue: %d %q", r.Code, r.Header.Get("Location"))
	}
	if r := c2.get("/account/totp"); r.Code != 200 || !strings.Contains(r.Body, "totp-secret") {
		t.Errorf("enrolment page: %d", r.Code)
	}
}

func TestRequestActions(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	c := e.login("staff@example.org")
	id := e.requestID("Groups in Boise?")
	d, err := e.st.Request(ctx, id)
	if err != nil || len(d.Drafts) == 0 {
		t.Fatalf("no drafts: %v", err)
	}
	draft := d.Drafts[0]
	t.Run("claim", func(t *testing.T) {
		c.post(fmt.Sprintf("/requests/%d/claim", id), c.form())
		if r := c.get(fmt.Sprintf("/requests/%d", id)); !strings.Contains(r.Body, "Being reviewed by <b>Sam Staff</b>") {
			t.Errorf("claim not shown")
		}
	})
	t.Run("edit", func(t *testing.T) {
		r := c.post(fmt.Sprintf("/drafts/%d/edit", draft.ID), c.form("subject", "Groups in Boise (edited)",
			"text", "Hello Harriet,\r\nhere they are.", "html", "<p>Hello Harriet</p>"))
		if r.Code != 303 {
			t.Fatalf("got %d: %s", r.Code, r.Body)
		}
		got, _ := e.st.Draft(ctx, draft.ID)
		if got.Subject != "Groups in Boise (edited)" || got.Text != "Hello Harriet,\nhere they are." {
			t.Errorf("draft not saved: %q %q", got.Subject, got.Text)
		}
		audit, _ := e.st.RequestAudit(ctx, id)
		if last := audit[len(audit)-1]; last.Action != "draft.edit" || last.Actor != "Sam Staff" {
			t.Errorf("no audit row for the edit: %+v", last)
		}
	})
	t.Run("preview is sandboxed", func(t *testing.T) {
		r := c.get(fmt.Sprintf("/drafts/%d/preview", draft.ID))
		if !strings.Contains(r.Header.Get("Content-Security-Policy"), "sandbox") || r.Header.Get("X-Frame-Options") != "SAMEORIGIN" {
			t.Errorf("preview headers: %v", r.Header)
		}
		if r.Body != "<p>Hello Harriet</p>" {
			t.Errorf("preview body %q", r.Body)
		}
	})
	t.Run("approve", func(t *testing.T) {
		if r := c.post(fmt.Sprintf("/requests/%d/approve", id), c.form()); r.Code != 303 {
			t.Fatalf("got %d", r.Code)
		}
		got, _ := e.st.Request(ctx, id)
		if got.Status != workflows.StatusApproved || got.Drafts[0].ApprovedBy != "Sam Staff" {
			t.Errorf("status %s by %q", got.Status, got.Drafts[0].ApprovedBy)
		}
		if n, _ := e.st.PendingJobs(ctx, "send"); n != 1 {
			t.Errorf("%d send jobs, want 1", n)
		}
		if r := c.post(fmt.Sprintf("/requests/%d/approve", id), c.form()); r.Code != http.StatusConflict {
			t.Errorf("approving twice: got %d, want 409", r.Code)
		}
		if r := c.post(fmt.Sprintf("/drafts/%d/edit", draft.ID), c.form("subject", "x", "text", "y")); r.Code != http.StatusConflict {
			t.Errorf("editing an approved draft: got %d, want 409", r.Code)
		}
	})
	t.Run("reject needs a reason", func(t *testing.T) {
		other := e.requestID("Every group in NM-02, please")
		if r := c.post(fmt.Sprintf("/requests/%d/reject", other), c.form("reason", " ")); r.Code != 400 {
			t.Errorf("got %d, want 400", r.Code)
		}
	})
}

func TestReclassify(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	c := e.login("staff@example.org")
	id := e.requestID("Groups in Boise?")
	r := c.post(fmt.Sprintf("/requests/%d/reclassify", id), c.form("kind", "submission"))
	if r.Code != 303 {
		t.Fatalf("got %d: %s", r.Code, r.Body)
	}
	d, _ := e.st.Request(ctx, id)
	if d.Kind != workflows.KindSubmission || d.Status != workflows.StatusDrafted || d.ClassifiedBy != "person:Sam Staff" {
		t.Fatalf("kind %s status %s by %s", d.Kind, d.Status, d.ClassifiedBy)
	}
	var awaiting []workflows.DraftKind
	for _, dr := range d.Drafts {
		if dr.Status == workflows.DraftAwaiting {
			awaiting = append(awaiting, dr.Kind)
		}
	}
	if len(awaiting) != 1 || awaiting[0] != workflows.DraftAcknowledgement {
		t.Errorf("awaiting drafts %v, want one acknowledgement", awaiting)
	}
	var n int
	if err := e.st.DB().QueryRowContext(ctx, `SELECT count(*) FROM classifier_examples WHERE request_id = $1
		AND old_kind = 'list_request' AND new_kind = 'submission'`, id).Scan(&n); err != nil || n != 1 {
		t.Errorf("labelled examples: %d %v", n, err)
	}
}

var scriptRe = regexp.MustCompile(`(?i)<script|onerror|onload|onclick|javascript:`)

func TestInboundHTMLSanitisedAndAttachmentsDownload(t *testing.T) {
	e := newEnv(t, nil)
	c := e.login("staff@example.org")
	id := e.requestID("Photos from our rally in Boise")
	r := c.get(fmt.Sprintf("/requests/%d", id))
	html := r.Body[strings.Index(r.Body, `id="mail-html"`):]
	html = html[:strings.Index(html, "</div>")]
	if scriptRe.MatchString(html) {
		t.Errorf("unsafe HTML reached the page: %s", html)
	}
	if !strings.Contains(html, "<b>story</b>") {
		t.Errorf("safe HTML lost: %s", html)
	}
	m := regexp.MustCompile(`href="/attachments/(\d+)"`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatal("no attachment link")
	}
	a := c.get("/attachments/" + m[1])
	if a.Header.Get("Content-Type") != "application/octet-stream" || a.Header.Get("X-Content-Type-Options") != "nosniff" ||
		a.Header.Get("Content-Disposition") != `attachment; filename=evil.html` {
		t.Errorf("attachment headers: %v", a.Header)
	}
	if !strings.Contains(a.Body, `window.pwned = "attachment"`) {
		t.Errorf("attachment bytes %q", a.Body)
	}
}

func TestQueue(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	c := e.login("staff@example.org")
	t.Run("search", func(t *testing.T) {
		r := c.get("/queue?q=canvass")
		if !strings.Contains(r.Body, "Groups in Boise?") || strings.Contains(r.Body, "Photos from our rally") {
			t.Errorf("search for canvass: %s", r.Body)
		}
		r = c.get("/queue?q=harriet.lindgren%40example.com")
		if !strings.Contains(r.Body, "Groups in Boise?") {
			t.Errorf("search by sender failed")
		}
	})
	t.Run("filters", func(t *testing.T) {
		r := c.get("/queue?kind=auto_reply")
		if strings.Contains(r.Body, "Groups in Boise?") {
			t.Errorf("kind filter let a list request through")
		}
		if c.get("/queue?status=bogus").Code != 400 {
			t.Errorf("bad status accepted")
		}
		if r := c.get("/queue?mailbox=support%40network.example.org"); !strings.Contains(r.Body, "Groups in Boise?") {
			t.Errorf("mailbox filter")
		}
	})
	t.Run("counts and oldest", func(t *testing.T) {
		r := c.get("/queue")
		if !strings.Contains(r.Body, `id="oldest">Oldest waiting:`) || !strings.Contains(r.Body, "drafted: <b>") {
			t.Errorf("counts or oldest missing")
		}
	})
	t.Run("bulk approve list replies only", func(t *testing.T) {
		list := e.requestID("Groups in Boise?")
		story := e.requestID("Photos from our rally in Boise")
		form := c.form("id", fmt.Sprint(list), "id", fmt.Sprint(story))
		if r := c.post("/queue/approve", form); r.Code != 303 {
			t.Fatalf("got %d", r.Code)
		}
		if d, _ := e.st.Request(ctx, list); d.Status != workflows.StatusApproved {
			t.Log(c.get("/queue").Body[:900])
			t.Errorf("list request %s", d.Status)
		}
		if d, _ := e.st.Request(ctx, story); d.Status == workflows.StatusApproved {
			t.Errorf("a non-list request was bulk-approved")
		}
	})
}
