package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"switchboard/directory"
	"switchboard/store"
)

// printSearch prints the groups matched by "groups search", best match
// first, with the match score (store.FindGroups: trigram similarity of the
// names, plus a bonus for the state and city) and public fields only.
func printSearch(ctx context.Context, w io.Writer, st *store.Store, cs []store.Candidate) error {
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.GroupID
	}
	gs, err := st.GroupsByIDs(ctx, ids)
	if err != nil {
		return err
	}
	byID := make(map[int64]directory.Group, len(gs))
	for _, g := range gs {
		byID[g.ID] = g
	}
	if len(gs) == 0 {
		_, err := fmt.Fprintln(w, "No groups match.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCORE\tID\tNAME\tCITY\tSTATE\tDISTRICT\tSTATUS\tEMAIL\tWEBSITE")
	for _, c := range cs {
		g, ok := byID[c.GroupID]
		if !ok {
			continue // made inactive since the search
		}
		p := g.Public()
		fmt.Fprintf(tw, "%.2f\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Score, p.ID, clip(p.Name, 40), p.City, p.State,
			p.District, g.Status, p.PublicEmail, p.Website)
	}
	return tw.Flush()
}
