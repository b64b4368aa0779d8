package web

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"image/png"
	"net/http"
	"strings"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// totpSetupView is the enrolment page.
type totpSetupView struct {
	Enrolled bool
	Required bool
	Secret   string
	QR       template.URL // data: URL of a PNG
	Error    string
}

// totpSetupShow shows a new secret to enrol (kept in the session until a
// code proves the authenticator has it), or that a second factor is on.
func (s *Server) totpSetupShow(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r.Context())
	v := totpSetupView{Enrolled: u.TOTPSecret != "", Required: u.Role == RoleAdmin}
	if !v.Enrolled {
		var err error
		if v, err = s.newTOTPSecret(r, u, v); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "totp_setup", "Two-factor authentication", v)
}

func (s *Server) newTOTPSecret(r *http.Request, u *User, v totpSetupView) (totpSetupView, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Switchboard", AccountName: u.Email})
	if err != nil {
		return v, fmt.Errorf("generate totp secret: %w", err)
	}
	s.sessions.Put(r.Context(), "totp_setup", key.Secret())
	v.Secret = key.Secret()
	v.QR, err = qrDataURL(key)
	return v, err
}

func qrDataURL(key *otp.Key) (template.URL, error) {
	img, err := key.Image(200, 200)
	if err != nil {
		return "", fmt.Errorf("totp qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", fmt.Errorf("totp qr code: %w", err)
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}

// totpSetupSubmit enrols the secret shown, once a code from it is valid; or
// removes the second factor (not allowed for admins).
func (s *Server) totpSetupSubmit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := currentUser(ctx)
	if r.PostFormValue("action") == "remove" {
		if u.Role == RoleAdmin {
			return badRequest("admins must keep two-factor authentication")
		}
		if err := s.store.SetTOTPSecret(ctx, u.Email, "", u.Label()); err != nil {
			return err
		}
		if err := s.keepSession(ctx, u.ID); err != nil {
			return err
		}
		s.flash(r, "Two-factor authentication is off.")
		http.Redirect(w, r, "/account/totp", http.StatusSeeOther)
		return nil
	}
	secret := s.sessions.GetString(ctx, "totp_setup")
	if secret == "" || u.TOTPSecret != "" {
		http.Redirect(w, r, "/account/totp", http.StatusSeeOther)
		return nil
	}
	step, ok := totpMatch(strings.TrimSpace(r.PostFormValue("code")), secret, s.cfg.Now())
	if !ok {
		key, err := otp.NewKeyFromURL(fmt.Sprintf("otpauth://totp/Switchboard:%s?secret=%s&issuer=Switchboard", u.Email, secret))
		if err != nil {
			return err
		}
		v := totpSetupView{Required: u.Role == RoleAdmin, Secret: secret, Error: "That code is wrong; try the next one."}
		if v.QR, err = qrDataURL(key); err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "totp_setup", "Two-factor authentication", v)
	}
	if err := s.store.SetTOTPSecret(ctx, u.Email, secret, u.Label()); err != nil {
		return err
	}
	if err := s.keepSession(ctx, u.ID); err != nil {
		return err
	}
	// The enrolment code may not log in again.
	if _, err := s.store.AcceptTOTPStep(ctx, u.ID, step); err != nil {
		return err
	}
	s.sessions.Remove(ctx, "totp_setup")
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.flash(r, "Two-factor authentication is on.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
