package web

import "net/http"

// previewCSP lets the draft's HTML show its inline styles and nothing else
// run or load, sandboxed, and framed only by our own pages.
const previewCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'self'"

// draftPreview serves a draft's HTML part for the sandboxed iframe of the
// request page.
func (s *Server) draftPreview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	d, err := s.store.Draft(r.Context(), id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Security-Policy", previewCSP)
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(d.HTML))
	return nil
}
