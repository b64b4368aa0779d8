package web

import (
	"net/http"
	"strconv"
)

// attachmentDownload serves an inbound attachment's bytes as a download,
// never rendered inline (DESIGN.md invariant 5).
func (s *Server) attachmentDownload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := s.store.Attachment(r.Context(), id)
	if err != nil {
		return err
	}
	fileHeaders(w, a.Filename, "attachment-"+strconv.FormatInt(a.ID, 10), a.ContentType, false, len(a.Data))
	_, _ = w.Write(a.Data)
	return nil
}
