package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"
)

// ContactProblem is one piece of evidence that a group's listed contact
// does not work: from a leader's introduction request (Source "request") or
// from a bounce of our own mail (Source "bounce").
type ContactProblem struct {
	GroupID int64
	// Problem is one of "email_bounced", "url_broken", "twitter_dormant",
	// "facebook_only", "phone_full" (workflows.Fields.Evidence).
	Problem string
	// AddressKind says which listed address bounced: "public", "leader" or "".
	AddressKind string
	Source      string
	RequestID   int64 // 0 when none
	MessageID   int64 // the message that carries the evidence
	DraftID     int64 // our mail that bounced; 0 when none
	ReportedOn  time.Time
	// KeepStatus records the report without changing the group's contact
	// status: the directory contradicts it (a "Facebook only" claim about
	// a group that lists a public email or website).
	KeepStatus bool
}

// BrokenListing is a group whose listing on the public map needs fixing,
// with its public fields only.
type BrokenListing struct {
	GroupID       int64          `db:"id"`
	Name          string         `db:"name"`
	City          string         `db:"city"`
	State         string         `db:"state"`
	ContactStatus string         `db:"contact_status"`
	PublicEmail   string         `db:"public_email"`
	Website       string         `db:"website"`
	Twitter       string         `db:"twitter"`
	Facebook      string         `db:"facebook"`
	LastReported  time.Time      `db:"last_reported"`
	Reports       int            `db:"reports"`
	Problems      pq.StringArray `db:"problems"` // "email_bounced(public)", "url_broken", ...
}

// GroupAddress is a group whose public or leader address is Address.
type GroupAddress struct {
	GroupID     int64  `db:"group_id"`
	AddressKind string `db:"address_kind"` // "public" or "leader"
	Address     string `db:"address"`      // lower case
}

var (
	qInsertContactReport  = q("insert_contact_report")
	qSetContactStatus     = q("set_contact_status")
	qBrokenListings       = q("broken_listings")
	qDraftBySMTPMessageID = q("draft_by_smtp_message_id")
	qGroupsByAddresses    = q("groups_by_addresses")
)

// RecordContactProblems stores ps and sets each group's contact status
// ("bounced" for a bounce of our mail, else "reported_broken", unless the
// problem's KeepStatus), with one audit row per new report, in one
// transaction. A report already stored for
// the same group, problem and message is skipped, so re-processing a
// message adds nothing. It returns how many reports were new.
func (s *Store) RecordContactProblems(ctx context.Context, ps []ContactProblem) (int, error) {
	if len(ps) == 0 {
		return 0, nil
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("record contact problems: %w", err)
	}
	defer tx.Rollback()
	now := time.Now()
	n := 0
	for _, p := range ps {
		var ids []int64
		if err := tx.SelectContext(ctx, &ids, qInsertContactReport, p.GroupID, p.Problem, p.AddressKind, p.Source,
			p.RequestID, p.MessageID, p.DraftID, p.ReportedOn, now); err != nil {
			return 0, fmt.Errorf("record contact problem of group %d: %w", p.GroupID, mapErr(err))
		}
		if len(ids) == 0 {
			continue
		}
		n++
		status := "reported_broken"
		if p.Source == "bounce" {
			status = "bounced"
		}
		after := map[string]any{"problem": p.Problem, "address_kind": p.AddressKind, "source": p.Source,
			"request_id": p.RequestID, "message_id": p.MessageID, "draft_id": p.DraftID,
			"reported_on": p.ReportedOn.Format(time.DateOnly)}
		if p.KeepStatus {
			after["contact_status_kept"] = "the directory lists a public email or website"
		} else {
			var got string
			if err := tx.GetContext(ctx, &got, qSetContactStatus, p.GroupID, status); err != nil {
				return 0, fmt.Errorf("record contact problem of group %d: %w", p.GroupID, mapErr(err))
			}
			after["contact_status"] = got
		}
		if err := audit(ctx, tx, "rules", "group.contact_problem", "group", p.GroupID, nil, after, now); err != nil {
			return 0, fmt.Errorf("record contact problem of group %d: %w", p.GroupID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("record contact problems: %w", err)
	}
	return n, nil
}

// BrokenListings returns up to limit groups whose contact status is not ok,
// most recently reported first.
func (s *Store) BrokenListings(ctx context.Context, limit int) ([]BrokenListing, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []BrokenListing
	if err := s.db.SelectContext(ctx, &out, qBrokenListings, limit); err != nil {
		return nil, fmt.Errorf("list broken listings: %w", err)
	}
	return out, nil
}

// DraftBySMTPMessageID returns the draft sent with Message-ID mid (without
// <>); ErrNotFound when none was.
func (s *Store) DraftBySMTPMessageID(ctx context.Context, mid string) (Draft, error) {
	var d Draft
	if err := s.db.GetContext(ctx, &d, qDraftBySMTPMessageID, mid); err != nil {
		return Draft{}, fmt.Errorf("get draft by message id: %w", mapErr(err))
	}
	return d, nil
}

// GroupsByAddresses returns the groups whose public or leader address is
// one of addrs (any case).
func (s *Store) GroupsByAddresses(ctx context.Context, addrs []string) ([]GroupAddress, error) {
	lower := make([]string, 0, len(addrs))
	for _, a := range addrs {
		if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
			lower = append(lower, a)
		}
	}
	if len(lower) == 0 {
		return nil, nil
	}
	var out []GroupAddress
	if err := s.db.SelectContext(ctx, &out, qGroupsByAddresses, pq.StringArray(lower)); err != nil {
		return nil, fmt.Errorf("find groups by address: %w", err)
	}
	return out, nil
}

// hideLeaderAddresses replaces, in a page of the queue, every From that is
// a group leader's private address (a leader answering our consent request
// writes from it) with "leader of group N": the queue list is no place for
// private addresses (DESIGN invariant 4). One query for the page.
func (s *Store) hideLeaderAddresses(ctx context.Context, reqs []*RequestSummary) error {
	addrs := make([]string, 0, len(reqs))
	for _, r := range reqs {
		addrs = append(addrs, r.From)
	}
	found, err := s.GroupsByAddresses(ctx, addrs)
	if err != nil {
		return fmt.Errorf("list requests: %w", err)
	}
	leaders := map[string]int64{}
	for _, g := range found {
		if g.AddressKind == "leader" {
			leaders[g.Address] = g.GroupID
		}
	}
	for _, r := range reqs {
		if id, ok := leaders[strings.ToLower(strings.TrimSpace(r.From))]; ok {
			r.From = fmt.Sprintf("leader of group %d", id)
		}
	}
	return nil
}
