-- name: draft_for_update
SELECT id, request_id, kind, status, to_addrs, cc_addrs, reply_to, subject, text_body, html_body, in_reply_to,
       "references", group_ids, approved_by, approved_at, content_sha256, coalesce(smtp_message_id, '') AS smtp_message_id,
       attempts, last_error, sent_at, created_at, updated_at
FROM drafts WHERE id = $1 FOR UPDATE;

-- name: awaiting_drafts_for_update
SELECT id, request_id, kind, status, to_addrs, cc_addrs, reply_to, subject, text_body, html_body, in_reply_to,
       "references", group_ids, approved_by, approved_at, content_sha256, coalesce(smtp_message_id, '') AS smtp_message_id,
       attempts, last_error, sent_at, created_at, updated_at
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
          sent_at, created_at, updated_at;

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
