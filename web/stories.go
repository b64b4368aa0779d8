package web

import (
	"net/http"

	"switchboard/stories"
)

// galleryView is what the stories gallery shows.
type galleryView struct {
	Stories []stories.PressStory
	Status  string // the filter: approved, new, or "" (all) for staff
	Staff   bool   // may approve, sees the sender's address and new stories
	Files   bool   // the blob store is there: thumbnails and downloads
}

// stories is the press team's gallery: approved stories with their text,
// credits, consent, thumbnails, media links and press-copy downloads. Staff
// also see the new stories and approve them here.
func (s *Server) stories(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r.Context())
	v := galleryView{Status: "approved", Staff: u.Role == RoleAdmin || u.Role == RoleStaff,
		Files: s.cfg.Blobs != nil}
	if v.Staff {
		switch st := r.URL.Query().Get("status"); st {
		case "", "new", "approved":
			v.Status = st
		default:
			return badRequest("unknown story status %q", st)
		}
	}
	list, err := s.store.Stories(r.Context(), v.Status, 200)
	if err != nil {
		return err
	}
	for _, st := range list {
		if st.Status == "approved" || (v.Staff && st.Status == "new") {
			v.Stories = append(v.Stories, st)
		}
	}
	return s.render(w, r, http.StatusOK, "stories", "Stories", v)
}

// visibleStory loads story {id} for the current user: the press role sees
// approved stories only (anything else is not found).
func (s *Server) visibleStory(r *http.Request) (stories.PressStory, error) {
	id, err := pathID(r)
	if err != nil {
		return stories.PressStory{}, err
	}
	st, err := s.store.Story(r.Context(), id)
	if err != nil {
		return stories.PressStory{}, err
	}
	if u := currentUser(r.Context()); st.Status != "approved" && (u.Role == RolePress || st.Status != "new") {
		return stories.PressStory{}, ErrNotFound
	}
	return st, nil
}
