package web

import (
	"net/http"
	"strconv"
	"strings"
)

// draftForm is the posted draft edit form. Recipients are not editable.
type draftForm struct {
	Subject string
	Text    string
	HTML    string
}

// draftEdit replaces a waiting draft's subject, text and HTML; the store
// writes an audit row with the old and new content.
func (s *Server) draftEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := draftForm{Subject: strings.TrimSpace(r.PostFormValue("subject")),
		Text: strings.ReplaceAll(r.PostFormValue("text"), "\r\n", "\n"), HTML: r.PostFormValue("html")}
	if f.Subject == "" || strings.TrimSpace(f.Text) == "" {
		return badRequest("a draft needs a subject and a text")
	}
	d, err := s.store.Draft(r.Context(), id)
	if err != nil {
		return err
	}
	if err := s.store.EditDraft(r.Context(), id, f.Subject, f.Text, f.HTML, currentUser(r.Context()).Label()); err != nil {
		return err
	}
	s.flash(r, "Draft %d saved.", id)
	http.Redirect(w, r, "/requests/"+strconv.FormatInt(d.RequestID, 10), http.StatusSeeOther)
	return nil
}
