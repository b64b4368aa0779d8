package web

import (
	"errors"
	"html/template"
	"net/http"
	"regexp"
	"slices"
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
	// ListAsk: the request asks for a list, so its place can be corrected;
	// IntroAsk: it asks for an introduction, so its target can be picked.
	ListAsk, IntroAsk bool
	// Place is the place form: the extracted place, or a refused
	// correction as posted, with its error.
	Place placeForm
	// TargetError is why a picked target group was refused.
	TargetError string
}

// placeForm is the place correction form of the request page.
type placeForm struct {
	City, State, ZIP, District string
	Error                      string
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
	return s.renderRequest(w, r, id, status, requestView{Edit: edit})
}

// renderRequest renders request id's page with status; v carries the
// refused form (draft edit, place, target) to show again with its error.
func (s *Server) renderRequest(w http.ResponseWriter, r *http.Request, id int64, status int, v requestView) error {
	ctx := r.Context()
	d, err := s.store.Request(ctx, id)
	if err != nil {
		return err
	}
	v.Request, v.Kinds = d, workflows.Kinds
	v.Open = d.Status == workflows.StatusDrafted || d.Status == workflows.StatusNeedsTriage
	v.ListAsk = d.Kind == workflows.KindListRequest || slices.Contains(d.Kinds, string(workflows.KindListRequest))
	v.IntroAsk = d.Kind == workflows.KindIntroduction || slices.Contains(d.Kinds, string(workflows.KindIntroduction))
	if v.Place == (placeForm{}) {
		// One place, as `queue set` takes it: city and state, else the ZIP,
		// else the district.
		switch f := d.Fields; {
		case f.State != "":
			v.Place = placeForm{City: f.City, State: f.State}
		case f.ZIP != "":
			v.Place = placeForm{ZIP: f.ZIP}
		default:
			v.Place = placeForm{District: f.District}
		}
	}
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
