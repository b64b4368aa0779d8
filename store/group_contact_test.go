package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestSetGroupContact(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	importDemo(t, s)
	old, err := s.Group(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	c := GroupContact{PublicEmail: "hello@example.org", Website: "https://example.org/group",
		Twitter: "@example_grp", Facebook: ""}
	if err := s.SetGroupContact(ctx, 1, GroupContact{PublicEmail: " hello@example.org ", Website: c.Website,
		Twitter: c.Twitter}, "staff"); err != nil {
		t.Fatal(err)
	}
	g, err := s.Group(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := (GroupContact{g.PublicEmail, g.Website, g.Twitter, g.Facebook}); got != c {
		t.Errorf("contact after = %+v, want %+v", got, c)
	}
	if g.Name != old.Name || g.LeaderEmail != old.LeaderEmail || g.Status != old.Status {
		t.Errorf("other fields changed: %+v -> %+v", old, g)
	}
	var before, after []byte
	if err := s.db.QueryRowContext(ctx, `SELECT before, after FROM audit_log WHERE action = 'group.set_contact'
		AND subject_type = 'group' AND subject_id = 1 AND actor = 'staff'`).Scan(&before, &after); err != nil {
		t.Fatalf("audit row: %v", err)
	}
	var b, a map[string]string
	if err := json.Unmarshal(before, &b); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(after, &a); err != nil {
		t.Fatal(err)
	}
	wantB := map[string]string{"public_email": old.PublicEmail, "website": old.Website, "twitter": old.Twitter, "facebook": old.Facebook}
	wantA := map[string]string{"public_email": c.PublicEmail, "website": c.Website, "twitter": c.Twitter, "facebook": ""}
	for k := range wantA {
		if b[k] != wantB[k] || a[k] != wantA[k] {
			t.Errorf("audit %s: %q -> %q, want %q -> %q", k, b[k], a[k], wantB[k], wantA[k])
		}
	}
	if len(a) != 4 || len(b) != 4 {
		t.Errorf("audit fields: %v %v", b, a)
	}
	// The same contact again changes nothing and writes no row.
	if err := s.SetGroupContact(ctx, 1, c, "staff"); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s, `SELECT count(*) FROM audit_log WHERE action = 'group.set_contact'`); n != 1 {
		t.Errorf("audit rows = %d", n)
	}
	// A twitter URL and empty fields are allowed.
	if err := s.SetGroupContact(ctx, 1, GroupContact{Twitter: "https://twitter.com/example"}, "staff"); err != nil {
		t.Errorf("twitter URL: %v", err)
	}

	long := "https://example.org/" + strings.Repeat("a", maxFieldLen)
	for _, bad := range []struct {
		c    GroupContact
		want string
	}{
		{GroupContact{PublicEmail: "not an address"}, "public_email"},
		{GroupContact{PublicEmail: "Ann <ann@example.org>"}, "public_email"},
		{GroupContact{Website: "example.org"}, "website"},
		{GroupContact{Website: "ftp://example.org"}, "website"},
		{GroupContact{Website: "https://exa mple.org"}, "website"},
		{GroupContact{Facebook: "javascript:alert(1)"}, "facebook"},
		{GroupContact{Twitter: "not a handle!"}, "twitter"},
		{GroupContact{Twitter: "@waytoolonghandle_x"}, "twitter"},
		{GroupContact{Website: long}, "at most 500"},
	} {
		err := s.SetGroupContact(ctx, 1, bad.c, "staff")
		if !errors.Is(err, ErrInvalidContact) || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("SetGroupContact(%+v) = %v, want ErrInvalidContact about %s", bad.c, err, bad.want)
		}
	}
	if g, _ := s.Group(ctx, 1); g.Twitter != "https://twitter.com/example" || g.Website != "" {
		t.Errorf("a refused contact changed the group: %+v", g)
	}
	if err := s.SetGroupContact(ctx, 999999, c, "staff"); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetGroupContact(999999) = %v, want ErrNotFound", err)
	}
}
