package web

import (
	"net/http"
	"strings"
)

// groupStatus makes a group active or inactive, as `switchboard groups
// set-status ID active|inactive` does; the store writes an audit row. It
// goes back to the page the form was on (a directory page only).
func (s *Server) groupStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	status := r.PostFormValue("status")
	if status != "active" && status != "inactive" {
		return badRequest("status %q: use active or inactive", status)
	}
	if err := s.store.SetGroupStatus(r.Context(), id, status, currentUser(r.Context()).Label()); err != nil {
		return err
	}
	s.flash(r, "Group %d is %s.", id, status)
	http.Redirect(w, r, directoryBack(r.PostFormValue("back")), http.StatusSeeOther)
	return nil
}

// directoryBack is back when it is a directory page of this site, else
// /directory: the form's hidden field must not redirect elsewhere.
func directoryBack(back string) string {
	if back == "/directory" || back == "/directory/broken" ||
		strings.HasPrefix(back, "/directory?") && !strings.ContainsAny(back, "\\\r\n") {
		return back
	}
	return "/directory"
}
