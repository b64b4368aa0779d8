// Package templates holds Switchboard's outgoing email templates, embedded in
// the binary: one file per email under mail/, each defining a "subject", a
// "text" and an "html" block, with the HTML and text parts wrapped in a shared
// base layout. Templates are parsed and checked once at start (Load), and a
// missing variable is an error, never an empty string in a sent mail.
package templates

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"reflect"
	"strings"
	texttemplate "text/template"
)

//go:embed mail/*.tmpl
var files embed.FS

// The base layouts shared by every email.
const (
	baseHTML = "mail/base.html.tmpl"
	baseText = "mail/base.text.tmpl"
)

// Rendered is one email rendered from its template: a single-line subject,
// the text/plain body and the text/html body (RFC 2046 §5.1.4 alternatives).
type Rendered struct {
	Subject string
	Text    string
	HTML    string
}

// email is one parsed email template with the data type it renders.
type email struct {
	subject *texttemplate.Template
	text    *texttemplate.Template
	html    *htmltemplate.Template
	data    reflect.Type
}

// Set is the parsed, checked set of email templates. It is safe for
// concurrent use.
type Set struct {
	emails map[string]email
}

// Load parses every email template and checks it by rendering each example
// in examples, so that a broken template stops start-up rather than a send.
func Load() (*Set, error) {
	s := &Set{emails: make(map[string]email, len(dataTypes))}
	for name, typ := range dataTypes {
		e, err := parse(name)
		if err != nil {
			return nil, err
		}
		e.data = typ
		s.emails[name] = e
	}
	for _, ex := range examples() {
		if _, err := s.Render(ex.Email, ex.Data); err != nil {
			return nil, fmt.Errorf("check template %s (%s): %w", ex.Email, ex.Case, err)
		}
	}
	return s, nil
}

// MustLoad is Load that panics on error, for use in main and tests.
func MustLoad() *Set {
	s, err := Load()
	if err != nil {
		panic(err)
	}
	return s
}

// parse parses mail/<name>.tmpl with text/template (subject, text) and with
// html/template (html), each on top of its base layout.
func parse(name string) (email, error) {
	file := "mail/" + name + ".tmpl"
	txt, err := texttemplate.New(name).Option("missingkey=error").Funcs(funcs).ParseFS(files, baseText, file)
	if err != nil {
		return email{}, fmt.Errorf("parse template %s: %w", name, err)
	}
	htm, err := htmltemplate.New(name).Option("missingkey=error").Funcs(funcs).ParseFS(files, baseHTML, file)
	if err != nil {
		return email{}, fmt.Errorf("parse template %s: %w", name, err)
	}
	for _, block := range []string{"subject", "text", "html"} {
		if txt.Lookup(block) == nil {
			return email{}, fmt.Errorf("parse template %s: no %q block", name, block)
		}
	}
	return email{
		subject: txt.Lookup("subject"),
		text:    txt.Lookup("text_layout"),
		html:    htm.Lookup("html_layout"),
	}, nil
}

// funcs are the helpers the templates may call. Both parsers need them,
// because each parses the whole file.
var funcs = map[string]any{
	// isURL reports whether s is an absolute http(s) URL worth linking.
	"isURL": func(s string) bool {
		return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
	},
	// join joins a list of strings with sep.
	"join": strings.Join,
}

// Names lists the emails the set can render.
func (s *Set) Names() []string {
	names := make([]string, 0, len(s.emails))
	for n := range s.emails {
		names = append(names, n)
	}
	return names
}

// Render renders the named email with data, which must be the data type the
// email expects (ListReplyData for "list_reply", and so on). Each part is
// rendered into a buffer first; nothing partial is returned on error. The
// subject is folded to one line so that no data can inject a header
// (RFC 5322 §2.2).
func (s *Set) Render(name string, data any) (Rendered, error) {
	e, ok := s.emails[name]
	if !ok {
		return Rendered{}, fmt.Errorf("render %s: no such email template", name)
	}
	if got := reflect.TypeOf(data); got != e.data {
		return Rendered{}, fmt.Errorf("render %s: data is %v, want %v", name, got, e.data)
	}
	var subj, txt, htm bytes.Buffer
	if err := e.subject.Execute(&subj, data); err != nil {
		return Rendered{}, fmt.Errorf("render %s subject: %w", name, err)
	}
	if err := e.text.Execute(&txt, data); err != nil {
		return Rendered{}, fmt.Errorf("render %s text: %w", name, err)
	}
	if err := e.html.Execute(&htm, data); err != nil {
		return Rendered{}, fmt.Errorf("render %s html: %w", name, err)
	}
	r := Rendered{
		Subject: strings.Join(strings.Fields(subj.String()), " "),
		Text:    tidyText(txt.String()),
		HTML:    strings.TrimSpace(htm.String()) + "\n",
	}
	if r.Subject == "" {
		return Rendered{}, fmt.Errorf("render %s subject: empty", name)
	}
	return r, nil
}

// tidyText trims trailing spaces from each line, collapses runs of blank
// lines left by template actions to one, and ends the text with one newline.
func tidyText(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, l := range lines {
		l = strings.TrimRight(l, " \t\r")
		if l == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n") + "\n"
}
