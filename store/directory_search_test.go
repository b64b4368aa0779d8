package store

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestSearchDirectoryFilters: the directory's State and City filter, where
// FindGroups only ranks (the QA finding: State=MO still listed MA, OR, WI,
// TX groups).
func TestSearchDirectoryFilters(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	importDemo(t, s)
	all, err := s.SearchDirectory(ctx, "Springfield Indivisible", "", "", 50)
	if err != nil || len(all) < 2 {
		t.Fatalf("unfiltered = %+v, %v", all, err)
	}
	got, err := s.SearchDirectory(ctx, "Springfield Indivisible", "mo", "", 50)
	if err != nil || len(got) == 0 {
		t.Fatalf("state MO = %+v, %v", got, err)
	}
	for _, c := range got {
		if c.State != "MO" {
			t.Errorf("state MO returned %+v", c)
		}
	}
	city := got[0].City
	got, _ = s.SearchDirectory(ctx, "Springfield Indivisible", "MO", strings.ToUpper(city), 50)
	if len(got) == 0 {
		t.Fatalf("no group in %s, MO", city)
	}
	for _, c := range got {
		if c.State != "MO" || !strings.EqualFold(c.City, city) {
			t.Errorf("city %s returned %+v", city, c)
		}
	}
	if got, _ := s.SearchDirectory(ctx, "Springfield Indivisible", "ZZ", "", 50); len(got) != 0 {
		t.Errorf("state ZZ = %+v, want none", got)
	}
}

func TestEditDraftRefusesControlCharactersInSubject(t *testing.T) {
	for _, subj := range []string{"a\r\nBcc: x@example.com", "a\nb", "a\x00", "a\x7f", "a\u0085", "a\u2028"} {
		if err := checkSubject(subj); !errors.Is(err, ErrInvalidSubject) {
			t.Errorf("checkSubject(%q) = %v", subj, err)
		}
	}
	if err := checkSubject("Groups in Boise — näher, 100%"); err != nil {
		t.Errorf("plain subject: %v", err)
	}
	// EditDraft checks before it looks the draft up.
	s := MustOpenTest(t)
	if err := s.EditDraft(context.Background(), 1, "x\r\nBcc: y@example.com", "t", "", "test"); !errors.Is(err, ErrInvalidSubject) {
		t.Errorf("EditDraft with CRLF: %v", err)
	}
}
