package web

import (
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// downloadCSP is the policy of every file we serve: nothing in it may run,
// load or be framed.
const downloadCSP = "default-src 'none'; sandbox"

// fileHeaders sets the headers of a file response: a download (attachment)
// of application/octet-stream, unless inline, when it is shown as
// contentType (only ever an image we made ourselves). The file name is
// reduced to its last path element; fallback names it when that is empty.
func fileHeaders(w http.ResponseWriter, filename, fallback, contentType string, inline bool, size int) {
	name := path.Base(strings.ReplaceAll(filename, "\\", "/"))
	if name == "" || name == "." || name == "/" {
		name = fallback
	}
	disposition := "attachment"
	if inline {
		disposition = "inline"
	} else {
		contentType = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	cd := mime.FormatMediaType(disposition, map[string]string{"filename": name})
	if cd == "" {
		cd = disposition
	}
	h.Set("Content-Disposition", cd)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", downloadCSP)
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if size >= 0 {
		h.Set("Content-Length", strconv.Itoa(size))
	}
}
