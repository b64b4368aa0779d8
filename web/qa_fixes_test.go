package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"switchboard/jobs"
	"switchboard/store"
	"switchboard/web"
	"switchboard/workflows"
)

// TestWebSessionEndsOnPasswordAndRoleChange: a password change (what
// `switchboard user passwd` does) and a role change (the admin page or the
// CLI) end every open session of that user, as disabling does; other
// users' sessions stay.
func TestWebSessionEndsOnPasswordAndRoleChange(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	staff, staff2 := e.login("staff@example.org"), e.login("staff@example.org")
	press := e.login("press@example.org")
	admin := e.login("admin@example.org")
	for _, c := range []*client{staff, staff2} {
		if r := c.get("/queue"); r.Code != http.StatusOK {
			t.Fatalf("queue before: %d", r.Code)
		}
	}
	hash, err := web.HashPassword("a brand new passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.SetPassword(ctx, "staff@example.org", hash, "cli:test"); err != nil {
		t.Fatal(err)
	}
	for i, c := range []*client{staff, staff2} {
		if r := c.get("/queue"); r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
			t.Errorf("session %d after the password change: %d %s, want 303 to /login", i, r.Code, r.Header.Get("Location"))
		}
	}
	if r := admin.get("/admin/users"); r.Code != http.StatusOK {
		t.Errorf("the admin's session ended with staff's password change: %d", r.Code)
	}
	if r := press.get("/stories"); r.Code != http.StatusOK {
		t.Fatalf("press before the role change: %d", r.Code)
	}
	if r := admin.post("/admin/users", admin.form("email", "press@example.org", "action", "role", "role", "staff")); r.Code != http.StatusSeeOther {
		t.Fatalf("role change: %d %s", r.Code, r.Body)
	}
	if r := press.get("/stories"); r.Code != http.StatusSeeOther {
		t.Errorf("press session after the role change: %d, want 303", r.Code)
	}
	// A change and its undoing still end the session.
	again := e.login("press@example.org")
	if err := e.st.SetRole(ctx, "press@example.org", store.RolePress, "cli:test"); err != nil {
		t.Fatal(err)
	}
	if err := e.st.SetRole(ctx, "press@example.org", store.RoleStaff, "cli:test"); err != nil {
		t.Fatal(err)
	}
	if r := again.get("/queue"); r.Code != http.StatusSeeOther {
		t.Errorf("after a role change and back: %d, want 303", r.Code)
	}
	if r := admin.get("/admin/users"); r.Code != http.StatusOK {
		t.Errorf("admin session: %d", r.Code)
	}
}

// TestWebPasswordRules: at least 12 characters once trimmed, not all
// white space, not a common password (repeated).
func TestWebPasswordRules(t *testing.T) {
	for _, pw := range []string{strings.Repeat(" ", 14), " \t\n  short  \t", "passwordpassword", "123456123456",
		"Iloveyouiloveyou", "zzzzzzzzzzzzzz", "  monkey  "} {
		if err := web.CheckPassword(pw); err == nil {
			t.Errorf("CheckPassword(%q) accepted it", pw)
		}
		if _, err := web.HashPassword(pw); err == nil {
			t.Errorf("HashPassword(%q) accepted it", pw)
		}
	}
	for _, pw := range []string{"correct horse battery staple", "  twelve chars  ", "ünïcödé pässwörd"} {
		if err := web.CheckPassword(pw); err != nil {
			t.Errorf("CheckPassword(%q): %v", pw, err)
		}
	}
}

// TestWebDraftSubjectRefusesControls: a subject with CR/LF (a forged Bcc:
// line) or another control character is refused with a form error and
// not stored; the store refuses it too.
func TestWebDraftSubjectRefusesControls(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	c := e.login("staff@example.org")
	id := e.requestID("Groups in Boise?")
	d, err := e.st.Request(ctx, id)
	if err != nil || len(d.Drafts) == 0 {
		t.Fatalf("no drafts: %v", err)
	}
	draft := d.Drafts[0]
	for _, subj := range []string{"Groups\r\nBcc: evil@example.com", "Groups\nBcc: evil@example.com", "Groups\x00x", "Groups\x1b[2J", "Groups\u0085x", "Groups\u2028x"} {
		r := c.post(fmt.Sprintf("/drafts/%d/edit", draft.ID), c.form("subject", subj, "text", "Hello"))
		if r.Code != http.StatusBadRequest {
			t.Errorf("subject %q: %d, want 400", subj, r.Code)
			continue
		}
		if !strings.Contains(r.Body, fmt.Sprintf(`id="edit-error-%d"`, draft.ID)) || !strings.Contains(r.Body, "The subject") ||
			!strings.Contains(r.Body, fmt.Sprintf(`id="edit-%d" open`, draft.ID)) {
			t.Errorf("subject %q: no form error on the page", subj)
		}
		if !strings.Contains(r.Body, `<textarea name="text" rows="14" required>Hello</textarea>`) {
			t.Errorf("subject %q: the posted text is not kept", subj)
		}
	}
	if got, _ := e.st.Draft(ctx, draft.ID); got.Subject != draft.Subject {
		t.Errorf("subject stored: %q", got.Subject)
	}
	err = e.st.EditDraft(ctx, draft.ID, "Groups\r\nBcc: evil@example.com", "Hello", "", "cli")
	if err == nil || !strings.Contains(err.Error(), "one line") {
		t.Errorf("store EditDraft with CRLF: %v", err)
	}
	if err := e.st.EditDraft(ctx, draft.ID, "Groups in Boise — näher", "Hello", "", "cli"); err != nil {
		t.Errorf("store EditDraft with a plain Unicode subject: %v", err)
	}
}

