package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

// loginSubmit checks an email and password, under a rate limit per account
// and per client IP that is checked before the password is.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f := loginForm{Email: strings.TrimSpace(r.PostFormValue("email")), Password: r.PostFormValue("password")}
	keys := loginKeys(f.Email, clientIP(r))
	if err := s.checkLoginLimit(ctx, keys); err != nil {
		if errors.Is(err, errTooManyAttempts) {
			return s.render(w, r, http.StatusTooManyRequests, "login", "Log in",
				loginView{Email: f.Email, Error: "Too many failed attempts. Wait a few minutes and try again."})
		}
		return err
	}
	u, err := s.store.UserByEmail(ctx, f.Email)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if !checkPassword(f.Password, u.PasswordHash) || u.Disabled {
		if err := s.store.RecordLoginFailure(ctx, keys, s.cfg.Now().Add(-s.cfg.LoginWindow)); err != nil {
			return err
		}
		s.log.WarnContext(ctx, "login failed", "ip", clientIP(r))
		return s.render(w, r, http.StatusUnauthorized, "login", "Log in",
			loginView{Email: f.Email, Error: "The email or the password is wrong."})
	}
	if err := s.store.ClearLoginFailures(ctx, keys[0]); err != nil {
		return err
	}
	// A new token on every change of privilege stops session fixation.
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	if u.TOTPSecret != "" {
		s.sessions.Put(ctx, "pending_user_id", u.ID)
		http.Redirect(w, r, "/login/totp", http.StatusSeeOther)
		return nil
	}
	s.logIn(w, r, u)
	return nil
}

// logIn makes u the session's user and goes where the user was heading.
func (s *Server) logIn(w http.ResponseWriter, r *http.Request, u User) {
	ctx := r.Context()
	s.sessions.Remove(ctx, "pending_user_id")
	s.sessions.Put(ctx, "user_id", u.ID)
	s.sessions.Put(ctx, sessionAuthKey, sessionFingerprint(u))
	next := s.sessions.PopString(ctx, "next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		next = "/"
	}
	s.log.InfoContext(ctx, "login", "user_id", u.ID)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// loginKeys are the rate-limit keys of a login: the account first.
func loginKeys(email, ip string) []string {
	return []string{"account:" + strings.ToLower(email), "ip:" + ip}
}

// checkLoginLimit is errTooManyAttempts when the account or the IP has
// failed too often within the window.
func (s *Server) checkLoginLimit(ctx context.Context, keys []string) error {
	since := s.cfg.Now().Add(-s.cfg.LoginWindow)
	limits := []int{s.cfg.MaxFailsAccount, s.cfg.MaxFailsIP}
	for i, k := range keys {
		n, err := s.store.LoginFailures(ctx, k, since)
		if err != nil {
			return err
		}
		if n >= limits[i] {
			return errTooManyAttempts
		}
	}
	return nil
}
