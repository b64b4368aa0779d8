package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"switchboard/store"
)

// TestUserCommands drives `switchboard user add|passwd|role|disable`
// through run, with the password on standard input, against a real
// database.
func TestUserCommands(t *testing.T) {
	dsn := newDatabaseURL(t, true)
	mustCLI(t, dsn, "migrate")
	user := func(stdin string, args ...string) (string, error) {
		t.Helper()
		var out, errOut syncBuffer
		env := testEnv(dsn, &out, &errOut)
		env.Stdin = strings.NewReader(stdin)
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		err := run(ctx, env, append([]string{"user"}, args...))
		return out.String(), err
	}
	ctx := t.Context()
	st, err := store.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	get := func(email string) store.User {
		t.Helper()
		u, err := st.UserByEmail(ctx, email)
		if err != nil {
			t.Fatalf("user %s: %v", email, err)
		}
		return u
	}

	out, err := user("first secret\n", "add", "pat@example.org", "--role", "press", "--name", "Pat Press")
	if err != nil || !strings.Contains(out, "added: pat@example.org (press)") {
		t.Fatalf("user add: %q, %v", out, err)
	}
	u := get("pat@example.org")
	if u.Role != store.RolePress || u.Name != "Pat Press" || u.Disabled || !strings.HasPrefix(u.PasswordHash, "$argon2id$") ||
		strings.Contains(u.PasswordHash, "first secret") {
		t.Errorf("added user %+v", u)
	}
	if _, err := user("another long secret\n", "add", "PAT@example.org"); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("adding the same email again: %v", err)
	}
	if out, err := user("admin long secret\n", "add", "ada@example.org", "--role", "admin"); err != nil || !strings.Contains(out, "two-factor") {
		t.Errorf("admin add: %q, %v", out, err)
	}
	if _, err := user("a long enough secret\n", "add", "bad@example.org", "--role", "owner"); err == nil {
		t.Errorf("an unknown role was accepted")
	}

	if _, err := user("short\n", "add", "short@example.org"); err == nil || !strings.Contains(err.Error(), "at least 12") {
		t.Errorf("a short password was accepted: %v", err)
	}

	before := get("pat@example.org").PasswordHash
	if out, err := user("second secret\r\n", "passwd", "pat@example.org"); err != nil || !strings.Contains(out, "password of pat@example.org changed") {
		t.Fatalf("user passwd: %q, %v", out, err)
	}
	if after := get("pat@example.org").PasswordHash; after == before || !strings.HasPrefix(after, "$argon2id$") {
		t.Errorf("password hash not replaced")
	}
	if _, err := user("a long enough secret\n", "passwd", "nobody@example.org"); err == nil || !strings.Contains(err.Error(), "no user with email") {
		t.Errorf("passwd of a missing user: %v", err)
	}

	if out, err := user("", "role", "pat@example.org", "staff"); err != nil || !strings.Contains(out, "is now staff") {
		t.Fatalf("user role: %q, %v", out, err)
	}
	if u := get("pat@example.org"); u.Role != store.RoleStaff {
		t.Errorf("role is %s, want staff", u.Role)
	}
	if _, err := user("", "role", "pat@example.org", "owner"); err == nil {
		t.Errorf("an unknown role was set")
	}
	var ue usageError
	if _, err := user("", "role", "pat@example.org"); !errors.As(err, &ue) {
		t.Errorf("role without a role: %v, want a usage error", err)
	}

	if out, err := user("", "disable", "pat@example.org"); err != nil || !strings.Contains(out, "disabled") {
		t.Fatalf("user disable: %q, %v", out, err)
	}
	if !get("pat@example.org").Disabled {
		t.Errorf("not disabled")
	}
	if out, err := user("", "disable", "pat@example.org", "--enable"); err != nil || !strings.Contains(out, "enabled") {
		t.Fatalf("user disable --enable: %q, %v", out, err)
	}
	if get("pat@example.org").Disabled {
		t.Errorf("not enabled again")
	}
	if _, err := user("", "frobnicate", "pat@example.org"); !errors.As(err, &ue) {
		t.Errorf("unknown subcommand: %v, want a usage error", err)
	}
	if n := len(mustAudit(t, st, "pat@example.org")); n < 5 {
		t.Errorf("%d audit rows for pat, want one per change", n)
	}
}

// mustAudit returns the actions of the audit rows about the user email.
func mustAudit(t *testing.T, st *store.Store, email string) []string {
	t.Helper()
	rows, err := st.DB().QueryContext(t.Context(), `SELECT a.action FROM audit_log a JOIN staff_users u
		ON a.subject_type = 'user' AND a.subject_id = u.id WHERE lower(u.email) = lower($1) ORDER BY a.id`, email)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
