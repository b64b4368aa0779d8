package web

import (
	"errors"
	"net/http"
	"strings"
)

// totpShow asks for the second factor after a correct password.
func (s *Server) totpShow(w http.ResponseWriter, r *http.Request) error {
	if s.sessions.GetInt64(r.Context(), "pending_user_id") == 0 {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "totp", "Two-factor code", loginView{})
}

// totpSubmit checks the RFC 6238 code of the pending user, once per time
// step (checkTOTP), under the same per-account and per-IP limit as
// passwords.
func (s *Server) totpSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := s.sessions.GetInt64(ctx, "pending_user_id")
	if id == 0 {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return err
	}
	keys := loginKeys(u.Email, clientIP(r))
	if err := s.checkLoginLimit(ctx, keys); err != nil {
		if errors.Is(err, errTooManyAttempts) {
			return s.render(w, r, http.StatusTooManyRequests, "totp", "Two-factor code",
				loginView{Error: "Too many failed attempts. Wait a few minutes and try again."})
		}
		return err
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	ok := false
	if !u.Disabled && u.TOTPSecret != "" {
		if ok, err = s.checkTOTP(ctx, u, code); err != nil {
			return err
		}
	}
	if !ok {
		if err := s.store.RecordLoginFailure(ctx, keys, s.cfg.Now().Add(-s.cfg.LoginWindow)); err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnauthorized, "totp", "Two-factor code", loginView{Error: "That code is wrong or was used already; wait for the next one."})
	}
	if err := s.store.ClearLoginFailures(ctx, keys[0]); err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.logIn(w, r, u)
	return nil
}
