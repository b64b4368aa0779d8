package web

import (
	"net/http"
	"strconv"
	"strings"
)

// rejectForm is the posted reject form.
type rejectForm struct{ Reason string }

// requestReject rejects a request and its drafts, with a reason.
func (s *Server) requestReject(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := rejectForm{Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	if f.Reason == "" {
		return badRequest("a reason is required to reject")
	}
	u := currentUser(r.Context())
	if err := s.store.Reject(r.Context(), id, u.Label(), f.Reason); err != nil {
		return err
	}
	s.flash(r, "Request %d rejected.", id)
	http.Redirect(w, r, "/requests/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
