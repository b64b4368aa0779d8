package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"switchboard/web"
	"switchboard/web/storeadapter"
)

// TestTrustedProxy checks SWITCHBOARD_TRUSTED_PROXY: behind a trusted proxy
// the client IP (for the login limit) and https (Secure cookie, HSTS) come
// from X-Forwarded-For and X-Forwarded-Proto; from any other peer those
// headers are ignored.
func TestTrustedProxy(t *testing.T) {
	e := newEnv(t, nil)
	behind, err := web.New(web.Config{Store: storeadapter.New(e.st), Redrafter: storeadapter.Redrafter{R: e.pipeline},
		DB: e.st.DB(), MaxFailsAccount: 100, MaxFailsIP: 3,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8")}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(behind)
	t.Cleanup(func() { srv.Close(); behind.Close() })
	c := e.client()
	c.base = srv.URL

	t.Run("https from the proxy", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/login", nil)
		req.Header.Set("X-Forwarded-Proto", "https")
		r := c.do(req)
		if r.Header.Get("Strict-Transport-Security") == "" {
			t.Errorf("no HSTS behind a trusted proxy that said https")
		}
		for _, ck := range r.Header.Values("Set-Cookie") {
			if !strings.Contains(ck, "; Secure") {
				t.Errorf("cookie without Secure: %s", ck)
			}
		}
	})
	t.Run("forwarded headers ignored from an untrusted peer", func(t *testing.T) {
		u := e.client()
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/login", nil)
		req.Header.Set("X-Forwarded-Proto", "https")
		r := u.do(req)
		if r.Header.Get("Strict-Transport-Security") != "" {
			t.Errorf("HSTS from a forged X-Forwarded-Proto")
		}
		for _, ck := range r.Header.Values("Set-Cookie") {
			if strings.Contains(ck, "; Secure") {
				t.Errorf("Secure cookie on plain http: %s", ck)
			}
		}
	})
	t.Run("login limit per forwarded client", func(t *testing.T) {
		fail := func(xff string) int {
			t.Helper()
			return c.post("/login", c.form("email", "nobody@example.org", "password", "wrong"), "X-Forwarded-For", xff).Code
		}
		// The client forged the left entry; the proxy chain 10.1.1.1 is
		// trusted; the client is 203.0.113.7.
		for range 3 {
			if code := fail("198.51.100.1, 203.0.113.7, 10.1.1.1"); code != http.StatusUnauthorized {
				t.Fatalf("failed login: %d", code)
			}
		}
		if code := fail("192.0.2.99, 203.0.113.7"); code != http.StatusTooManyRequests {
			t.Errorf("4th failure from 203.0.113.7 with another forged entry: %d, want 429", code)
		}
		if code := fail("203.0.113.8"); code != http.StatusUnauthorized {
			t.Errorf("another client behind the same proxy was limited: %d", code)
		}
	})
}
