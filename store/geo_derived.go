package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"switchboard/directory"
)

// derivedZIPsVersion names the rule that derives the districts of ZIPs
// without a ZCTA; it is part of the geography hash, so changing the rule
// reloads the tables.
const derivedZIPsVersion = "nearest-zcta-same-state-1"

// loadDerivedZIPs adds to zip_districts, marked by derived_from, the PO-box
// and unique ZIPs of zip_geonames.csv that zccd.csv lacks, with the
// districts of the nearest ZCTA of their state (directory.DerivedZIPs;
// directory/data/PROVENANCE.md §4). Then "groups with no recorded district
// whose ZIP lies in it" covers a group at such a ZIP too.
func loadDerivedZIPs(ctx context.Context, tx *sqlx.Tx) error {
	geo, err := directory.LoadGeography()
	if err != nil {
		return fmt.Errorf("load derived ZIP districts: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn("zip_districts", "state_fips", "state", "zip", "cd", "derived_from"))
	if err != nil {
		return fmt.Errorf("load derived ZIP districts: %w", err)
	}
	defer stmt.Close()
	for _, d := range geo.DerivedZIPs() {
		st, ok := geo.StateByCode(d.State)
		if !ok {
			return fmt.Errorf("load derived ZIP districts: ZIP %s: unknown state %q", d.ZIP, d.State)
		}
		for _, dist := range d.Districts {
			cd := 0
			if n := dist[len(d.State)+1:]; n != "AL" {
				if cd, err = strconv.Atoi(n); err != nil {
					return fmt.Errorf("load derived ZIP districts: ZIP %s: district %q: %w", d.ZIP, dist, err)
				}
			}
			if _, err := stmt.ExecContext(ctx, st.FIPS, d.State, d.ZIP, cd, d.FromZCTA); err != nil {
				return fmt.Errorf("load derived ZIP districts: ZIP %s: %w", d.ZIP, err)
			}
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return fmt.Errorf("load derived ZIP districts: %w", err)
	}
	return stmt.Close()
}
