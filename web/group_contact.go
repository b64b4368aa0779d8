package web

import (
	"errors"
	"net/http"
)

// groupContact replaces a group's public contact (email, website, Twitter,
// Facebook) from the directory page; the store validates it as the import
// does and writes an audit row. A refused field comes back as a 400 with
// the reason; a change goes back to the page the form was on.
func (s *Server) groupContact(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c := GroupContact{PublicEmail: r.PostFormValue("public_email"), Website: r.PostFormValue("website"),
		Twitter: r.PostFormValue("twitter"), Facebook: r.PostFormValue("facebook")}
	if err := s.store.SetGroupContact(r.Context(), id, c, currentUser(r.Context()).Label()); err != nil {
		if errors.Is(err, ErrInvalid) {
			_, msg := formError(err)
			s.renderError(w, r, http.StatusBadRequest, msg)
			return nil
		}
		return err
	}
	s.flash(r, "Saved the public contact of group %d.", id)
	http.Redirect(w, r, directoryBack(r.PostFormValue("back")), http.StatusSeeOther)
	return nil
}
