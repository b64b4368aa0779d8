package web

import (
	"net/http"
	"strconv"
)

// requestApprove approves every draft of a request awaiting approval; the
// store enqueues the send jobs in the same transaction.
func (s *Server) requestApprove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u := currentUser(r.Context())
	if err := s.store.Approve(r.Context(), id, u.Label()); err != nil {
		return err
	}
	s.flash(r, "Request %d approved: its mail is on its way.", id)
	http.Redirect(w, r, "/requests/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
