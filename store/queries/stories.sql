-- name: insert_story
INSERT INTO stories (request_id, message_id, sender_name, sender_email, subject, body, city, state, district,
                     action_date, date_phrase, consent, consent_sentence, credit, groups, links, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
ON CONFLICT (request_id) DO NOTHING
RETURNING id;

-- name: insert_assets
INSERT INTO assets (story_id, position, kind, filename, content_type, size, sha256, original_key, width, height,
                    preview_key, thumb_key, inline, container, note)
SELECT $1, a.* FROM jsonb_to_recordset($2::jsonb) AS a (position int, kind text, filename text, content_type text,
       size bigint, sha256 text, original_key text, width int, height int, preview_key text, thumb_key text,
       inline boolean, container text, note text);

-- name: story
SELECT s.id, s.request_id, s.message_id, s.sender_name, s.sender_email, s.subject, s.body, s.city, s.state,
       s.district, s.action_date, s.date_phrase, s.consent, s.consent_sentence, s.consent_message_id, s.credit,
       s.groups, s.links, s.status, s.approved_by, s.approved_at, s.created_at, s.updated_at
FROM stories s WHERE s.id = $1;

-- name: story_by_request
SELECT id FROM stories WHERE request_id = $1;

-- name: list_stories
SELECT s.id, s.request_id, s.message_id, s.sender_name, s.sender_email, s.subject, s.body, s.city, s.state,
       s.district, s.action_date, s.date_phrase, s.consent, s.consent_sentence, s.consent_message_id, s.credit,
       s.groups, s.links, s.status, s.approved_by, s.approved_at, s.created_at, s.updated_at
FROM stories s
WHERE ($1 = '' OR s.status = $1) AND ($2::bigint = 0 OR s.id < $2)
ORDER BY s.id DESC LIMIT $3;

-- name: story_assets
SELECT id, story_id, position, kind, filename, content_type, size, sha256, original_key, width, height,
       preview_key, thumb_key, inline, container, note
FROM assets WHERE story_id = ANY ($1) ORDER BY story_id, position;

-- name: approve_story
UPDATE stories SET status = 'approved', approved_by = $2, approved_at = $3, updated_at = $3
WHERE id = $1 AND status = 'new'
RETURNING id;

-- name: story_for_thread
-- The story a reply belongs to: its message is referenced, or the reply
-- answers one of the drafts we sent for it.
SELECT s.id FROM stories s JOIN messages m ON m.id = s.message_id
WHERE m.message_id = ANY ($1)
   OR EXISTS (SELECT 1 FROM drafts d WHERE d.request_id = s.request_id AND d.smtp_message_id = ANY ($1))
ORDER BY s.id DESC LIMIT 1;

-- name: record_consent
UPDATE stories SET consent = $2, consent_sentence = $3, consent_message_id = $4, updated_at = $5
WHERE id = $1;

-- name: mailbox_role
SELECT role FROM mailboxes WHERE address = $1;

-- name: set_mailbox_role
INSERT INTO mailboxes (address, role) VALUES ($1, $2)
ON CONFLICT (address) DO UPDATE SET role = EXCLUDED.role;

-- name: story_group_matches
-- Groups whose name alone is like $1 (no place boost): score is the trigram
-- similarity of the folded names, exact is true when the names are equal
-- once case, accents and punctuation are folded away. Only groups in state
-- $2 when it is known; a group in city $3 first among equals.
SELECT id AS group_id, name, city, state, similarity(sb_fold(name), sb_fold($1)) AS score,
       regexp_replace(sb_fold(name), '[^[:alnum:]]+', '', 'g') = regexp_replace(sb_fold($1), '[^[:alnum:]]+', '', 'g') AS exact
FROM groups
WHERE status = 'active' AND ($2 = '' OR state = $2)
  AND (sb_fold(name) % sb_fold($1)
       OR regexp_replace(sb_fold(name), '[^[:alnum:]]+', '', 'g') = regexp_replace(sb_fold($1), '[^[:alnum:]]+', '', 'g'))
ORDER BY exact DESC, score DESC, ($3 <> '' AND lower(city) = lower($3)) DESC, name, id
LIMIT $4;
