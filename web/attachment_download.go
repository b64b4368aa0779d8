package web

import (
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
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
	name := path.Base(strings.ReplaceAll(a.Filename, "\\", "/"))
	if name == "" || name == "." || name == "/" {
		name = "attachment-" + strconv.FormatInt(a.ID, 10)
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	cd := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if cd == "" {
		cd = "attachment"
	}
	h.Set("Content-Disposition", cd)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Length", strconv.Itoa(len(a.Data)))
	_, _ = w.Write(a.Data)
	return nil
}
