package web

import (
	"net/http"

	"switchboard/workflows"
)

// stories is the press team's page, a placeholder until the gallery is
// built: the submission requests, newest first, without the queue.
func (s *Server) stories(w http.ResponseWriter, r *http.Request) error {
	items, err := s.store.Queue(r.Context(), QueueFilter{Kind: workflows.KindSubmission, Limit: 200})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "stories", "Stories", items)
}
