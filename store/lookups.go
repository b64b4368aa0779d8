package store

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"

	"switchboard/directory"
)

var (
	qGroupsInDistricts = q("groups_in_districts")
	qGroupsNear        = q("groups_near")
	qNearestGroups     = q("nearest_groups")
	qCityGroupCounts   = q("city_group_counts")
	qLastGroupImport   = q("last_group_import")
)

// NearGroup is a group with its great-circle distance from a point.
type NearGroup struct {
	directory.Group
	Miles float64 `db:"miles"`
}

// GroupsInDistricts returns the active groups recorded in any of districts
// ("TX-10", "WY-AL") and those with no recorded district whose ZIP overlaps
// one of them (data: directory/data/zccd.csv), each once, ordered by city
// then name.
func (s *Store) GroupsInDistricts(ctx context.Context, districts []string) ([]directory.Group, error) {
	var out []directory.Group
	if err := s.db.SelectContext(ctx, &out, qGroupsInDistricts, pq.StringArray(districts)); err != nil {
		return nil, fmt.Errorf("list groups in districts: %w", err)
	}
	return out, nil
}

// GroupsNear returns the active groups within miles (great-circle) of the
// point lat, lon, ordered by city then name. Groups without coordinates are
// never near anything.
func (s *Store) GroupsNear(ctx context.Context, lat, lon, miles float64) ([]directory.Group, error) {
	var out []directory.Group
	if err := s.db.SelectContext(ctx, &out, qGroupsNear, lat, lon, miles); err != nil {
		return nil, fmt.Errorf("list groups near %.4f,%.4f: %w", lat, lon, err)
	}
	return out, nil
}

// NearestGroups returns the limit active groups nearest to lat, lon,
// nearest first, with their distance in miles.
func (s *Store) NearestGroups(ctx context.Context, lat, lon float64, limit int) ([]NearGroup, error) {
	var out []NearGroup
	if err := s.db.SelectContext(ctx, &out, qNearestGroups, lat, lon, limit); err != nil {
		return nil, fmt.Errorf("list nearest groups: %w", err)
	}
	return out, nil
}

// CityGroupCounts returns how many active groups each of states has in a
// city called city (any case). States without one are absent from the map.
func (s *Store) CityGroupCounts(ctx context.Context, city string, states []string) (map[string]int, error) {
	var rows []struct {
		State  string `db:"state"`
		Groups int    `db:"groups"`
	}
	if err := s.db.SelectContext(ctx, &rows, qCityGroupCounts, city, pq.StringArray(states)); err != nil {
		return nil, fmt.Errorf("count groups in city: %w", err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.State] = r.Groups
	}
	return out, nil
}

// LastGroupImport returns when the directory was last imported, or the zero
// time when it never was.
func (s *Store) LastGroupImport(ctx context.Context) (time.Time, error) {
	var t time.Time
	if err := s.db.GetContext(ctx, &t, qLastGroupImport); err != nil {
		return time.Time{}, fmt.Errorf("get last group import: %w", err)
	}
	if t.Equal(time.Unix(0, 0)) {
		return time.Time{}, nil
	}
	return t, nil
}
