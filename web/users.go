package web

import "net/http"

// usersView is the admin's user list.
type usersView struct {
	Users []User
	Roles []string
}

// users lists the accounts (admins only). Accounts are created with
// `switchboard user add`, so that passwords never pass through a form.
func (s *Server) users(w http.ResponseWriter, r *http.Request) error {
	us, err := s.store.Users(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "users", "Users", usersView{Users: us, Roles: []string{RoleAdmin, RoleStaff, RolePress}})
}
