package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"
)

// draftForm is the posted draft edit form. Recipients are not editable.
type draftForm struct {
	Subject string
	Text    string
	HTML    string
}

// draftEdit replaces a waiting draft's subject, text and HTML; the store
// writes an audit row with the old and new content. A subject with a line
// break or another control character (which would forge header lines where
// the subject is printed) is refused: the page comes back with the form
// open, as posted, and the reason.
func (s *Server) draftEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := draftForm{Subject: strings.TrimSpace(r.PostFormValue("subject")),
		Text: strings.ReplaceAll(r.PostFormValue("text"), "\r\n", "\n"), HTML: r.PostFormValue("html")}
	d, err := s.store.Draft(r.Context(), id)
	if err != nil {
		return err
	}
	msg := ""
	switch {
	case f.Subject == "" || strings.TrimSpace(f.Text) == "":
		msg = "A draft needs a subject and a text."
	case subjectProblem(f.Subject) != "":
		msg = subjectProblem(f.Subject)
	}
	if msg != "" {
		return s.showRequest(w, r, d.RequestID, http.StatusBadRequest,
			&draftEditState{DraftID: id, Subject: f.Subject, Text: f.Text, HTML: f.HTML, Error: msg})
	}
	if err := s.store.EditDraft(r.Context(), id, f.Subject, f.Text, f.HTML, currentUser(r.Context()).Label()); err != nil {
		return err
	}
	s.flash(r, "Draft %d saved.", id)
	http.Redirect(w, r, "/requests/"+strconv.FormatInt(d.RequestID, 10), http.StatusSeeOther)
	return nil
}

// subjectProblem says why subject cannot be a mail subject, or "": it must
// be one line without control characters (C0, DEL, C1) or Unicode line and
// paragraph separators.
func subjectProblem(subject string) string {
	for _, c := range subject {
		switch {
		case c == '\r' || c == '\n' || c == '\u2028' || c == '\u2029':
			return "The subject must be one line: remove the line break."
		case unicode.IsControl(c):
			return fmt.Sprintf("The subject contains a control character (%U); remove it.", c)
		}
	}
	return ""
}
