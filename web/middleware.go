package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// csp is the Content-Security-Policy of every page: our own scripts, styles
// and images only, no plugins, no inline script, frames only from us (the
// draft preview), and never framed by anyone.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries. The draft preview
// and downloads override CSP and framing for themselves.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		if isHTTPS(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// secureCookies adds the Secure attribute to every cookie set on a request
// that came over TLS, directly or through a trusted proxy (the session
// cookie is configured once, for both).
func secureCookies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isHTTPS(r) {
			w = &secureCookieWriter{ResponseWriter: w}
		}
		next.ServeHTTP(w, r)
	})
}

type secureCookieWriter struct {
	http.ResponseWriter
	done bool
}

func (w *secureCookieWriter) fix() {
	if w.done {
		return
	}
	w.done = true
	cs := w.Header()["Set-Cookie"]
	for i, c := range cs {
		if !strings.Contains(strings.ToLower(c), "; secure") {
			cs[i] = c + "; Secure"
		}
	}
}

func (w *secureCookieWriter) WriteHeader(code int) { w.fix(); w.ResponseWriter.WriteHeader(code) }

func (w *secureCookieWriter) Write(b []byte) (int, error) { w.fix(); return w.ResponseWriter.Write(b) }

func (w *secureCookieWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// maxFormBytes bounds a posted form.
const maxFormBytes = 1 << 20

// checkCSRF refuses every state-changing request that comes from another
// origin (Sec-Fetch-Site, else Origin against Host: http.CrossOriginProtection)
// or that lacks the session's token in the csrf_token form field.
func (s *Server) checkCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		if err := s.cop.Check(r); err != nil {
			http.Error(w, "cross-origin request refused", http.StatusForbidden)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		want := s.sessions.GetString(r.Context(), "csrf")
		got := r.PostFormValue("csrf_token")
		if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
			http.Error(w, "the form has expired or did not come from this site; reload the page and try again", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// csrfToken returns the session's token, making one when needed.
func (s *Server) csrfToken(ctx context.Context) string {
	if t := s.sessions.GetString(ctx, "csrf"); t != "" {
		return t
	}
	t := randomToken()
	s.sessions.Put(ctx, "csrf", t)
	return t
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

type ctxKey int

const userKey ctxKey = 1

// currentUser is the logged-in user of a request that passed auth.
func currentUser(ctx context.Context) *User {
	u, _ := ctx.Value(userKey).(*User)
	return u
}

// auth lets through a logged-in, enabled user with one of roles; anyone else
// is sent to the login page (anonymous) or refused (wrong role). An admin
// without a second factor may only enrol one.
func (s *Server) auth(roles []string, fn handlerFunc) http.Handler {
	inner := s.h(fn)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id := s.sessions.GetInt64(ctx, "user_id")
		if id == 0 {
			s.toLogin(w, r)
			return
		}
		u, err := s.store.UserByID(ctx, id)
		if errors.Is(err, ErrNotFound) || (err == nil && (u.Disabled || !s.sessionCurrent(ctx, u))) {
			_ = s.sessions.Destroy(ctx)
			s.toLogin(w, r)
			return
		}
		if err != nil {
			s.h(func(http.ResponseWriter, *http.Request) error { return err }).ServeHTTP(w, r)
			return
		}
		if u.Role == RoleAdmin && u.TOTPSecret == "" && r.URL.Path != "/account/totp" {
			http.Redirect(w, r, "/account/totp", http.StatusSeeOther)
			return
		}
		if !slices.Contains(roles, u.Role) {
			s.renderError(w, r.WithContext(context.WithValue(ctx, userKey, &u)), http.StatusForbidden, "You do not have access to this page.")
			return
		}
		inner.ServeHTTP(w, r.WithContext(context.WithValue(ctx, userKey, &u)))
	})
}

// sessionAuthKey is the session key of sessionFingerprint.
const sessionAuthKey = "auth_fp"

// sessionFingerprint binds a session to the account as it was at login: a
// hash of the user's id, password hash (a fresh salt on every change, even
// to the same password), role and last change (UpdatedAt). A password or
// role change, or disabling, by the CLI or the web UI, through any code
// path, changes it, so every session of that user opened before ends at its
// next request. Django's session auth hash does the same with the password
// hash. The user's own change of their second factor keeps the session
// it is made in (keepSession) and ends the others.
func sessionFingerprint(u User) string {
	h := sha256.Sum256([]byte(strconv.FormatInt(u.ID, 10) + "\x00" + u.PasswordHash + "\x00" + u.Role +
		"\x00" + strconv.FormatInt(u.UpdatedAt.UnixMicro(), 10)))
	return hex.EncodeToString(h[:16])
}

// keepSession re-binds the session to user id after a change the user made
// to their own account in it.
func (s *Server) keepSession(ctx context.Context, id int64) error {
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionAuthKey, sessionFingerprint(u))
	return nil
}

// sessionCurrent reports whether the session was opened for u as it is now
// (a session without a fingerprint, from before there was one, is not).
func (s *Server) sessionCurrent(ctx context.Context, u User) bool {
	got := s.sessions.GetString(ctx, sessionAuthKey)
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(sessionFingerprint(u))) == 1
}

// toLogin redirects to the login page, remembering where to come back to.
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		s.sessions.Put(r.Context(), "next", r.URL.RequestURI())
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// clientIP is the peer address of the request; behind a trusted reverse
// proxy, the client's as the proxy saw it (fromProxy).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
