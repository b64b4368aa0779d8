package web

import (
	"net/http"
	"net/url"
	"strings"
)

// directoryView is the directory search page.
type directoryView struct {
	Name, State, City string
	Results           []Candidate
	Searched          bool
	// Contacts are the results' public contacts, by group id, for the
	// contact forms.
	Contacts map[int64]GroupContact
	// Back is this search's address, where a status or contact change
	// comes back to.
	Back string
}

// directory searches the groups by name, only in the state and the city
// when they are given.
func (s *Server) directory(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v := directoryView{Name: strings.TrimSpace(q.Get("name")), State: strings.ToUpper(strings.TrimSpace(q.Get("state"))),
		City: strings.TrimSpace(q.Get("city"))}
	if v.Name != "" {
		var err error
		if v.Results, err = s.store.SearchDirectory(r.Context(), v.Name, v.State, v.City, 25); err != nil {
			return err
		}
		ids := make([]int64, len(v.Results))
		for i, c := range v.Results {
			ids[i] = c.GroupID
		}
		if v.Contacts, err = s.store.GroupContacts(r.Context(), ids); err != nil {
			return err
		}
		v.Searched = true
		v.Back = "/directory?" + url.Values{"name": {v.Name}, "state": {v.State}, "city": {v.City}}.Encode()
	}
	return s.render(w, r, http.StatusOK, "directory", "Directory", v)
}
