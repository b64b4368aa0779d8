package web

import "net/http"

// failed lists the drafts whose send failed or whose outcome is unknown.
func (s *Server) failed(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.store.FailedDrafts(r.Context(), 200)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "failed", "Failed sends", ds)
}
