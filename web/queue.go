package web

import (
	"fmt"
	"net/http"
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
	Mailboxes []string
	Kinds     []workflows.Kind
	Statuses  []workflows.Status
	Bulk      bool // some rows are list replies that can be approved together
	NextID    int64
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
		Mailbox: q.Get("mailbox"), Query: strings.TrimSpace(q.Get("q")), Limit: 100}
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
	if v.Mailboxes, err = s.store.MailboxAddresses(ctx); err != nil {
		return err
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
