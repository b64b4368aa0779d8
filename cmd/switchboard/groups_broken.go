package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
)

// brokenJSON is one element of `groups broken --json` (a stable contract):
// public fields only.
type brokenJSON struct {
	GroupID       int64     `json:"group_id"`
	Name          string    `json:"name"`
	City          string    `json:"city"`
	State         string    `json:"state"`
	ContactStatus string    `json:"contact_status"`
	Problems      []string  `json:"problems"`
	Reports       int       `json:"reports"`
	LastReported  time.Time `json:"last_reported"`
}

// runGroupsBroken lists the listings to fix on the public map: groups whose
// contact was reported broken by a leader or bounced our mail, with each
// problem and the date of the last report. It shows public fields only; a
// bounced leader address is shown as "email_bounced(leader)".
func runGroupsBroken(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "groups broken", "groups broken [--limit N] [--json]")
	limit := fs.Int("limit", 100, "at most this many groups, most recently reported first")
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	st, _, err := openStoreEnv(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	ls, err := st.BrokenListings(ctx, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]brokenJSON, 0, len(ls))
		for _, l := range ls {
			out = append(out, brokenJSON{GroupID: l.GroupID, Name: l.Name, City: l.City, State: l.State,
				ContactStatus: l.ContactStatus, Problems: l.Problems, Reports: l.Reports, LastReported: l.LastReported})
		}
		return writeJSON(env.Stdout, out)
	}
	if len(ls) == 0 {
		_, err := fmt.Fprintln(env.Stdout, "No listing is reported broken.")
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tGROUP\tPLACE\tSTATUS\tPROBLEMS\tREPORTS\tLAST REPORTED")
	for _, l := range ls {
		fmt.Fprintf(tw, "%d\t%s\t%s, %s\t%s\t%s\t%d\t%s\n", l.GroupID, clip(l.Name, 40), l.City, l.State, l.ContactStatus,
			strings.Join(l.Problems, " "), l.Reports, l.LastReported.Format(time.DateOnly))
	}
	return tw.Flush()
}
