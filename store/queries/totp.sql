-- name: accept_totp_step
-- Records step as the last accepted TOTP step of a user, only when it is
-- later than the one recorded: no row back means the code was used.
UPDATE staff_users SET totp_last_step = $2
WHERE id = $1 AND totp_last_step < $2
RETURNING id;
