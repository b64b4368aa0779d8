package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestWebGroupContact: each directory result has a pre-filled contact
// form; a change is audited and goes back to the search; a refused field
// is a 400 with the import's reason.
func TestWebGroupContact(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	c := e.login("staff@example.org")
	search := c.get("/directory?name=Indivisible&state=ID")
	found := regexp.MustCompile(`<tr><td>(\d+)</td>`).FindStringSubmatch(search.Body)
	if found == nil {
		t.Fatal("no group in the search")
	}
	var id int64
	fmt.Sscan(found[1], &id)
	path := fmt.Sprintf("/groups/%d/contact", id)
	g, err := e.st.Group(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(search.Body, `action="`+path+`"`) || !strings.Contains(search.Body, `id="contact-`+found[1]+`"`) {
		t.Fatalf("no contact form for group %d", id)
	}
	for name, v := range map[string]string{"public_email": g.PublicEmail, "website": g.Website, "twitter": g.Twitter, "facebook": g.Facebook} {
		if v != "" && !strings.Contains(search.Body, fmt.Sprintf(`name=%q value=%q`, name, v)) {
			t.Errorf("%s not pre-filled with %q", name, v)
		}
	}

	form := []string{"public_email", "team@example.org", "website", "https://example.org/",
		"twitter", "@team_id", "facebook", "https://facebook.com/team"}
	checkDeskOnly(t, e, http.MethodPost, path, form...)
	if after, _ := e.st.Group(ctx, id); after.PublicEmail != g.PublicEmail || after.Website != g.Website {
		t.Fatal("a refused post changed the contact")
	}
	if n := auditCount(t, e, "group.set_contact", id); n != 0 {
		t.Errorf("audit rows after refused posts: %d", n)
	}

	r := c.post(path, c.form("public_email", g.PublicEmail, "website", "example.org/no-scheme", "twitter", g.Twitter,
		"facebook", g.Facebook, "back", "/directory"))
	if r.Code != http.StatusBadRequest || !strings.Contains(r.Body, `website &#34;example.org/no-scheme&#34; is not an http(s) URL`) {
		t.Errorf("invalid website: %d, want 400 with the reason; body %s", r.Code, r.Body)
	}
	if strings.Contains(r.Body, "invalid: ") {
		t.Errorf("the error shows the sentinel's words")
	}
	if r := c.post(path, c.form("public_email", "not an address")); r.Code != http.StatusBadRequest ||
		!strings.Contains(r.Body, "is not an email address") {
		t.Errorf("invalid email: %d", r.Code)
	}
	if r := c.post("/groups/99999999/contact", c.form(form...)); r.Code != http.StatusNotFound {
		t.Errorf("unknown group: %d", r.Code)
	}
	if n := auditCount(t, e, "group.set_contact", id); n != 0 {
		t.Errorf("audit rows after invalid posts: %d", n)
	}

	back := "/directory?city=&name=Indivisible&state=ID"
	r = c.post(path, c.form(append(form, "back", back)...))
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != back {
		t.Fatalf("update: %d %s", r.Code, r.Header.Get("Location"))
	}
	after, err := e.st.Group(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if after.PublicEmail != "team@example.org" || after.Website != "https://example.org/" || after.Twitter != "@team_id" ||
		after.Facebook != "https://facebook.com/team" {
		t.Errorf("contact after: %+v", after)
	}
	if n := auditCount(t, e, "group.set_contact", id); n != 1 {
		t.Errorf("audit rows: %d", n)
	}
	page := c.get(back)
	if !strings.Contains(page.Body, "Saved the public contact of group") {
		t.Errorf("no flash after the update")
	}
	if !strings.Contains(page.Body, `name="website" value="https://example.org/"`) {
		t.Errorf("the form is not pre-filled with the new website")
	}
}
