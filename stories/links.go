package stories

import (
	"net/url"
	"regexp"
	"strings"
)

// Link is a share link to media kept elsewhere.
type Link struct {
	URL     string `json:"url"`
	Service string `json:"service"` // google_drive, google_photos, youtube, dropbox, icloud
}

var urlRE = regexp.MustCompile(`https?://[^\s<>"'()\[\]]+`)

// services maps host (and, for some, path prefix) to the service name.
var services = []struct{ host, prefix, service string }{
	{"drive.google.com", "", "google_drive"},
	{"docs.google.com", "", "google_drive"},
	{"photos.google.com", "", "google_photos"},
	{"photos.app.goo.gl", "", "google_photos"},
	{"goo.gl", "/photos", "google_photos"},
	{"youtube.com", "", "youtube"},
	{"m.youtube.com", "", "youtube"},
	{"youtu.be", "", "youtube"},
	{"dropbox.com", "", "dropbox"},
	{"db.tt", "", "dropbox"},
	{"icloud.com", "/photos", "icloud"},
	{"icloud.com", "/sharedalbum", "icloud"},
	{"icloud.com", "/iclouddrive", "icloud"},
	{"share.icloud.com", "", "icloud"},
}

// Links returns the share links in the sender's text and HTML, each once,
// in order of appearance.
func Links(text, html string) []Link {
	seen := map[string]bool{}
	var out []Link
	for _, src := range []string{text, strings.ReplaceAll(html, "&amp;", "&")} {
		for _, raw := range urlRE.FindAllString(src, -1) {
			raw = strings.TrimRight(raw, ".,;:!?*>")
			u, err := url.Parse(raw)
			if err != nil {
				continue
			}
			host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
			for _, s := range services {
				if host == s.host && strings.HasPrefix(u.Path, s.prefix) {
					if !seen[raw] {
						seen[raw] = true
						out = append(out, Link{URL: raw, Service: s.service})
					}
					break
				}
			}
		}
	}
	return out
}
