package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lib/pq"

	"switchboard/directory"
)

// groupColumns are the columns of a groups CSV (demo/data/groups.csv), in
// the order they are staged.
var groupColumns = []string{"id", "name", "city", "state", "zip", "district", "latitude", "longitude",
	"public_email", "website", "twitter", "facebook", "leader_name", "leader_email", "status", "updated"}

// RejectedLine is one CSV line that ImportGroups refused.
type RejectedLine struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// ImportReport is what ImportGroups did.
type ImportReport struct {
	ImportID  int64
	Total     int // data rows read
	Imported  int // valid rows now in the directory: Inserted + Updated + Unchanged
	Inserted  int
	Updated   int
	Unchanged int
	Rejected  []RejectedLine
}

var (
	qStateCodes       = q("state_codes")
	qCreateGroupStage = q("create_group_stage")
	qUpsertGroups     = q("upsert_groups")
	qInsertGroupImp   = q("insert_group_import")

	reDistrict = regexp.MustCompile(`^([A-Z]{2})-(\d{2}|AL)$`)
	reZIP      = regexp.MustCompile(`^\d{4,5}$`)
	reTwitter  = regexp.MustCompile(`^@?[A-Za-z0-9_]{1,15}$`)
)

// ImportGroups validates a groups file, upserts the valid rows by id in one
// transaction, and records the import with every rejected line and its
// reason. The file is CSV with the columns of demo/data/groups.csv (any
// order, header row), or a JSON array of objects with those keys (values are
// strings or numbers; a rejected object is reported by the line it starts on).
// Re-importing the same file changes nothing.
func (s *Store) ImportGroups(ctx context.Context, r io.Reader, source, by string) (ImportReport, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return ImportReport{}, fmt.Errorf("import groups: %w", err)
	}
	defer tx.Rollback()
	now := time.Now()

	var codes []string
	if err := tx.SelectContext(ctx, &codes, qStateCodes); err != nil {
		return ImportReport{}, fmt.Errorf("import groups: %w", err)
	}
	states := make(map[string]bool, len(codes))
	for _, c := range codes {
		states[c] = true
	}

	rows, err := groupRows(r)
	if err != nil {
		return ImportReport{}, fmt.Errorf("import groups: %w", err)
	}
	col := rows.columns()

	if _, err := tx.ExecContext(ctx, qCreateGroupStage); err != nil {
		return ImportReport{}, fmt.Errorf("import groups: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn("group_stage", append(groupColumns, "imported_at")...))
	if err != nil {
		return ImportReport{}, fmt.Errorf("import groups: %w", err)
	}
	defer stmt.Close()

	var rep ImportReport
	seen := map[int64]int{}
	for {
		rec, line, err := rows.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var bad badRow
			if errors.As(err, &bad) {
				rep.Total++
				rep.Rejected = append(rep.Rejected, RejectedLine{bad.line, bad.reason})
				continue
			}
			return ImportReport{}, fmt.Errorf("import groups: %w", err)
		}
		rep.Total++
		vals, id, reason := validateGroup(rec, col, states)
		if reason == "" {
			if first, dup := seen[id]; dup {
				reason = fmt.Sprintf("duplicate id %d (first on line %d)", id, first)
			}
		}
		if reason != "" {
			rep.Rejected = append(rep.Rejected, RejectedLine{line, reason})
			continue
		}
		seen[id] = line
		if _, err := stmt.ExecContext(ctx, append(vals, now)...); err != nil {
			return ImportReport{}, fmt.Errorf("import groups: stage line %d: %w", line, err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return ImportReport{}, fmt.Errorf("import groups: stage: %w", err)
	}
	if err := stmt.Close(); err != nil {
		return ImportReport{}, fmt.Errorf("import groups: stage: %w", err)
	}

	var inserted []bool
	if err := tx.SelectContext(ctx, &inserted, qUpsertGroups); err != nil {
		return ImportReport{}, fmt.Errorf("import groups: upsert: %w", err)
	}
	for _, ins := range inserted {
		if ins {
			rep.Inserted++
		} else {
			rep.Updated++
		}
	}
	rep.Unchanged = len(seen) - len(inserted)
	rep.Imported = len(seen)
	rejected := rep.Rejected
	if rejected == nil {
		rejected = []RejectedLine{}
	}
	rj, err := jsonText(rejected)
	if err != nil {
		return ImportReport{}, fmt.Errorf("import groups: %w", err)
	}
	if err := tx.GetContext(ctx, &rep.ImportID, qInsertGroupImp, by, now, source, rep.Total, rep.Inserted,
		rep.Updated, rep.Unchanged, len(rep.Rejected), rj); err != nil {
		return ImportReport{}, fmt.Errorf("import groups: record import: %w", err)
	}
	if err := audit(ctx, tx, by, "groups.import", "group_import", rep.ImportID, nil,
		map[string]any{"source": source, "total": rep.Total, "inserted": rep.Inserted, "updated": rep.Updated,
			"rejected": len(rep.Rejected)}, now); err != nil {
		return ImportReport{}, fmt.Errorf("import groups: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return ImportReport{}, fmt.Errorf("import groups: %w", err)
	}
	s.logger.InfoContext(ctx, "groups imported", "import_id", rep.ImportID, "inserted", rep.Inserted,
		"updated", rep.Updated, "rejected", len(rep.Rejected))
	return rep, nil
}

// validateGroup checks one CSV record and returns the staged values in
// groupColumns order, the id, or the reason the record is refused.
func validateGroup(rec []string, col map[string]int, states map[string]bool) ([]any, int64, string) {
	get := func(name string) string {
		if i := col[name]; i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	if len(rec) != len(col) {
		return nil, 0, fmt.Sprintf("has %d fields, want %d", len(rec), len(col))
	}
	for name, i := range col {
		if n := utf8.RuneCountInString(rec[i]); n > maxFieldLen {
			return nil, 0, fmt.Sprintf("%s is %d characters long; at most %d are allowed", name, n, maxFieldLen)
		}
	}
	id, err := strconv.ParseInt(get("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, 0, fmt.Sprintf("id %q is not a positive integer", get("id"))
	}
	name := get("name")
	if name == "" {
		return nil, id, "name is empty"
	}
	state := strings.ToUpper(get("state"))
	if !states[state] {
		return nil, id, fmt.Sprintf("state %q is not a USPS state code", get("state"))
	}
	zip := get("zip")
	if zip != "" {
		if !reZIP.MatchString(zip) {
			return nil, id, fmt.Sprintf("zip %q is not 5 digits", zip)
		}
		zip = fmt.Sprintf("%05s", zip)
	}
	district := strings.ToUpper(get("district"))
	if district != "" {
		m := reDistrict.FindStringSubmatch(district)
		if m == nil {
			return nil, id, fmt.Sprintf("district %q is not like TX-10 or WY-AL", district)
		}
		if m[1] != state {
			return nil, id, fmt.Sprintf("district %s is not in state %s", district, state)
		}
		if _, ok := directory.MustGeography().CheckDistrict(district); !ok {
			return nil, id, fmt.Sprintf("%s has no district %s (data: directory/data/states.csv)", state, district)
		}
	}
	if zip != "" && !zipInState(zip, state) {
		return nil, id, fmt.Sprintf("zip %s is not in %s (data: directory/data/zip_geonames.csv, zccd.csv)", zip, state)
	}
	lat, latOK, reason := parseCoord(get("latitude"), 90, "latitude")
	if reason != "" {
		return nil, id, reason
	}
	lon, lonOK, reason := parseCoord(get("longitude"), 180, "longitude")
	if reason != "" {
		return nil, id, reason
	}
	if latOK != lonOK {
		return nil, id, "latitude and longitude must both be set or both be empty"
	}
	for _, c := range []string{"public_email", "leader_email"} {
		if v := get(c); v != "" {
			if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
				if c == "leader_email" { // private: the import history must not repeat it
					return nil, id, "leader_email is not an email address"
				}
				return nil, id, fmt.Sprintf("%s %q is not an email address", c, v)
			}
		}
	}
	for _, c := range []string{"website", "facebook"} {
		if v := get(c); v != "" && !isWebURL(v) {
			return nil, id, fmt.Sprintf("%s %q is not an http(s) URL", c, v)
		}
	}
	if v := get("twitter"); v != "" && !reTwitter.MatchString(v) && !isWebURL(v) {
		return nil, id, fmt.Sprintf("twitter %q is not a handle or URL", v)
	}
	status := strings.ToLower(get("status"))
	if status != "active" && status != "inactive" {
		return nil, id, fmt.Sprintf("status %q is not active or inactive", get("status"))
	}
	updated, err := time.Parse(time.DateOnly, get("updated"))
	if err != nil {
		return nil, id, fmt.Sprintf("updated %q is not a date (YYYY-MM-DD)", get("updated"))
	}
	if updated.After(time.Now().AddDate(0, 0, 1)) {
		return nil, id, fmt.Sprintf("updated %s is in the future", get("updated"))
	}
	return []any{id, name, get("city"), state, zip, district, lat, lon, get("public_email"), get("website"),
		get("twitter"), get("facebook"), get("leader_name"), get("leader_email"), status, updated.Format(time.DateOnly)}, id, ""
}

// maxFieldLen bounds every field of an imported row, in characters: longer
// values are not names, addresses or URLs, and would not fit the indexes.
const maxFieldLen = 500

// zipInState reports whether zip may lie in state. A ZIP the reference data
// does not know (newer than the data) is given the benefit of the doubt.
func zipInState(zip, state string) bool {
	geo := directory.MustGeography()
	info, known := geo.ZIPInfo(zip)
	if known && info.State == state {
		return true
	}
	ds := geo.DistrictsForZIP(zip)
	for _, d := range ds {
		if d[:2] == state {
			return true
		}
	}
	return !known && len(ds) == 0
}

// parseCoord parses an optional coordinate within ±limit; nil when empty.
func parseCoord(v string, limit float64, name string) (any, bool, string) {
	if v == "" {
		return nil, false, ""
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < -limit || f > limit {
		return nil, false, fmt.Sprintf("%s %q is not a number within ±%g", name, v, limit)
	}
	return f, true, ""
}

func isWebURL(v string) bool {
	u, err := url.Parse(v)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(v, " \t")
}
