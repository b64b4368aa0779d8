package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io/fs"
	"time"

	"github.com/lib/pq"

	"switchboard/directory"
)

// geoTable maps one CSV of directory/data onto one table, column for column.
type geoTable struct {
	table   string
	file    string
	columns []string
}

// geoTables lists the geography tables in load order (data: directory/data,
// see PROVENANCE.md there).
var geoTables = []geoTable{
	{"states", "data/states.csv", []string{"state_fips", "usps", "name", "house_seats", "at_large", "nonvoting_member", "senators"}},
	{"zip_districts", "data/zccd.csv", []string{"state_fips", "state", "zip", "cd"}},
	{"zips", "data/zip_geonames.csv", []string{"zip", "city", "state", "county", "county_fips", "lat", "lon", "accuracy"}},
	{"places", "data/places.csv", []string{"pop_rank", "kind", "name", "state", "lat", "lon"}},
	{"members", "data/members_current.csv", []string{"bioguide", "chamber", "state", "district", "senate_class", "state_rank",
		"party", "first_name", "last_name", "official_full", "term_start", "term_end", "dc_phone", "dc_office", "url",
		"contact_form", "twitter", "facebook", "youtube", "instagram"}},
	{"district_offices", "data/district_offices.csv", []string{"office_id", "bioguide", "member_chamber", "member_state",
		"member_district", "building", "address", "suite", "city", "state", "zip", "phone", "fax", "hours", "latitude", "longitude"}},
}

// loadGeography replaces the geography tables with directory.DataFS in one
// transaction with COPY, unless geo_meta says this exact data is loaded.
func (s *Store) loadGeography(ctx context.Context) error {
	files := make([][]byte, len(geoTables))
	h := sha256.New()
	for i, t := range geoTables {
		b, err := fs.ReadFile(directory.DataFS, t.file)
		if err != nil {
			return fmt.Errorf("load geography: %w", err)
		}
		files[i] = b
		fmt.Fprintf(h, "%s %d\n", t.file, len(b))
		h.Write(b)
	}
	fmt.Fprintf(h, "derived %s\n", derivedZIPsVersion)
	sum := hex.EncodeToString(h.Sum(nil))

	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("load geography: %w", err)
	}
	defer tx.Rollback()
	var loaded string
	if err := tx.GetContext(ctx, &loaded, `SELECT coalesce((SELECT sha256 FROM geo_meta WHERE id = 1 FOR UPDATE), '')`); err != nil {
		return fmt.Errorf("load geography: %w", err)
	}
	if loaded == sum {
		return nil
	}
	now := time.Now()
	for i, t := range geoTables {
		if _, err := tx.ExecContext(ctx, `TRUNCATE `+pq.QuoteIdentifier(t.table)); err != nil {
			return fmt.Errorf("load geography %s: %w", t.table, err)
		}
		rows, err := csv.NewReader(bytes.NewReader(files[i])).ReadAll()
		if err != nil {
			return fmt.Errorf("load geography %s: %w", t.file, err)
		}
		if len(rows) == 0 || len(rows[0]) != len(t.columns) {
			return fmt.Errorf("load geography %s: header has %d columns, want %d", t.file, len(rows[0]), len(t.columns))
		}
		stmt, err := tx.PrepareContext(ctx, pq.CopyIn(t.table, t.columns...))
		if err != nil {
			return fmt.Errorf("load geography %s: %w", t.table, err)
		}
		vals := make([]any, len(t.columns))
		for _, row := range rows[1:] {
			for j, v := range row {
				if v == "" {
					vals[j] = nil
				} else {
					vals[j] = v
				}
			}
			if _, err := stmt.ExecContext(ctx, vals...); err != nil {
				stmt.Close()
				return fmt.Errorf("load geography %s: %w", t.table, err)
			}
		}
		if _, err := stmt.ExecContext(ctx); err != nil {
			stmt.Close()
			return fmt.Errorf("load geography %s: %w", t.table, err)
		}
		if err := stmt.Close(); err != nil {
			return fmt.Errorf("load geography %s: %w", t.table, err)
		}
	}
	if err := loadDerivedZIPs(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO geo_meta (id, sha256, loaded_at) VALUES (1, $1, $2)
		ON CONFLICT (id) DO UPDATE SET sha256 = EXCLUDED.sha256, loaded_at = EXCLUDED.loaded_at`, sum, now); err != nil {
		return fmt.Errorf("load geography: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("load geography: %w", err)
	}
	s.logger.InfoContext(ctx, "geography loaded", "sha256", sum[:12])
	return nil
}
