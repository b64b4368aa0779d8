-- name: insert_user
INSERT INTO staff_users (email, name, password_hash, role, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $5)
RETURNING id;

-- name: user_by_id
SELECT id, email, name, password_hash, role, totp_secret, disabled, created_at, updated_at
FROM staff_users WHERE id = $1;

-- name: user_by_email
SELECT id, email, name, password_hash, role, totp_secret, disabled, created_at, updated_at
FROM staff_users WHERE lower(email) = lower($1);

-- name: user_by_email_for_update
SELECT id, email, name, password_hash, role, totp_secret, disabled, created_at, updated_at
FROM staff_users WHERE lower(email) = lower($1) FOR UPDATE;

-- name: list_users
SELECT id, email, name, password_hash, role, totp_secret, disabled, created_at, updated_at
FROM staff_users ORDER BY lower(email);

-- name: update_user
UPDATE staff_users SET password_hash = $2, role = $3, totp_secret = $4, disabled = $5, updated_at = $6
WHERE id = $1;

-- name: count_login_failures
SELECT count(*) FROM login_failures WHERE key = $1 AND at > $2;

-- name: insert_login_failure
INSERT INTO login_failures (key, at) VALUES ($1, $2);

-- name: prune_login_failures
DELETE FROM login_failures WHERE at <= $1;

-- name: clear_login_failures
DELETE FROM login_failures WHERE key = $1;
