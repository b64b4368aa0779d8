package store

import (
	"context"
	"fmt"
	"strings"
)

var qSearchDirectory = q("search_directory")

// SearchDirectory returns up to limit active groups whose name is like name
// (as FindGroups), best first, but only those in state and in city when
// they are given: a filter, where FindGroups only ranks by place (what the
// pipeline wants when a leader names a place loosely).
func (s *Store) SearchDirectory(ctx context.Context, name, state, city string, limit int) ([]Candidate, error) {
	if limit <= 0 {
		limit = 10
	}
	out := []Candidate{}
	if err := s.db.SelectContext(ctx, &out, qSearchDirectory, name, strings.ToUpper(strings.TrimSpace(state)),
		strings.TrimSpace(city), limit); err != nil {
		return nil, fmt.Errorf("search directory: %w", err)
	}
	return out, nil
}
