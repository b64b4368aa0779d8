package web

import "net/http"

// loginForm is the posted login form.
type loginForm struct {
	Email    string
	Password string
}

// loginView is what the login page shows.
type loginView struct {
	Email string
	Error string
}

// loginShow shows the login form; a logged-in user goes home.
func (s *Server) loginShow(w http.ResponseWriter, r *http.Request) error {
	if s.sessions.GetInt64(r.Context(), "user_id") != 0 {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "login", "Log in", loginView{})
}
