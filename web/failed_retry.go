package web

import "net/http"

// failedRetry sends a failed draft again (the same approved content), or
// one whose outcome was unknown after a person checked it did not arrive.
func (s *Server) failedRetry(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.store.RetrySend(r.Context(), id, currentUser(r.Context()).Label()); err != nil {
		return err
	}
	s.flash(r, "Draft %d will be sent again.", id)
	http.Redirect(w, r, "/failed", http.StatusSeeOther)
	return nil
}
