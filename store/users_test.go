package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"switchboard/store"
)

func TestUsersAndLoginFailures(t *testing.T) {
	st := store.MustOpenTest(t)
	ctx := context.Background()
	id, err := st.CreateUser(ctx, "Ann@Example.org", "Ann", "hash1", store.RoleStaff, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(ctx, "ann@example.org", "", "h", store.RoleStaff, "test"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("duplicate email (other case): %v, want ErrConflict", err)
	}
	if _, err := st.CreateUser(ctx, "bob@example.org", "", "h", "root", "test"); err == nil {
		t.Error("invalid role accepted")
	}
	if err := st.SetRole(ctx, "ANN@example.org", store.RoleAdmin, "test"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetDisabled(ctx, "ann@example.org", true, "test"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetPassword(ctx, "ann@example.org", "hash2", "test"); err != nil {
		t.Fatal(err)
	}
	u, err := st.UserByID(ctx, id)
	if err != nil || u.Role != store.RoleAdmin || !u.Disabled || u.PasswordHash != "hash2" {
		t.Errorf("user %+v %v", u, err)
	}
	if err := st.SetRole(ctx, "nobody@example.org", store.RoleStaff, "test"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown user: %v, want ErrNotFound", err)
	}

	keys := []string{"account:ann@example.org", "ip:192.0.2.1"}
	for range 3 {
		if err := st.RecordLoginFailure(ctx, keys, time.Now().Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := st.LoginFailures(ctx, keys[1], time.Now().Add(-time.Minute)); n != 3 {
		t.Errorf("%d failures, want 3", n)
	}
	if err := st.ClearLoginFailures(ctx, keys[0]); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.LoginFailures(ctx, keys[0], time.Now().Add(-time.Minute)); n != 0 {
		t.Errorf("%d failures after clear, want 0", n)
	}
	// Old failures are pruned when new ones are recorded.
	if err := st.RecordLoginFailure(ctx, []string{"ip:198.51.100.1"}, time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.LoginFailures(ctx, keys[1], time.Time{}); n != 0 {
		t.Errorf("%d old failures kept, want 0", n)
	}
}
