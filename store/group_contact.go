package store

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"switchboard/directory"
)

var qSetGroupContact = q("set_group_contact")

// ErrInvalidContact is a group contact SetGroupContact refuses; the error
// wrapping it says which field and why, in the import's words.
var ErrInvalidContact = errors.New("invalid contact")

// GroupContact is the public contact of a group, as the directory lists it.
// An empty field is no contact of that kind.
type GroupContact struct {
	PublicEmail string
	Website     string
	Twitter     string
	Facebook    string
}

// fields returns c as the audit row's map, by import column.
func (c GroupContact) fields() map[string]any {
	return map[string]any{"public_email": c.PublicEmail, "website": c.Website, "twitter": c.Twitter,
		"facebook": c.Facebook}
}

// checkContact validates c as the import validates those columns
// (validateGroup): an error wrapping ErrInvalidContact names the field.
func checkContact(c GroupContact) error {
	for _, f := range []struct{ name, v string }{
		{"public_email", c.PublicEmail}, {"website", c.Website}, {"twitter", c.Twitter}, {"facebook", c.Facebook},
	} {
		if n := utf8.RuneCountInString(f.v); n > maxFieldLen {
			return fmt.Errorf("%w: %s is %d characters long; at most %d are allowed", ErrInvalidContact, f.name, n, maxFieldLen)
		}
	}
	if v := c.PublicEmail; v != "" {
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
			return fmt.Errorf("%w: public_email %q is not an email address", ErrInvalidContact, v)
		}
	}
	for _, f := range []struct{ name, v string }{{"website", c.Website}, {"facebook", c.Facebook}} {
		if f.v != "" && !isWebURL(f.v) {
			return fmt.Errorf("%w: %s %q is not an http(s) URL", ErrInvalidContact, f.name, f.v)
		}
	}
	if v := c.Twitter; v != "" && !reTwitter.MatchString(v) && !isWebURL(v) {
		return fmt.Errorf("%w: twitter %q is not a handle or URL", ErrInvalidContact, v)
	}
	return nil
}

// SetGroupContact replaces the public contact of group id (fields trimmed,
// then validated as the import does), with an audit row of the four fields
// before and after, in one transaction. A refused field is an error
// wrapping ErrInvalidContact; an unknown group is ErrNotFound.
func (s *Store) SetGroupContact(ctx context.Context, id int64, c GroupContact, by string) error {
	c = GroupContact{PublicEmail: strings.TrimSpace(c.PublicEmail), Website: strings.TrimSpace(c.Website),
		Twitter: strings.TrimSpace(c.Twitter), Facebook: strings.TrimSpace(c.Facebook)}
	if err := checkContact(c); err != nil {
		return err
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set contact of group %d: %w", id, err)
	}
	defer tx.Rollback()
	now := time.Now()
	var g directory.Group
	if err := tx.GetContext(ctx, &g, qGroupForUpdate, id); err != nil {
		return fmt.Errorf("set contact of group %d: %w", id, mapErr(err))
	}
	before := GroupContact{PublicEmail: g.PublicEmail, Website: g.Website, Twitter: g.Twitter, Facebook: g.Facebook}
	if before == c {
		return nil
	}
	if _, err := tx.ExecContext(ctx, qSetGroupContact, id, c.PublicEmail, c.Website, c.Twitter, c.Facebook); err != nil {
		return fmt.Errorf("set contact of group %d: %w", id, err)
	}
	if err := audit(ctx, tx, by, "group.set_contact", "group", id, before.fields(), c.fields(), now); err != nil {
		return fmt.Errorf("set contact of group %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set contact of group %d: %w", id, err)
	}
	return nil
}
