package store

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"switchboard/directory"
)

var (
	qGroup            = q("group")
	qGroupsByIDs      = q("groups_by_ids")
	qGroupsInCity     = q("groups_in_city")
	qGroupsInState    = q("groups_in_state")
	qGroupsInDistrict = q("groups_in_district")
	qFindGroups       = q("find_groups")
	qGroupByEmail     = q("group_by_email")
)

// GroupByEmail returns the group whose leader or public address is email
// (any case), preferring an active one; ErrNotFound when there is none.
func (s *Store) GroupByEmail(ctx context.Context, email string) (directory.Group, error) {
	var g directory.Group
	if err := s.db.GetContext(ctx, &g, qGroupByEmail, email); err != nil {
		return directory.Group{}, fmt.Errorf("get group by email: %w", mapErr(err))
	}
	return g, nil
}

// Group returns group id, active or not.
func (s *Store) Group(ctx context.Context, id int64) (directory.Group, error) {
	var g directory.Group
	if err := s.db.GetContext(ctx, &g, qGroup, id); err != nil {
		return directory.Group{}, fmt.Errorf("get group %d: %w", id, mapErr(err))
	}
	return g, nil
}

// GroupsByIDs returns the active groups among ids, ordered by city then name.
func (s *Store) GroupsByIDs(ctx context.Context, ids []int64) ([]directory.Group, error) {
	var out []directory.Group
	if err := s.db.SelectContext(ctx, &out, qGroupsByIDs, pq.Int64Array(ids)); err != nil {
		return nil, fmt.Errorf("list groups by id: %w", err)
	}
	return out, nil
}

// GroupsInCity returns the active groups in city (any case) of state,
// ordered by city then name.
func (s *Store) GroupsInCity(ctx context.Context, city, state string) ([]directory.Group, error) {
	var out []directory.Group
	if err := s.db.SelectContext(ctx, &out, qGroupsInCity, city, state); err != nil {
		return nil, fmt.Errorf("list groups in city: %w", err)
	}
	return out, nil
}

// GroupsInState returns the active groups of state, ordered by city then
// name.
func (s *Store) GroupsInState(ctx context.Context, state string) ([]directory.Group, error) {
	var out []directory.Group
	if err := s.db.SelectContext(ctx, &out, qGroupsInState, state); err != nil {
		return nil, fmt.Errorf("list groups in state: %w", err)
	}
	return out, nil
}

// GroupsInDistrict returns the active groups recorded in district ("TX-10",
// "WY-AL") and those with no recorded district whose ZIP overlaps it, each
// once, ordered by city then name.
func (s *Store) GroupsInDistrict(ctx context.Context, district string) ([]directory.Group, error) {
	var out []directory.Group
	if err := s.db.SelectContext(ctx, &out, qGroupsInDistrict, district); err != nil {
		return nil, fmt.Errorf("list groups in district: %w", err)
	}
	return out, nil
}

// FindGroups returns up to limit active groups whose name is like name
// (trigram similarity of unaccented, lower-cased names), best first; a group
// in state, or in city, scores higher. state and city may be empty.
func (s *Store) FindGroups(ctx context.Context, name, state, city string, limit int) ([]Candidate, error) {
	if limit <= 0 {
		limit = 10
	}
	var out []Candidate
	if err := s.db.SelectContext(ctx, &out, qFindGroups, name, state, city, limit); err != nil {
		return nil, fmt.Errorf("find groups: %w", err)
	}
	return out, nil
}
