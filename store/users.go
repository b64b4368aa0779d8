package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Roles of staff users.
const (
	RoleAdmin = "admin" // everything, including user accounts
	RoleStaff = "staff" // the queue, the directory, failed sends, mailbox health
	RolePress = "press" // the stories page only
)

// ValidRole reports whether role is one of the roles.
func ValidRole(role string) bool {
	return role == RoleAdmin || role == RoleStaff || role == RolePress
}

// User is one staff account of the web UI.
type User struct {
	ID           int64     `db:"id"`
	Email        string    `db:"email"`
	Name         string    `db:"name"`
	PasswordHash string    `db:"password_hash"` // argon2id, PHC string form
	Role         string    `db:"role"`
	TOTPSecret   string    `db:"totp_secret"` // base32 (RFC 6238), "" when not enrolled
	Disabled     bool      `db:"disabled"`
	CreatedAt    time.Time `db:"created_at"`
	UpdatedAt    time.Time `db:"updated_at"`
}

var (
	qInsertUser           = q("insert_user")
	qUserByID             = q("user_by_id")
	qUserByEmail          = q("user_by_email")
	qUserByEmailForUpdate = q("user_by_email_for_update")
	qListUsers            = q("list_users")
	qUpdateUser           = q("update_user")
)

// CreateUser adds a user with an already hashed password and writes an audit
// row. An email already taken (any case) is ErrConflict.
func (s *Store) CreateUser(ctx context.Context, email, name, passwordHash, role, by string) (int64, error) {
	email = strings.TrimSpace(email)
	if email == "" || !strings.Contains(email, "@") {
		return 0, fmt.Errorf("create user: invalid email %q", email)
	}
	if !ValidRole(role) {
		return 0, fmt.Errorf("create user %s: invalid role %q", email, role)
	}
	if passwordHash == "" {
		return 0, fmt.Errorf("create user %s: a password is required", email)
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("create user %s: %w", email, err)
	}
	defer tx.Rollback()
	now := time.Now()
	var id int64
	if err := tx.GetContext(ctx, &id, qInsertUser, email, name, passwordHash, role, now); err != nil {
		return 0, fmt.Errorf("create user %s: %w", email, mapErr(err))
	}
	if err := audit(ctx, tx, by, "user.create", "user", id, nil, map[string]any{"email": email, "role": role}, now); err != nil {
		return 0, fmt.Errorf("create user %s: %w", email, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("create user %s: %w", email, err)
	}
	return id, nil
}

// UserByID returns user id.
func (s *Store) UserByID(ctx context.Context, id int64) (User, error) {
	var u User
	if err := s.db.GetContext(ctx, &u, qUserByID, id); err != nil {
		return User{}, fmt.Errorf("get user %d: %w", id, mapErr(err))
	}
	return u, nil
}

// UserByEmail returns the user with email (any case).
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	var u User
	if err := s.db.GetContext(ctx, &u, qUserByEmail, strings.TrimSpace(email)); err != nil {
		return User{}, fmt.Errorf("get user %s: %w", email, mapErr(err))
	}
	return u, nil
}

// Users lists every user by email.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	var out []User
	if err := s.db.SelectContext(ctx, &out, qListUsers); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

// SetPassword replaces the password hash of the user with email.
func (s *Store) SetPassword(ctx context.Context, email, passwordHash, by string) error {
	if passwordHash == "" {
		return fmt.Errorf("set password of %s: a password is required", email)
	}
	return s.updateUser(ctx, email, by, "user.passwd", func(u *User) (any, any) {
		u.PasswordHash = passwordHash
		return nil, nil
	})
}

// SetRole changes the role of the user with email.
func (s *Store) SetRole(ctx context.Context, email, role, by string) error {
	if !ValidRole(role) {
		return fmt.Errorf("set role of %s: invalid role %q", email, role)
	}
	return s.updateUser(ctx, email, by, "user.role", func(u *User) (any, any) {
		before := map[string]any{"role": u.Role}
		u.Role = role
		return before, map[string]any{"role": role}
	})
}

// SetDisabled disables (or enables again) the user with email. A disabled
// user cannot log in, and the web UI refuses its open sessions.
func (s *Store) SetDisabled(ctx context.Context, email string, disabled bool, by string) error {
	return s.updateUser(ctx, email, by, "user.disable", func(u *User) (any, any) {
		before := map[string]any{"disabled": u.Disabled}
		u.Disabled = disabled
		return before, map[string]any{"disabled": disabled}
	})
}

// SetTOTPSecret enrols (secret non-empty) or removes (secret "") the TOTP
// second factor of the user with email.
func (s *Store) SetTOTPSecret(ctx context.Context, email, secret, by string) error {
	return s.updateUser(ctx, email, by, "user.totp", func(u *User) (any, any) {
		before := map[string]any{"totp": u.TOTPSecret != ""}
		u.TOTPSecret = secret
		return before, map[string]any{"totp": secret != ""}
	})
}

// updateUser locks the user with email, applies change and writes the row
// and an audit row (never with secrets) in one transaction.
func (s *Store) updateUser(ctx context.Context, email, by, action string, change func(*User) (before, after any)) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s %s: %w", action, email, err)
	}
	defer tx.Rollback()
	now := time.Now()
	u, err := userForUpdate(ctx, tx, email)
	if err != nil {
		return fmt.Errorf("%s %s: %w", action, email, err)
	}
	before, after := change(&u)
	if _, err := tx.ExecContext(ctx, qUpdateUser, u.ID, u.PasswordHash, u.Role, u.TOTPSecret, u.Disabled, now); err != nil {
		return fmt.Errorf("%s %s: %w", action, email, err)
	}
	if err := audit(ctx, tx, by, action, "user", u.ID, before, after, now); err != nil {
		return fmt.Errorf("%s %s: %w", action, email, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s %s: %w", action, email, err)
	}
	return nil
}

func userForUpdate(ctx context.Context, tx *sqlx.Tx, email string) (User, error) {
	var u User
	if err := tx.GetContext(ctx, &u, qUserByEmailForUpdate, strings.TrimSpace(email)); err != nil {
		return User{}, mapErr(err)
	}
	return u, nil
}
