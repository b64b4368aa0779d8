package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// TestTOTPReplay checks that a TOTP code logs in once: the same code again
// (say, seen over a shoulder) is refused, even within its 30 seconds, and
// so is a code of an earlier step; the next step's code works.
func TestTOTPReplay(t *testing.T) {
	e := newEnv(t, nil)
	now := time.Now()
	code, err := totp.GenerateCode(e.adminTOTP, now)
	if err != nil {
		t.Fatal(err)
	}
	step := func(code string) resp {
		t.Helper()
		c := e.client()
		if r := c.post("/login", c.form("email", "admin@example.org", "password", testPassword)); r.Header.Get("Location") != "/login/totp" {
			t.Fatalf("password step: %d %q", r.Code, r.Header.Get("Location"))
		}
		return c.post("/login/totp", c.form("code", code))
	}
	if r := step(code); r.Code != http.StatusSeeOther {
		t.Fatalf("first use of the code: %d", r.Code)
	}
	r := step(code)
	if r.Code != http.StatusUnauthorized || !strings.Contains(r.Body, "used already") {
		t.Errorf("replayed code: %d, want 401 saying it was used", r.Code)
	}
	prev, _ := totp.GenerateCode(e.adminTOTP, now.Add(-30*time.Second))
	if prev != code {
		if r := step(prev); r.Code != http.StatusUnauthorized {
			t.Errorf("code of an earlier step: %d, want 401", r.Code)
		}
	}
	next, _ := totp.GenerateCode(e.adminTOTP, now.Add(30*time.Second))
	if r := step(next); r.Code != http.StatusSeeOther {
		t.Errorf("next step's code: %d, want 303", r.Code)
	}
}
