-- name: insert_audit
INSERT INTO audit_log (actor, action, subject_type, subject_id, before, after, at)
VALUES ($1, $2, $3, $4, $5, $6, $7);
