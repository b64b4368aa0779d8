package web

import "net/http"

// brokenView is the page of listings reported broken.
type brokenView struct {
	Listings []BrokenListing
}

// directoryBroken lists the groups whose public contact was reported broken
// or bounced, as `switchboard groups broken` does (public fields only).
func (s *Server) directoryBroken(w http.ResponseWriter, r *http.Request) error {
	ls, err := s.store.BrokenListings(r.Context(), 100)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "directory_broken", "Listings reported broken", brokenView{Listings: ls})
}
