-- name: search_requests
-- The staff queue: every filter is optional; $4 is a websearch query
-- (PostgreSQL websearch_to_tsquery) over subject, sender and body; $7 is a
-- list of mailbox addresses, any of which matches.
SELECT r.id, coalesce(r.message_id, 0) AS message_id, coalesce(m.message_id, '') AS header_message_id, r.kind, r.status,
       coalesce(m.from_addr, '') AS from_addr, coalesce(m.from_name, '') AS from_name,
       coalesce(m.subject, (SELECT d.subject FROM drafts d WHERE d.request_id = r.id ORDER BY d.id LIMIT 1), '') AS subject,
       r.created_at, m.date, coalesce(b.address, '') AS mailbox,
       coalesce(u.name, u.email, '') AS claimed_by, c.claimed_at
FROM requests r
     LEFT JOIN messages m ON m.id = r.message_id -- a digest has no message (00050_digests.sql)
     LEFT JOIN mailboxes b ON b.id = m.mailbox_id
     LEFT JOIN request_claims c ON c.request_id = r.id
     LEFT JOIN staff_users u ON u.id = c.user_id
WHERE ($1 = '' OR r.status = $1) AND ($2 = '' OR r.kind = $2 OR $2 = ANY (r.kinds)) AND ($3 = '' OR b.address = $3)
  AND ($4 = '' OR coalesce(m.search @@ websearch_to_tsquery('english', $4), false))
  AND ($5 = 0 OR r.id < $5) AND (cardinality($7::text[]) = 0 OR b.address = ANY ($7))
ORDER BY r.id DESC
LIMIT $6;

-- name: status_counts
SELECT status, count(*) AS n FROM requests GROUP BY status ORDER BY status;

-- name: oldest_waiting
SELECT min(created_at) FROM requests WHERE status IN ('drafted', 'needs_triage');

-- name: mailbox_addresses
SELECT address FROM mailboxes ORDER BY address;

-- name: drafts_of_requests
SELECT id, request_id, kind, status, to_addrs, cc_addrs, reply_to, subject, text_body, html_body, in_reply_to,
       "references", group_ids, approved_by, approved_at, content_sha256, coalesce(smtp_message_id, '') AS smtp_message_id,
       attempts, last_error, sent_at, created_at, updated_at
FROM drafts WHERE request_id = ANY ($1) ORDER BY request_id, id;

-- name: draft
SELECT id, request_id, kind, status, to_addrs, cc_addrs, reply_to, subject, text_body, html_body, in_reply_to,
       "references", group_ids, approved_by, approved_at, content_sha256, coalesce(smtp_message_id, '') AS smtp_message_id,
       attempts, last_error, sent_at, created_at, updated_at
FROM drafts WHERE id = $1;

-- name: edit_draft
UPDATE drafts SET subject = $2, text_body = $3, html_body = $4, updated_at = $5 WHERE id = $1;

-- name: claim_request
INSERT INTO request_claims (request_id, user_id, claimed_at) VALUES ($1, $2, $3)
ON CONFLICT (request_id) DO UPDATE SET user_id = excluded.user_id, claimed_at = excluded.claimed_at;

-- name: release_claim
DELETE FROM request_claims WHERE request_id = $1 AND user_id = $2;

-- name: request_claim
SELECT coalesce(nullif(u.name, ''), u.email) AS claimed_by, c.user_id, c.claimed_at
FROM request_claims c JOIN staff_users u ON u.id = c.user_id
WHERE c.request_id = $1;

-- name: request_audit
SELECT id, actor, action, subject_type, subject_id, coalesce(before::text, '') AS before,
       coalesce(after::text, '') AS after, at
FROM audit_log
WHERE (subject_type = 'request' AND subject_id = $1)
   OR (subject_type = 'draft' AND subject_id IN (SELECT id FROM drafts WHERE request_id = $1))
ORDER BY at, id;

-- name: failed_drafts
SELECT d.id AS draft_id, d.request_id, d.status, d.subject, d.to_addrs, d.attempts, d.last_error, d.updated_at
FROM drafts d WHERE d.status IN ('failed', 'unknown')
ORDER BY d.updated_at DESC
LIMIT $1;

-- name: retry_draft
UPDATE drafts SET status = 'approved', last_error = '', updated_at = $2 WHERE id = $1;

-- name: attachment
SELECT a.id, a.message_id, a.filename, a.content_type, a.size, a.sha256, a.content_id, a.inline, a.sent, a.note,
       coalesce(a.data, ''::bytea) AS data, coalesce(r.id, 0) AS request_id
FROM attachments a LEFT JOIN requests r ON r.message_id = a.message_id
WHERE a.id = $1;

-- name: supersede_drafts
UPDATE drafts SET status = 'rejected', last_error = 'superseded by a reclassification', updated_at = $2
WHERE request_id = $1 AND status = 'awaiting_approval';

-- name: delete_candidates
DELETE FROM candidates WHERE request_id = $1;

-- name: reclassify_request
UPDATE requests SET kind = $2, kinds = $3, status = $4, confidence = $5, extracted = $6, reasons = $7,
       classified_by = $8, updated_at = $9
WHERE id = $1;

-- name: insert_classifier_example
INSERT INTO classifier_examples (request_id, message_id, old_kind, new_kind, labelled_by, labelled_at)
VALUES ($1, $2, $3, $4, $5, $6);
