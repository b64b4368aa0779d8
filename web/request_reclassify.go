package web

import (
	"net/http"
	"strconv"

	"switchboard/workflows"
)

// reclassifyForm is the posted reclassify form.
type reclassifyForm struct{ Kind workflows.Kind }

// requestReclassify changes a request's kind: the pipeline re-drafts it and
// the correction is kept as a labelled example for the classifier.
func (s *Server) requestReclassify(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := reclassifyForm{Kind: workflows.Kind(r.PostFormValue("kind"))}
	if !f.Kind.Valid() || f.Kind == workflows.KindMixed {
		return badRequest("choose one kind")
	}
	u := currentUser(r.Context())
	if err := s.cfg.Redrafter.Reclassify(r.Context(), id, f.Kind, u.Label()); err != nil {
		return err
	}
	s.flash(r, "Request %d reclassified as %s and drafted again.", id, f.Kind)
	http.Redirect(w, r, "/requests/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
