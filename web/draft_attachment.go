package web

import (
	"net/http"
	"strconv"
)

// draftAttachment serves file {n} (from 1) of a draft, e.g. the CSV of a
// list reply, as a download: the bytes exactly as they will be sent.
func (s *Server) draftAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return ErrNotFound
	}
	files, err := s.store.DraftAttachments(r.Context(), id)
	if err != nil {
		return err
	}
	if n > len(files) {
		return ErrNotFound
	}
	f := files[n-1]
	fileHeaders(w, f.Filename, "draft-"+strconv.FormatInt(id, 10)+"-"+strconv.Itoa(n), f.ContentType, false, len(f.Data))
	_, _ = w.Write(f.Data)
	return nil
}
