package web

import "net/http"

// health shows each mailbox's checkpoint, last poll and last error.
func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	mh, err := s.store.MailboxHealth(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "health", "Mailboxes", mh)
}
