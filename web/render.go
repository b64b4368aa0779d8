package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"switchboard/workflows"
)

// pageTemplate is one page parsed with the shared layout.
type pageTemplate struct{ t *template.Template }

// page is what every template gets: the common frame and the page's Data.
type page struct {
	Title string
	User  *User
	CSRF  string
	Flash string
	Nav   string
	Data  any
}

var funcs = template.FuncMap{
	"when": func(t any) string {
		switch v := t.(type) {
		case time.Time:
			return v.UTC().Format("2006-01-02 15:04 UTC")
		case *time.Time:
			if v == nil {
				return ""
			}
			return v.UTC().Format("2006-01-02 15:04 UTC")
		}
		return ""
	},
	"addrs": func(as []workflows.Address) string {
		out := make([]string, len(as))
		for i, a := range as {
			out[i] = a.String()
		}
		return strings.Join(out, ", ")
	},
	"day": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format("Monday 2 January 2006")
	},
	"inc": func(i int) int { return i + 1 },
	// breakAt lets an address wrap after its @ only: "support@<wbr>host".
	"breakAt": func(addr string) template.HTML {
		local, domain, ok := strings.Cut(addr, "@")
		if !ok {
			return template.HTML(template.HTMLEscapeString(addr)) // #nosec: escaped
		}
		return template.HTML(template.HTMLEscapeString(local) + "@<wbr>" + template.HTMLEscapeString(domain)) // #nosec: escaped
	},
	"join":  strings.Join,
	"label": func(s any) string { return strings.ReplaceAll(fmt.Sprint(s), "_", " ") },
	"kb":    func(n int64) string { return fmt.Sprintf("%.1f KB", float64(n)/1024) },
	"pct":   func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
	"hasRole": func(u *User, roles ...string) bool {
		if u == nil {
			return false
		}
		for _, r := range roles {
			if u.Role == r {
				return true
			}
		}
		return false
	},
}

// parsePages parses each page in templates/ with layout.html.
func parsePages() (map[string]*pageTemplate, error) {
	names, err := fs.Glob(templatesFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: list templates: %w", err)
	}
	out := map[string]*pageTemplate{}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templatesFS, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", base, err)
		}
		out[strings.TrimSuffix(base, ".html")] = &pageTemplate{t: t}
	}
	return out, nil
}

// render writes page name with status, rendered into a buffer first so that
// a template error is a clean 500, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) error {
	pt, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("render: no page %q", name)
	}
	ctx := r.Context()
	p := page{Title: title, User: currentUser(ctx), CSRF: s.csrfToken(ctx), Flash: s.sessions.PopString(ctx, "flash"),
		Nav: name, Data: data}
	var buf bytes.Buffer
	if err := pt.t.Execute(&buf, p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
	return nil
}

// renderError shows a short error page with status.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if err := s.render(w, r, status, "error", http.StatusText(status), msg); err != nil {
		s.log.ErrorContext(r.Context(), "render error page", "error", err)
		http.Error(w, msg, status)
	}
}

// flash keeps a one-line message for the next page.
func (s *Server) flash(r *http.Request, format string, args ...any) {
	s.sessions.Put(r.Context(), "flash", fmt.Sprintf(format, args...))
}
