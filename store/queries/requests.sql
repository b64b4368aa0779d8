-- name: insert_request
-- The requester is the first Reply-To, else From (RFC 5322 §3.6.2); the
-- thread root is the oldest Reference, else In-Reply-To, else the message.
INSERT INTO requests (message_id, kind, kinds, status, confidence, extracted, reasons, requester_email,
                      thread_root, classified_by, created_at, updated_at)
SELECT m.id, $2, $3, $4, $5, $6, $7,
       coalesce(nullif(m.reply_to -> 0 ->> 'address', ''), m.from_addr),
       coalesce(m."references"[1], m.in_reply_to[1], m.message_id, ''),
       $8, $9, $9
FROM messages m
WHERE m.id = $1
ON CONFLICT (message_id) DO NOTHING
RETURNING id;

-- name: request_id_by_message
SELECT id FROM requests WHERE message_id = $1;

-- name: insert_drafts
-- Drafts from a jsonb array; a draft without an id gets the next one.
INSERT INTO drafts (id, request_id, kind, status, to_addrs, cc_addrs, reply_to, subject, text_body, html_body,
                    in_reply_to, "references", group_ids, created_at, updated_at)
SELECT coalesce(d.id, nextval(pg_get_serial_sequence('drafts', 'id'))), $1, d.kind, $3, coalesce(d.to_addrs, '[]'), coalesce(d.cc_addrs, '[]'), coalesce(d.reply_to, '[]'),
       coalesce(d.subject, ''), coalesce(d.text_body, ''), coalesce(d.html_body, ''), coalesce(d.in_reply_to, ''),
       coalesce(d."references", '{}'), coalesce(d.group_ids, '{}'), $4, $4
FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e (doc, ord)
     CROSS JOIN LATERAL jsonb_to_record(e.doc)
     AS d (id bigint, kind text, to_addrs jsonb, cc_addrs jsonb, reply_to jsonb, subject text, text_body text, html_body text,
           in_reply_to text, "references" text[], group_ids bigint[])
ORDER BY e.ord;

-- name: insert_candidates
INSERT INTO candidates (request_id, group_id, score)
SELECT $1, c.group_id, c.score FROM unnest($2::bigint[], $3::float8[]) AS c (group_id, score)
ON CONFLICT DO NOTHING;

-- name: list_requests
SELECT r.id, coalesce(r.message_id, 0) AS message_id, coalesce(m.message_id, '') AS header_message_id, r.kind, r.status,
       coalesce(m.from_addr, '') AS from_addr, coalesce(m.from_name, '') AS from_name,
       coalesce(m.subject, (SELECT d.subject FROM drafts d WHERE d.request_id = r.id ORDER BY d.id LIMIT 1), '') AS subject, r.created_at,
       m.date
FROM requests r LEFT JOIN messages m ON m.id = r.message_id -- a digest has no message (00050_digests.sql)
WHERE ($1 = '' OR r.status = $1) AND ($2 = '' OR r.kind = $2) AND ($3 = 0 OR r.id < $3)
ORDER BY r.id DESC
LIMIT $4;

-- name: request
SELECT id, coalesce(message_id, 0) AS message_id, kind, kinds, status, confidence, extracted, reasons, requester_email, thread_root,
       classified_by, created_at, updated_at
FROM requests WHERE id = $1;

-- name: request_for_update
SELECT id, coalesce(message_id, 0) AS message_id, kind, kinds, status, confidence, extracted, reasons, requester_email, thread_root,
       classified_by, created_at, updated_at
FROM requests WHERE id = $1 FOR UPDATE;

-- name: message_headers
SELECT m.id, b.address AS mailbox, m.dedupe_key, coalesce(m.message_id, '') AS message_id, ''::bytea AS raw, m.size,
       coalesce(m.internal_date, m.received_at) AS internal_date, m.received_at, m.parsed_at, m.from_addr, m.from_name, m.reply_to, m.to_addrs, m.cc_addrs,
       m.subject, m.date, m.in_reply_to, m."references", m.content_type, m.text_body, m.html_body,
       m.parse_warnings, m.parse_error
FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id
WHERE m.id = $1;

-- name: request_drafts
SELECT id, request_id, kind, status, to_addrs, cc_addrs, reply_to, subject, text_body, html_body, in_reply_to,
       "references", group_ids, approved_by, approved_at, content_sha256, coalesce(smtp_message_id, '') AS smtp_message_id,
       attempts, last_error, sent_at, created_at, updated_at, draft_attachment_meta(id) AS attachments
FROM drafts WHERE request_id = $1 ORDER BY id;

-- name: request_candidates
SELECT c.group_id, g.name, g.city, g.state, c.score
FROM candidates c JOIN groups g ON g.id = c.group_id
WHERE c.request_id = $1
ORDER BY c.score DESC, g.name;

-- name: message_attachments
SELECT id, message_id, filename, content_type, size, sha256, content_id, inline, sent, note
FROM attachments WHERE message_id = $1 ORDER BY position;

-- name: set_request_status
UPDATE requests SET status = $2, updated_at = $3 WHERE id = $1;
