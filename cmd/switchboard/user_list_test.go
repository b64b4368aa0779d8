package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"switchboard/store"
	"switchboard/web"
	"switchboard/web/storeadapter"
)

// TestUserListAndPasswordRules covers `user list` and the password rules
// of `user add` and `user passwd`.
func TestUserListAndPasswordRules(t *testing.T) {
	dsn := newDatabaseURL(t, true)
	mustCLI(t, dsn, "migrate")
	user := cliUser(t, dsn)

	if out, err := user("", "list"); err != nil || !strings.Contains(out, "No users") {
		t.Fatalf("user list on no users: %q, %v", out, err)
	}
	for _, pw := range []string{
		strings.Repeat(" ", 14),        // the QA finding: only spaces
		"   short pass   ",             // 10 once trimmed
		"\t\t\t\t\t\t\t\t\t\t\t\t\t\t", // tabs
		"passwordpassword",             // a common password, repeated
		"123456123456",
		"QwertyQwertyQwerty",
		"aaaaaaaaaaaaa", // one character
	} {
		if _, err := user(pw+"\n", "add", "weak@example.org"); err == nil {
			t.Errorf("password %q was accepted", pw)
		}
	}
	if _, err := user("  twelve chars  \n", "add", "ok@example.org", "--name", "Ok\x1b[2JName"); err != nil {
		t.Fatalf("a 12-character password with spaces around: %v", err)
	}
	if _, err := user("dark horse gallops\n", "add", "ada@example.org", "--role", "admin", "--name", "Ada Admin"); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	st, err := store.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.SetTOTPSecret(ctx, "ada@example.org", "JBSWY3DPEHPK3PXP", "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := user("", "disable", "ok@example.org"); err != nil {
		t.Fatal(err)
	}
	if _, err := user(strings.Repeat(" ", 14)+"\n", "passwd", "ok@example.org"); err == nil {
		t.Errorf("passwd accepted 14 spaces")
	}

	out, err := user("", "list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 3 || strings.Join(strings.Fields(lines[0]), " ") != "EMAIL NAME ROLE DISABLED 2FA" {
		t.Fatalf("user list:\n%s", out)
	}
	if got := strings.Join(strings.Fields(lines[1]), " "); got != "ada@example.org Ada Admin admin no on" {
		t.Errorf("admin line %q", got)
	}
	if got := lines[2]; !strings.HasPrefix(got, "ok@example.org") || strings.Contains(got, "\x1b") ||
		!strings.HasSuffix(strings.Join(strings.Fields(got), " "), "staff yes off") {
		t.Errorf("staff line %q", got)
	}
	if strings.Contains(out, "$argon2id$") || strings.Contains(out, "JBSWY3DPEHPK3PXP") {
		t.Errorf("user list shows a secret:\n%s", out)
	}
	if _, err := user("", "list", "extra"); err == nil {
		t.Errorf("user list with an argument was accepted")
	}
}

// TestUserPasswdEndsWebSessions: after `user passwd` (and `user role`) the
// user's open web session gets the login page, not the queue.
func TestUserPasswdEndsWebSessions(t *testing.T) {
	dsn := newDatabaseURL(t, true)
	mustCLI(t, dsn, "migrate")
	user := cliUser(t, dsn)
	ctx := t.Context()
	st, err := store.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ui, err := web.New(web.Config{Store: storeadapter.New(st), Redrafter: storeadapter.Redrafter{}, DB: st.DB()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ui)
	defer func() { srv.Close(); ui.Close() }()

	login := func(email, pw string) *http.Client {
		t.Helper()
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		body := get(t, c, srv.URL+"/login")
		m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no csrf token")
		}
		r, err := c.PostForm(srv.URL+"/login", url.Values{"csrf_token": {m[1]}, "email": {email}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") == "/login" {
			t.Fatalf("login %s: %d %s", email, r.StatusCode, r.Header.Get("Location"))
		}
		return c
	}
	queueCode := func(c *http.Client) int {
		t.Helper()
		r, err := c.Get(srv.URL + "/queue")
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		return r.StatusCode
	}

	if _, err := user("first long secret\n", "add", "sam@example.org"); err != nil {
		t.Fatal(err)
	}
	c := login("sam@example.org", "first long secret")
	other := login("sam@example.org", "first long secret") // a second browser
	if code := queueCode(c); code != http.StatusOK {
		t.Fatalf("queue before passwd: %d", code)
	}
	if _, err := user("second long secret\n", "passwd", "sam@example.org"); err != nil {
		t.Fatal(err)
	}
	for i, cl := range []*http.Client{c, other} {
		if code := queueCode(cl); code != http.StatusSeeOther {
			t.Errorf("session %d after passwd: /queue is %d, want 303 to /login", i, code)
		}
		if code := queueCode(cl); code != http.StatusSeeOther {
			t.Errorf("session %d after passwd, again: /queue is %d", i, code)
		}
	}
	c = login("sam@example.org", "second long secret")
	if code := queueCode(c); code != http.StatusOK {
		t.Fatalf("queue after logging in again: %d", code)
	}
	// A role change ends the sessions too (staff to press and back).
	if _, err := user("", "role", "sam@example.org", "press"); err != nil {
		t.Fatal(err)
	}
	if _, err := user("", "role", "sam@example.org", "staff"); err != nil {
		t.Fatal(err)
	}
	if code := queueCode(c); code != http.StatusSeeOther {
		t.Errorf("after role changes: /queue is %d, want 303", code)
	}
}

// cliUser runs `switchboard user ARGS` on dsn with stdin.
func cliUser(t *testing.T, dsn string) func(stdin string, args ...string) (string, error) {
	return func(stdin string, args ...string) (string, error) {
		t.Helper()
		var out, errOut syncBuffer
		env := testEnv(dsn, &out, &errOut)
		env.Stdin = strings.NewReader(stdin)
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		err := run(ctx, env, append([]string{"user"}, args...))
		return out.String(), err
	}
}

func get(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	r, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return string(b)
}
