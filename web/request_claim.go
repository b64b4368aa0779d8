package web

import (
	"net/http"
	"strconv"
)

// requestClaim marks the request as being reviewed by the current user. It
// is a soft claim: others see it, nothing is locked.
func (s *Server) requestClaim(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if _, err := s.store.Request(r.Context(), id); err != nil {
		return err
	}
	if err := s.store.ClaimRequest(r.Context(), id, currentUser(r.Context()).ID); err != nil {
		return err
	}
	http.Redirect(w, r, "/requests/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
