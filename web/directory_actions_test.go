package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"switchboard/store"
	"switchboard/workflows"
)

// checkDeskOnly: press gets 403, an anonymous client a redirect to /login,
// a post without the CSRF token 403; nothing of it reaches the handler.
func checkDeskOnly(t *testing.T, e *env, method, path string, form ...string) {
	t.Helper()
	press, anon, staff := e.login("press@example.org"), e.client(), e.login("staff@example.org")
	if method == http.MethodGet {
		if r := press.get(path); r.Code != http.StatusForbidden {
			t.Errorf("press GET %s: %d, want 403", path, r.Code)
		}
		if r := anon.get(path); r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
			t.Errorf("anonymous GET %s: %d %s, want 303 to /login", path, r.Code, r.Header.Get("Location"))
		}
		return
	}
	if r := press.post(path, press.form(form...)); r.Code != http.StatusForbidden {
		t.Errorf("press POST %s: %d, want 403", path, r.Code)
	}
	if r := anon.post(path, anon.form(form...)); r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("anonymous POST %s: %d %s, want 303 to /login", path, r.Code, r.Header.Get("Location"))
	}
	v := url.Values{}
	for i := 0; i+1 < len(form); i += 2 {
		v.Add(form[i], form[i+1])
	}
	if r := staff.post(path, v); r.Code != http.StatusForbidden {
		t.Errorf("staff POST %s without CSRF token: %d, want 403", path, r.Code)
	}
}

