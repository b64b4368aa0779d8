package web

import "net/http"

// home sends each role to its first page: the press team to the stories,
// everyone else to the queue.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	if currentUser(r.Context()).Role == RolePress {
		http.Redirect(w, r, "/stories", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/queue", http.StatusSeeOther)
	return nil
}
