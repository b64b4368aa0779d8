package web

import (
	"errors"
	"html/template"
	"net/http"
	"regexp"
	"strconv"

	"github.com/microcosm-cc/bluemonday"

	"switchboard/workflows"
)

// ugc sanitises inbound HTML (DESIGN.md invariant 5): no script, no event
// handlers, no javascript: URLs, no styles. The page's CSP backs it up.
var ugc = bluemonday.UGCPolicy()

// idAttr matches the id and name attributes bluemonday keeps (always
// double-quoted in its output); they are removed so that a mail cannot
// clobber the page's own element ids (e.g. the approve button).
var idAttr = regexp.MustCompile(` (?:id|name)="[^"]*"`)

// sanitise makes inbound HTML safe to show inside the request page.
func sanitise(html string) template.HTML {
	return template.HTML(idAttr.ReplaceAllString(ugc.Sanitize(html), "")) // #nosec: sanitised by bluemonday
}

// requestView is what the request page shows.
type requestView struct {
	Request RequestDetail
	HTML    template.HTML // the message's HTML, sanitised
	Claim   *Claim
	Audit   []AuditEntry
	Kinds   []workflows.Kind
	Open    bool // still waiting for a person: approve, edit, reject, reclassify
	// MailboxRole is the role of the mailbox the message came to: support
	// or press.
	MailboxRole string
	// Edit is a refused draft edit, shown again with its error.
	Edit *draftEditState
}

// draftEditState is a draft edit form as posted, with why it was refused.
type draftEditState struct {
	DraftID             int64
	Subject, Text, HTML string
	Error               string
}

// requestShow shows one request: the message, what was understood, each
// draft as it will be sent, the actions and the history.
func (s *Server) requestShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return s.showRequest(w, r, id, http.StatusOK, nil)
}

// showRequest renders request id's page with status; edit, when not nil, is
// a refused draft edit to show again, open, with its error.
func (s *Server) showRequest(w http.ResponseWriter, r *http.Request, id int64, status int, edit *draftEditState) error {
	ctx := r.Context()
	d, err := s.store.Request(ctx, id)
	if err != nil {
		return err
	}
	v := requestView{Request: d, Kinds: workflows.Kinds, Edit: edit,
		Open: d.Status == workflows.StatusDrafted || d.Status == workflows.StatusNeedsTriage}
	if d.Message.HTMLBody != "" {
		v.HTML = sanitise(d.Message.HTMLBody)
	}
	c, err := s.store.RequestClaim(ctx, id)
	switch {
	case err == nil:
		v.Claim = &c
	case !errors.Is(err, ErrNotFound):
		return err
	}
	if v.Audit, err = s.store.RequestAudit(ctx, id); err != nil {
		return err
	}
	mailboxes, err := s.store.MailboxHealth(ctx)
	if err != nil {
		return err
	}
	for _, m := range mailboxes {
		if m.Address == d.Message.Mailbox {
			v.MailboxRole = m.Role
		}
	}
	return s.render(w, r, status, "request", "Request "+strconv.FormatInt(id, 10), v)
}

// pathID parses the {id} path value.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, ErrNotFound
	}
	return id, nil
}
