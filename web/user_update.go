package web

import (
	"net/http"
	"strings"
)

// userForm is the posted change to one account.
type userForm struct {
	Email  string
	Role   string // "" leaves it
	Action string // "disable", "enable", "role"
}

// userUpdate changes an account's role or disables it (admins only). An
// admin cannot demote or disable themselves, so one admin always remains.
func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	me := currentUser(ctx)
	f := userForm{Email: strings.TrimSpace(r.PostFormValue("email")), Role: r.PostFormValue("role"), Action: r.PostFormValue("action")}
	if strings.EqualFold(f.Email, me.Email) {
		return badRequest("you cannot change your own account here")
	}
	var err error
	switch f.Action {
	case "disable", "enable":
		err = s.store.SetDisabled(ctx, f.Email, f.Action == "disable", me.Label())
	case "role":
		if f.Role != RoleAdmin && f.Role != RoleStaff && f.Role != RolePress {
			return badRequest("unknown role %q", f.Role)
		}
		err = s.store.SetRole(ctx, f.Email, f.Role, me.Label())
	default:
		return badRequest("unknown action %q", f.Action)
	}
	if err != nil {
		return err
	}
	s.flash(r, "Saved %s.", f.Email)
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
	return nil
}
