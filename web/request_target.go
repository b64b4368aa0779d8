package web

import (
	"net/http"
	"strconv"
	"strings"
)

// requestTarget picks the group an introduction request means, as
// `switchboard queue set ID --target GROUP_ID [--opt-in=true|false]` does:
// the consent request or the introduction is drafted again for it. opt_in
// "true" (the ticked checkbox) or "false" overrides the double opt-in
// choice; absent, the request's stored choice (else the setting) stays.
func (s *Server) requestTarget(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	raw := strings.TrimSpace(r.PostFormValue("group_id"))
	group, perr := strconv.ParseInt(raw, 10, 64)
	if perr != nil || group <= 0 {
		return s.renderRequest(w, r, id, http.StatusBadRequest, requestView{
			TargetError: strconv.Quote(raw) + " is not a group id: use the # shown with the candidates or in the directory."})
	}
	var optIn *bool
	switch v := r.PostFormValue("opt_in"); v {
	case "":
	case "true", "on", "false":
		b := v != "false"
		optIn = &b
	default:
		return badRequest("opt_in %q: use true or false", v)
	}
	err = s.cfg.Redrafter.ChooseTarget(r.Context(), id, group, optIn, currentUser(r.Context()).Label())
	if status, msg := formError(err); status != 0 {
		return s.renderRequest(w, r, id, status, requestView{TargetError: msg})
	}
	if err != nil {
		return err
	}
	s.flash(r, "Chose group %d for request %d and drafted again: review it below.", group, id)
	http.Redirect(w, r, "/requests/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
