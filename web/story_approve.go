package web

import "net/http"

// storyApprove passes a new story to the press team's gallery. A story
// whose sender has not given permission to publish (unknown or refused) is
// approved only with the "approve anyway" box ticked, as the CLI's --force.
func (s *Server) storyApprove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	st, err := s.store.Story(r.Context(), id)
	if err != nil {
		return err
	}
	if st.Consent != "given" && r.PostFormValue("force") != "yes" {
		return badRequest("story %d: its sender has not given permission to publish (%s); ask them first, or tick \"approve anyway\"", id, st.Consent)
	}
	if err := s.store.ApproveStory(r.Context(), id, currentUser(r.Context()).Label()); err != nil {
		return err
	}
	s.flash(r, "Story %d approved: the press team sees it now.", id)
	http.Redirect(w, r, "/stories#story-"+r.PathValue("id"), http.StatusSeeOther)
	return nil
}
