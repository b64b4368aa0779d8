package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchboard/workflows"
)

// queueView is what the queue page shows.
type queueView struct {
	Filter    QueueFilter
	Rows      []queueRow
	Counts    []StatusCount
	Total     int
	Oldest    string // age of the oldest request waiting for a person
	Mailboxes []mailboxOption
	// NextURL is the link to the next (older) page, with the same filters.
	NextURL  string
	Kinds    []workflows.Kind
	Statuses []workflows.Status
	Bulk     bool // some rows are list replies that can be approved together
	NextID   int64
}

// mailboxOption is one mailbox of the filter, with its role (support or
// press).
type mailboxOption struct {
	Address  string
	Role     string
	Selected bool
}

// queueRow is one request line, with its drafts when it can be bulk-approved.
type queueRow struct {
	QueueItem
	Bulk   bool
	Drafts []Draft
}

// queue lists requests with filters, full-text search, counts per status and
// the age of the oldest waiting item.
func (s *Server) queue(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	f := QueueFilter{Status: workflows.Status(q.Get("status")), Kind: workflows.Kind(q.Get("kind")),
		Query: strings.TrimSpace(q.Get("q")), Limit: 100}
	for _, m := range q["mailbox"] {
		if m != "" && !slices.Contains(f.Mailboxes, m) {
			f.Mailboxes = append(f.Mailboxes, m)
		}
	}
	if f.Status != "" && !f.Status.Valid() {
		return badRequest("unknown status %q", f.Status)
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return badRequest("unknown kind %q", f.Kind)
	}
	if b := q.Get("before"); b != "" {
		id, err := strconv.ParseInt(b, 10, 64)
		if err != nil {
			return badRequest("bad page")
		}
		f.BeforeID = id
	}
	items, err := s.store.Queue(ctx, f)
	if err != nil {
		return err
	}
	v := queueView{Filter: f, Kinds: workflows.Kinds, Statuses: workflows.Statuses}
	if v.Counts, err = s.store.StatusCounts(ctx); err != nil {
		return err
	}
	for _, c := range v.Counts {
		v.Total += c.N
	}
	oldest, err := s.store.OldestWaiting(ctx)
	if err != nil {
		return err
	}
	if oldest != nil {
		v.Oldest = humanAge(s.cfg.Now().Sub(*oldest))
	}
	mailboxes, err := s.store.MailboxHealth(ctx)
	if err != nil {
		return err
	}
	for _, m := range mailboxes {
		v.Mailboxes = append(v.Mailboxes, mailboxOption{Address: m.Address, Role: m.Role,
			Selected: slices.Contains(f.Mailboxes, m.Address)})
	}

	var bulkIDs []int64
	for _, it := range items {
		row := queueRow{QueueItem: it, Bulk: it.Kind == workflows.KindListRequest && it.Status == workflows.StatusDrafted}
		if row.Bulk {
			bulkIDs = append(bulkIDs, it.ID)
			v.Bulk = true
		}
		v.Rows = append(v.Rows, row)
	}
	if len(bulkIDs) > 0 {
		drafts, err := s.store.DraftsOfRequests(ctx, bulkIDs)
		if err != nil {
			return err
		}
		byReq := map[int64][]Draft{}
		for _, d := range drafts {
			byReq[d.RequestID] = append(byReq[d.RequestID], d)
		}
		for i := range v.Rows {
			v.Rows[i].Drafts = byReq[v.Rows[i].ID]
		}
	}
	if len(items) == f.Limit {
		v.NextID = items[len(items)-1].ID
		next := url.Values{"status": {string(f.Status)}, "kind": {string(f.Kind)}, "q": {f.Query},
			"mailbox": f.Mailboxes, "before": {strconv.FormatInt(v.NextID, 10)}}
		v.NextURL = "/queue?" + next.Encode()
	}
	return s.render(w, r, http.StatusOK, "queue", "Queue", v)
}

// humanAge renders a duration as "3 h 20 min", "2 d 4 h" or "5 min".
func humanAge(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%d d %d h", int(d.Hours())/24, int(d.Hours())%24)
}