// TestWebDirectoryFilters: State and City filter the results, not only
// rank them.
func TestWebDirectoryFilters(t *testing.T) {
	e := newEnv(t, nil)
	c := e.login("staff@example.org")
	stateCol := regexp.MustCompile(`<tr><td>\d+</td><td>[^<]*</td><td>([^<]*)</td><td>([A-Z]{2})</td>`)
	all := stateCol.FindAllStringSubmatch(c.get("/directory?name=Indivisible").Body, -1)
	states := map[string]bool{}
	for _, m := range all {
		states[m[2]] = true
	}
	if len(states) < 2 {
		t.Fatalf("the unfiltered search should find groups of several states: %v", states)
	}
	var state, city string
	for _, m := range all {
		state, city = m[2], m[1]
		break
	}
	rows := stateCol.FindAllStringSubmatch(c.get("/directory?name=Indivisible&state="+strings.ToLower(state)).Body, -1)
	if len(rows) == 0 {
		t.Fatalf("no group in %s", state)
	}
	for _, m := range rows {
		if m[2] != state {
			t.Errorf("state=%s returned a group in %s", state, m[2])
		}
	}
	q := "/directory?name=Indivisible&state=" + state + "&city=" + strings.ReplaceAll(strings.ToUpper(city), " ", "+")
	rows = stateCol.FindAllStringSubmatch(c.get(q).Body, -1)
	if len(rows) == 0 {
		t.Fatalf("no group in %s, %s", city, state)
	}
	for _, m := range rows {
		if m[2] != state || !strings.EqualFold(m[1], city) {
			t.Errorf("city=%s returned %s, %s", city, m[1], m[2])
		}
	}
	if r := c.get("/directory?name=Indivisible&state=ZZ"); !strings.Contains(r.Body, "No group matches.") {
		t.Errorf("a state without groups still lists some")
	}
}

// TestWebRequestPageKindsAndDigest: the kind is said once (the asks only
// for a mixed request), and a digest, which answers no message, shows no
// empty message headers.
func TestWebRequestPageKindsAndDigest(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	c := e.login("staff@example.org")
	r := c.get(fmt.Sprintf("/requests/%d", e.requestID("Groups in Boise?")))
	if !strings.Contains(r.Body, "<dt>Kind</dt><dd>list request, confidence") || strings.Contains(r.Body, "(list_request)") {
		t.Errorf("kind line of a single-ask request:\n%s", kindLine(r.Body))
	}
	madison, err := e.st.StoryIDByRequest(ctx, e.requestID("Photos from our joint rally in Madison"))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.ApproveStory(ctx, madison, "Sam Staff"); err != nil {
		t.Fatal(err)
	}
	deps := e.deps
	deps.PressTo = workflows.Address{Name: "Press Team", Address: "press@network.example.org"}
	id, err := jobs.NewPipeline(deps).CreateDigest(ctx, "Sam Staff", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	r = c.get(fmt.Sprintf("/requests/%d", id))
	if r.Code != http.StatusOK {
		t.Fatalf("digest page: %d", r.Code)
	}
	for _, bad := range []string{"&lt;&gt;", "<dt>From</dt>", "<dt>Date</dt>", "received"} {
		if strings.Contains(r.Body, bad) {
			t.Errorf("digest page shows %q", bad)
		}
	}
	if !strings.Contains(r.Body, `id="no-message"`) {
		t.Errorf("digest page does not say there is no message")
	}
}

func kindLine(body string) string {
	i := strings.Index(body, "<dt>Kind</dt>")
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</dd>")
	return body[i : i+j]
}
