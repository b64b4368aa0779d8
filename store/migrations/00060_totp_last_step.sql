-- +goose Up
-- The RFC 6238 time step of the last TOTP code accepted for a user: a code
-- is accepted once, and never one of the same or an earlier step.
ALTER TABLE staff_users ADD COLUMN totp_last_step bigint NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE staff_users DROP COLUMN totp_last_step;
