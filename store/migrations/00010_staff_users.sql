-- +goose Up
-- Staff accounts of the web UI. Passwords are argon2id hashes in PHC form;
-- totp_secret is the base32 RFC 6238 secret, empty until enrolled.
CREATE TABLE staff_users (
    id            bigserial PRIMARY KEY,
    email         text NOT NULL,
    name          text NOT NULL DEFAULT '',
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('admin', 'staff', 'press')),
    totp_secret   text NOT NULL DEFAULT '',
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX staff_users_email ON staff_users (lower(email));

-- Web sessions, in the shape github.com/alexedwards/scs/postgresstore uses.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Failed logins, for the rate limit: one row per failure, keyed by
-- "account:EMAIL" or "ip:ADDR". Rows older than the window are deleted as
-- new ones arrive, so the table stays bounded by the limit times the keys.
CREATE TABLE login_failures (
    key text NOT NULL,
    at  timestamptz NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

-- +goose Down
DROP TABLE login_failures, sessions, staff_users;
