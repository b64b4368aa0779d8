package web

import (
	"errors"
	"net/http"
	"strconv"

	"switchboard/workflows"
)

// queueApprove approves the selected list replies, each through the store's
// Approve (which enqueues its send job in the same transaction). A request
// that is not a drafted list request with only list replies is skipped.
func (s *Server) queueApprove(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := currentUser(ctx)
	if err := r.ParseForm(); err != nil {
		return badRequest("bad form")
	}
	var approved, skipped int
	for _, raw := range r.PostForm["id"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return badRequest("bad request id %q", raw)
		}
		d, err := s.store.Request(ctx, id)
		if errors.Is(err, ErrNotFound) {
			skipped++
			continue
		}
		if err != nil {
			return err
		}
		if !onlyListReplies(d) {
			skipped++
			continue
		}
		err = s.store.Approve(ctx, id, u.Label())
		if errors.Is(err, ErrConflict) {
			skipped++
			continue
		}
		if err != nil {
			return err
		}
		approved++
	}
	s.flash(r, "Approved %d list replies; skipped %d.", approved, skipped)
	http.Redirect(w, r, "/queue?kind=list_request&status=drafted", http.StatusSeeOther)
	return nil
}

// onlyListReplies reports whether every draft awaiting approval of a drafted
// list request is a list reply (the only drafts approved in bulk).
func onlyListReplies(d RequestDetail) bool {
	if d.Kind != workflows.KindListRequest || d.Status != workflows.StatusDrafted {
		return false
	}
	n := 0
	for _, dr := range d.Drafts {
		if dr.Status != workflows.DraftAwaiting {
			continue
		}
		if dr.Kind != workflows.DraftListReply {
			return false
		}
		n++
	}
	return n > 0
}
