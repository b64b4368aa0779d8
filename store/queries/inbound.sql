-- name: checkpoint
SELECT address, uidvalidity, last_uid FROM mailboxes WHERE address = $1;

-- name: upsert_mailbox
-- Locks the mailbox row for the rest of the transaction, so saves to one
-- mailbox are serialised.
INSERT INTO mailboxes (address, uidvalidity)
VALUES ($1, $2)
ON CONFLICT (address) DO UPDATE SET address = EXCLUDED.address
RETURNING id, uidvalidity, last_uid;

-- name: reset_uidvalidity
UPDATE mailboxes SET uidvalidity = $2, last_uid = 0 WHERE id = $1;

-- name: sighting_message
SELECT message_id FROM message_sightings WHERE mailbox_id = $1 AND uidvalidity = $2 AND uid = $3;

-- name: insert_message
INSERT INTO messages (mailbox_id, dedupe_key, message_id, raw, size, internal_date, received_at)
VALUES ($1, $2, NULLIF($3, ''), $4, $5, $6, $7)
ON CONFLICT (mailbox_id, dedupe_key) DO NOTHING
RETURNING id;

-- name: message_by_dedupe_key
SELECT id FROM messages WHERE mailbox_id = $1 AND dedupe_key = $2;

-- name: insert_sighting
INSERT INTO message_sightings (mailbox_id, uidvalidity, uid, message_id, seen_at)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT DO NOTHING;

-- name: advance_checkpoint
UPDATE mailboxes SET last_uid = GREATEST(last_uid, $2) WHERE id = $1;

-- name: record_poll_ok
INSERT INTO mailboxes (address, last_poll_at) VALUES ($1, $2)
ON CONFLICT (address) DO UPDATE SET last_poll_at = EXCLUDED.last_poll_at, last_error = '';

-- name: record_poll_error
INSERT INTO mailboxes (address, last_error, last_error_at) VALUES ($1, $2, $3)
ON CONFLICT (address) DO UPDATE SET last_error = EXCLUDED.last_error, last_error_at = EXCLUDED.last_error_at;

-- name: mailbox_health
SELECT address, name, role, uidvalidity, last_uid, last_poll_at, last_error, last_error_at
FROM mailboxes ORDER BY address;

-- name: message
SELECT m.id, b.address AS mailbox, m.dedupe_key, coalesce(m.message_id, '') AS message_id, m.raw, m.size,
       coalesce(m.internal_date, m.received_at) AS internal_date, m.received_at, m.parsed_at, m.from_addr, m.from_name, m.reply_to, m.to_addrs, m.cc_addrs,
       m.subject, m.date, m.in_reply_to, m."references", m.content_type, m.text_body, m.html_body,
       m.parse_warnings, m.parse_error
FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id
WHERE m.id = $1;

-- name: save_parsed
UPDATE messages SET parsed_at = $2, from_addr = $3, from_name = $4, reply_to = $5, to_addrs = $6, cc_addrs = $7,
       subject = $8, date = $9, in_reply_to = $10, "references" = $11, content_type = $12, headers = $13,
       dsn = $14, text_body = $15, html_body = $16, parse_warnings = $17, parse_error = $18
WHERE id = $1;

-- name: delete_attachments
DELETE FROM attachments WHERE message_id = $1;

-- name: insert_attachments
INSERT INTO attachments (message_id, position, filename, content_type, size, sha256, content_id, inline, sent, note, data)
SELECT $1, a.position, a.filename, a.content_type, a.size, a.sha256, a.content_id, a.inline, a.sent, a.note, a.data
FROM unnest($2::int[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::bool[], $9::bool[],
            $10::text[], $11::bytea[])
     AS a (position, filename, content_type, size, sha256, content_id, inline, sent, note, data);

-- name: known_message_ids
SELECT message_id FROM messages WHERE message_id = ANY ($1)
UNION
SELECT smtp_message_id FROM drafts WHERE smtp_message_id = ANY ($1);
