package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"switchboard/workflows"
)

// requestPlace corrects the place of a list request and re-drafts its
// reply, as `switchboard queue set ID --city C --state S | --state S |
// --zip Z | --district D` does. A place the pipeline refuses brings the
// page back with the form open, as posted, and the CLI's message.
func (s *Server) requestPlace(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	fix := workflows.PlaceFix{City: strings.TrimSpace(r.PostFormValue("city")),
		State: strings.TrimSpace(r.PostFormValue("state")), ZIP: strings.TrimSpace(r.PostFormValue("zip")),
		District: strings.TrimSpace(r.PostFormValue("district"))}
	err = s.cfg.Redrafter.Redraft(r.Context(), id, fix, currentUser(r.Context()).Label())
	if status, msg := formError(err); status != 0 {
		pf := placeForm{City: fix.City, State: fix.State, ZIP: fix.ZIP, District: fix.District, Error: msg}
		return s.renderRequest(w, r, id, status, requestView{Place: pf})
	}
	if err != nil {
		return err
	}
	s.flash(r, "Corrected the place of request %d and drafted its reply again: review it below.", id)
	http.Redirect(w, r, "/requests/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// formError maps an error a person can act on to the status of the page
// shown again (400 for ErrInvalid, 409 for ErrConflict) and its message
// without the sentinels' words; 0 for nil and for other errors.
func formError(err error) (int, string) {
	status := 0
	switch {
	case err == nil:
		return 0, ""
	case errors.Is(err, ErrInvalid):
		status = http.StatusBadRequest
	case errors.Is(err, ErrConflict):
		status = http.StatusConflict
	default:
		return 0, ""
	}
	msg := err.Error()
	for _, p := range []string{ErrInvalid.Error() + ": ", ErrConflict.Error() + ": "} {
		msg = strings.TrimPrefix(msg, p)
	}
	for _, suf := range []string{": " + ErrConflict.Error(), ": " + workflows.ErrBadPlace.Error()} {
		msg = strings.TrimSuffix(msg, suf)
	}
	return status, msg
}