func auditCount(t *testing.T, e *env, action string, subjectID int64) int {
	t.Helper()
	var n int
	if err := e.st.DB().QueryRow(`SELECT count(*) FROM audit_log WHERE action = $1 AND subject_id = $2`, action, subjectID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestWebRequestPlace: the place form re-drafts the list reply as `queue
// set` does; a refused place comes back with the CLI's message.
func TestWebRequestPlace(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	id := e.requestID("Groups in Boise?")
	path := fmt.Sprintf("/requests/%d/place", id)
	checkDeskOnly(t, e, http.MethodPost, path, "city", "Meridian", "state", "ID")
	if d, _ := e.st.Request(ctx, id); d.Fields.City == "Meridian" {
		t.Fatal("a refused post changed the place")
	}
	for _, who := range []string{"staff@example.org", "admin@example.org"} {
		c := e.login(who)
		page := c.get(fmt.Sprintf("/requests/%d", id))
		if !strings.Contains(page.Body, `action="`+path+`"`) || !strings.Contains(page.Body, `name="city" value="Boise"`) {
			t.Errorf("%s: no place form with the extracted city", who)
		}
		for _, bad := range []struct {
			form []string
			want string
		}{
			{[]string{"state", "ZZ"}, `&#34;ZZ&#34; is not a USPS state code`},
			{[]string{"city", "Boise"}, "give --city with --state, or --state, or --zip, or --district"},
			{[]string{"state", "ID", "zip", "83702"}, "give --city with --state"},
			{[]string{"city", "Nowhereville", "state", "ID"}, `no place called &#34;Nowhereville&#34; in ID`},
		} {
			r := c.post(path, c.form(bad.form...))
			if r.Code != http.StatusBadRequest || !strings.Contains(r.Body, `id="place-error"`) || !strings.Contains(r.Body, bad.want) {
				t.Errorf("%s %v: %d, want 400 with %q", who, bad.form, r.Code, bad.want)
			}
			if strings.Contains(r.Body, "bad place") || strings.Contains(r.Body, "invalid:") {
				t.Errorf("%s %v: the error shows sentinel words", who, bad.form)
			}
		}
	}
	c := e.login("staff@example.org")
	r := c.post(path, c.form("city", "Meridian", "state", "id"))
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != fmt.Sprintf("/requests/%d", id) {
		t.Fatalf("correct place: %d %s", r.Code, r.Body)
	}
	d, err := e.st.Request(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Fields.City != "Meridian" || d.Fields.State != "ID" {
		t.Errorf("fields after the correction: %+v", d.Fields)
	}
	if n := auditCount(t, e, "request.correct_place", id); n != 1 {
		t.Errorf("audit rows: %d", n)
	}
	if page := c.get(fmt.Sprintf("/requests/%d", id)); !strings.Contains(page.Body, "Corrected the place of request") {
		t.Errorf("no flash after the correction")
	}
	if r := c.post("/requests/999999/place", c.form("state", "ID")); r.Code != http.StatusNotFound {
		t.Errorf("unknown request: %d", r.Code)
	}
}

// TestWebRequestTarget: each candidate of an introduction has a Pick
// button; picking one drafts again as `queue set --target` does.
func TestWebRequestTarget(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	items, err := e.st.Queue(ctx, store.QueueFilter{Kind: workflows.KindIntroduction, Limit: 10})
	if err != nil || len(items) == 0 {
		t.Fatalf("no introduction request in the demo: %v", err)
	}
	id := items[0].ID
	path := fmt.Sprintf("/requests/%d/target", id)
	groups, err := e.st.SearchDirectory(ctx, "Indivisible", "", "", 5)
	if err != nil || len(groups) == 0 {
		t.Fatalf("no group: %v", err)
	}
	group := groups[0].GroupID
	checkDeskOnly(t, e, http.MethodPost, path, "group_id", fmt.Sprint(group))
	c := e.login("staff@example.org")
	page := c.get(fmt.Sprintf("/requests/%d", id))
	if !strings.Contains(page.Body, `action="`+path+`"`) {
		t.Fatalf("no target form on the introduction page")
	}
	d, _ := e.st.Request(ctx, id)
	for _, cand := range d.Candidates {
		if !strings.Contains(page.Body, fmt.Sprintf(`id="pick-%d"`, cand.GroupID)) {
			t.Errorf("no Pick button for candidate %d", cand.GroupID)
		}
	}
	if list := c.get(fmt.Sprintf("/requests/%d", e.requestID("Groups in Boise?"))); strings.Contains(list.Body, "/target") {
		t.Errorf("a list request has a target form")
	}
	for _, bad := range []struct {
		form []string
		code int
		want string
	}{
		{[]string{"group_id", "999999"}, http.StatusBadRequest, "group 999999 does not exist"},
		{[]string{"group_id", "abc"}, http.StatusBadRequest, "is not a group id"},
		{[]string{"group_id", fmt.Sprint(group), "opt_in", "maybe"}, http.StatusBadRequest, "use true or false"},
	} {
		r := c.post(path, c.form(bad.form...))
		if r.Code != bad.code || !strings.Contains(r.Body, bad.want) {
			t.Errorf("%v: %d, want %d with %q", bad.form, r.Code, bad.code, bad.want)
		}
	}
	// A list request is not an introduction: 409 with the pipeline's reason.
	listPath := fmt.Sprintf("/requests/%d/target", e.requestID("Groups in Boise?"))
	if r := c.post(listPath, c.form("group_id", fmt.Sprint(group))); r.Code != http.StatusConflict ||
		!strings.Contains(r.Body, "not an introduction request") {
		t.Errorf("target of a list request: %d", r.Code)
	}
	admin := e.login("admin@example.org")
	r := admin.post(path, admin.form("group_id", fmt.Sprint(group), "opt_in", "true"))
	if r.Code != http.StatusSeeOther {
		t.Fatalf("pick: %d %s", r.Code, r.Body)
	}
	intro, err := e.st.Introduction(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if intro.TargetGroupID == nil || *intro.TargetGroupID != group || !intro.OptIn || intro.TargetChosenBy != "Ada Admin" {
		t.Errorf("introduction after the pick: %+v", intro)
	}
}

// TestWebDirectoryBrokenAndStatus: the broken listings page shows what
// `groups broken` does; a status change is audited and goes back to the
// search.
func TestWebDirectoryBrokenAndStatus(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	checkDeskOnly(t, e, http.MethodGet, "/directory/broken")
	ls, err := e.st.BrokenListings(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	c := e.login("staff@example.org")
	page := c.get("/directory/broken")
	if page.Code != http.StatusOK {
		t.Fatalf("broken page: %d", page.Code)
	}
	if len(ls) == 0 && !strings.Contains(page.Body, `id="no-broken"`) {
		t.Errorf("empty list not said")
	}
	for _, l := range ls {
		if !strings.Contains(page.Body, fmt.Sprintf("<tr><td>%d</td>", l.GroupID)) {
			t.Errorf("group %d missing from the broken page", l.GroupID)
		}
	}

	found := regexp.MustCompile(`<tr><td>(\d+)</td>`).FindStringSubmatch(c.get("/directory?name=Indivisible&state=ID").Body)
	if found == nil {
		t.Fatal("no group in the search")
	}
	var id int64
	fmt.Sscan(found[1], &id)
	path := fmt.Sprintf("/groups/%d/status", id)
	checkDeskOnly(t, e, http.MethodPost, path, "status", "inactive")
	if g, _ := e.st.Group(ctx, id); g.Status != "active" {
		t.Fatalf("a refused post changed the status: %s", g.Status)
	}
	if r := c.post(path, c.form("status", "gone")); r.Code != http.StatusBadRequest {
		t.Errorf("bad status: %d", r.Code)
	}
	if r := c.post("/groups/99999999/status", c.form("status", "inactive")); r.Code != http.StatusNotFound {
		t.Errorf("unknown group: %d", r.Code)
	}
	back := "/directory?city=&name=Indivisible&state=ID"
	r := c.post(path, c.form("status", "inactive", "back", back))
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != back {
		t.Fatalf("set inactive: %d %s", r.Code, r.Header.Get("Location"))
	}
	if g, _ := e.st.Group(ctx, id); g.Status != "inactive" {
		t.Errorf("status after: %s", g.Status)
	}
	if n := auditCount(t, e, "group.set_status", id); n != 1 {
		t.Errorf("audit rows: %d", n)
	}
	admin := e.login("admin@example.org")
	if r := admin.post(path, admin.form("status", "active", "back", "https://evil.example/")); r.Code != http.StatusSeeOther ||
		r.Header.Get("Location") != "/directory" {
		t.Errorf("foreign back: %d %s", r.Code, r.Header.Get("Location"))
	}
	if g, _ := e.st.Group(ctx, id); g.Status != "active" {
		t.Errorf("status after the admin's change: %s", g.Status)
	}
}
