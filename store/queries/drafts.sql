-- name: draft_for_update
SELECT id, request_id, kind, status, to_addrs, cc_addrs, reply_to, subject, text_body, html_body, in_reply_to,
       "references", group_ids, approved_by, approved_at, content_sha256, coalesce(smtp_message_id, '') AS smtp_message_id,
       attempts, last_error, sent_at, created_at, updated_at, draft_attachment_meta(id) AS attachments
FROM drafts WHERE id = $1 FOR UPDATE;

-- name: awaiting_drafts_for_update
SELECT id, request_id, kind, status, to_addrs, cc_addrs, reply_to, subject, text_body, html_body, in_reply_to,
       "references", group_ids, approved_by, approved_at, content_sha256, coalesce(smtp_message_id, '') AS smtp_message_id,
       attempts, last_error, sent_at, created_at, updated_at, draft_attachment_meta(id) AS attachments
FROM drafts WHERE request_id = $1 AND status = 'awaiting_approval' ORDER BY id FOR UPDATE;

-- name: approve_drafts
UPDATE drafts d SET status = 'approved', approved_by = $2, approved_at = $3, content_sha256 = a.sha, updated_at = $3
FROM unnest($1::bigint[], $4::text[]) AS a (id, sha)
WHERE d.id = a.id;

-- name: reject_drafts
UPDATE drafts SET status = 'rejected', updated_at = $2
WHERE request_id = $1 AND status = 'awaiting_approval';

-- name: claim_draft
-- A retry keeps the Message-ID of the first attempt, so a receiver can tell
-- a repeat.
UPDATE drafts SET status = 'sending', smtp_message_id = coalesce(smtp_message_id, $2), attempts = attempts + 1,
       updated_at = $3
WHERE id = $1
RETURNING id, request_id, kind, status, to_addrs, cc_addrs, reply_to, subject, text_body, html_body, in_reply_to,
          "references", group_ids, approved_by, approved_at, content_sha256, smtp_message_id, attempts, last_error,
          sent_at, created_at, updated_at, draft_attachment_meta(id) AS attachments;

-- name: set_draft_status
UPDATE drafts SET status = $2, last_error = $3, updated_at = $4 WHERE id = $1;

-- name: mark_draft_sent
UPDATE drafts SET status = 'sent', sent_at = $2, last_error = '', updated_at = $2 WHERE id = $1;

-- name: sync_request_status
-- A request follows its drafts once approved: failed when any failed or was
-- left unknown, sent when all are sent, sending while any is under way.
UPDATE requests r SET status = s.status, updated_at = $2
FROM (SELECT CASE
                 WHEN bool_or(status IN ('failed', 'unknown')) THEN 'failed'
                 WHEN bool_and(status = 'sent') THEN 'sent'
                 WHEN bool_or(status IN ('sending', 'sent')) THEN 'sending'
                 ELSE 'approved'
             END AS status
      FROM drafts
      WHERE request_id = $1 AND status <> 'rejected'
      HAVING count(*) > 0) s
WHERE r.id = $1 AND r.status IN ('approved', 'sending', 'failed') AND r.status <> s.status
RETURNING r.status;

-- name: reserve_draft_ids
-- Ids for $1 new drafts, in order, so their attachments can be written in
-- the same transaction without relying on the order of RETURNING.
SELECT nextval(pg_get_serial_sequence('drafts', 'id')) FROM generate_series(1, $1);

-- name: insert_draft_attachments
INSERT INTO draft_attachments (draft_id, position, filename, content_type, size, sha256, data, content_id)
SELECT a.draft_id, a.position, a.filename, a.content_type, length(a.data), a.sha256, a.data, a.content_id
FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::bytea[], $7::text[])
     AS a (draft_id, position, filename, content_type, sha256, data, content_id);

-- name: draft_attachments
SELECT filename, content_type, sha256, size, data, content_id
FROM draft_attachments WHERE draft_id = $1 ORDER BY position;

-- name: supersede_drafts_of_kinds
-- Awaiting drafts of request $1 whose kind is in $2 give way to new ones.
UPDATE drafts SET status = 'rejected', last_error = 'superseded by a staff correction', updated_at = $3
WHERE request_id = $1 AND status = 'awaiting_approval' AND kind = ANY ($2)
RETURNING id;

-- name: set_request_fields
UPDATE requests SET extracted = $2, status = $3, updated_at = $4 WHERE id = $1;
