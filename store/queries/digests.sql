-- name: digest_pending_stories
-- Approved stories that no live digest carries (a rejected digest gives its
-- stories back), oldest approval first.
SELECT s.id, s.request_id, s.message_id, s.sender_name, s.sender_email, s.subject, s.body, s.city, s.state,
       s.district, s.action_date, s.date_phrase, s.consent, s.consent_sentence, s.consent_message_id, s.credit,
       s.groups, s.links, s.status, s.approved_by, s.approved_at, s.created_at, s.updated_at
FROM stories s
WHERE s.status = 'approved'
  AND NOT EXISTS (SELECT 1 FROM digest_stories ds JOIN digests g ON g.id = ds.digest_id
                  JOIN requests r ON r.id = g.request_id
                  WHERE ds.story_id = s.id AND r.status <> 'rejected')
ORDER BY s.approved_at, s.id
LIMIT $1;

-- name: digest_lock
-- Serialises digest creation (class 5050 of the two-key advisory locks).
SELECT pg_advisory_xact_lock(5050, 1);

-- name: digest_pending_count
SELECT count(*) FROM stories s
WHERE s.id = ANY ($1) AND s.status = 'approved'
  AND NOT EXISTS (SELECT 1 FROM digest_stories ds JOIN digests g ON g.id = ds.digest_id
                  JOIN requests r ON r.id = g.request_id
                  WHERE ds.story_id = s.id AND r.status <> 'rejected');

-- name: insert_digest_request
INSERT INTO requests (message_id, kind, kinds, status, confidence, extracted, reasons, requester_email,
                      thread_root, classified_by, created_at, updated_at)
VALUES (NULL, 'digest', '{digest}', 'drafted', 1, '{}', $1, '', '', $2, $3, $3)
RETURNING id;

-- name: insert_digest
INSERT INTO digests (request_id, created_by, created_at) VALUES ($1, $2, $3) RETURNING id;

-- name: insert_digest_stories
INSERT INTO digest_stories (digest_id, story_id, position)
SELECT $1, u.story_id, u.ord - 1 FROM unnest($2::bigint[]) WITH ORDINALITY AS u (story_id, ord);

-- name: last_digest_at
-- When the newest digest was made (a rejected one too: the interval runs
-- from it, so a rejected digest is not redrafted at once).
SELECT max(created_at) FROM digests;

-- name: digest_by_request
SELECT g.id, g.request_id, g.created_by, g.created_at,
       coalesce(array_agg(ds.story_id ORDER BY ds.position) FILTER (WHERE ds.story_id IS NOT NULL), '{}') AS story_ids
FROM digests g LEFT JOIN digest_stories ds ON ds.digest_id = g.id
WHERE g.request_id = $1
GROUP BY g.id;
