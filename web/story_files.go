package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"switchboard/stories"
)

// storyAsset finds file {pos} (its position in the message) of a story the
// user may see.
func (s *Server) storyAsset(r *http.Request) (stories.PressStory, stories.PressAsset, error) {
	if s.cfg.Blobs == nil {
		return stories.PressStory{}, stories.PressAsset{}, ErrNotFound
	}
	st, err := s.visibleStory(r)
	if err != nil {
		return st, stories.PressAsset{}, err
	}
	pos, err := strconv.Atoi(r.PathValue("pos"))
	if err != nil {
		return st, stories.PressAsset{}, ErrNotFound
	}
	for _, a := range st.Assets {
		if a.Position == pos {
			return st, a, nil
		}
	}
	return st, stories.PressAsset{}, ErrNotFound
}

// jpegMagic starts every JPEG (SOI and the first marker).
var jpegMagic = []byte{0xFF, 0xD8, 0xFF}

// storyThumb shows the thumbnail of a story's image inline. Thumbnails are
// JPEGs we made (upright, no metadata); anything else is refused rather
// than shown.
func (s *Server) storyThumb(w http.ResponseWriter, r *http.Request) error {
	_, a, err := s.storyAsset(r)
	if err != nil {
		return err
	}
	if a.ThumbKey == "" {
		return ErrNotFound
	}
	data, err := s.cfg.Blobs.Get(r.Context(), a.ThumbKey)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(data, jpegMagic) {
		return fmt.Errorf("thumbnail of story file %d is not a JPEG", a.ID)
	}
	fileHeaders(w, "thumb-"+strconv.Itoa(a.Position+1)+".jpg", "thumb.jpg", "image/jpeg", true, len(data))
	_, _ = w.Write(data)
	return nil
}

// storyFile downloads the press copy of one file of a story: an image's
// upright JPEG without location data, a video or other file as sent.
func (s *Server) storyFile(w http.ResponseWriter, r *http.Request) error {
	_, a, err := s.storyAsset(r)
	if err != nil {
		return err
	}
	key, name, ok := a.PressKey()
	if !ok {
		return ErrNotFound
	}
	data, err := s.cfg.Blobs.Get(r.Context(), key)
	if err != nil {
		return err
	}
	fileHeaders(w, fmt.Sprintf("%02d-%s", a.Position+1, name), "file", "", false, len(data))
	_, _ = w.Write(data)
	return nil
}

// storyZip downloads the press copies of a story and story.txt with the
// credits in one zip (stories.WriteZip), streamed.
func (s *Server) storyZip(w http.ResponseWriter, r *http.Request) error {
	if s.cfg.Blobs == nil {
		return ErrNotFound
	}
	st, err := s.visibleStory(r)
	if err != nil {
		return err
	}
	fileHeaders(w, "story-"+strconv.FormatInt(st.ID, 10)+".zip", "story.zip", "", false, -1)
	cw := &countingWriter{w: w}
	if _, err := stories.WriteZip(r.Context(), cw, s.cfg.Blobs, st); err != nil {
		if cw.n == 0 {
			w.Header().Del("Content-Disposition")
			return err
		}
		// Half a zip went out: cut the connection so that the download
		// fails instead of saving a truncated file.
		s.log.ErrorContext(r.Context(), "story zip failed", "story_id", st.ID, "error", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w interface{ Write([]byte) (int, error) }
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
