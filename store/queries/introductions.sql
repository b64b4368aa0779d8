-- name: insert_introduction
-- One row per introduction request; a second call for the request (a retried
-- process job) changes nothing.
INSERT INTO introductions (request_id, requester_group_id, requester_matched, target_group_id, target_chosen_by,
                           opt_in, state, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
ON CONFLICT (request_id) DO NOTHING;

-- name: upsert_introduction
-- A staff choice of the target replaces what matching decided.
INSERT INTO introductions (request_id, requester_group_id, requester_matched, target_group_id, target_chosen_by,
                           opt_in, state, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
ON CONFLICT (request_id) DO UPDATE SET
    requester_group_id = EXCLUDED.requester_group_id, requester_matched = EXCLUDED.requester_matched,
    target_group_id = EXCLUDED.target_group_id, target_chosen_by = EXCLUDED.target_chosen_by,
    opt_in = EXCLUDED.opt_in, state = EXCLUDED.state, answer_message_id = NULL, answer = '',
    updated_at = EXCLUDED.updated_at;

-- name: introduction
SELECT request_id, requester_group_id, requester_matched, target_group_id, target_chosen_by, opt_in, state,
       answer_message_id, answer, created_at, updated_at
FROM introductions WHERE request_id = $1;

-- name: introduction_for_update
SELECT request_id, requester_group_id, requester_matched, target_group_id, target_chosen_by, opt_in, state,
       answer_message_id, answer, created_at, updated_at
FROM introductions WHERE request_id = $1 FOR UPDATE;

-- name: introduction_by_consent_thread
-- The introduction whose consent request, as sent, has one of the
-- Message-IDs $1 (a reply's In-Reply-To and References).
SELECT i.request_id, i.requester_group_id, i.requester_matched, i.target_group_id, i.target_chosen_by, i.opt_in,
       i.state, i.answer_message_id, i.answer, i.created_at, i.updated_at
FROM drafts d JOIN introductions i ON i.request_id = d.request_id
WHERE d.kind = 'intro_consent' AND d.smtp_message_id = ANY ($1)
ORDER BY d.id DESC
LIMIT 1;

-- name: due_consents
-- Introductions still waiting for the target leader whose consent request
-- was sent before $1.
SELECT i.request_id, i.requester_group_id, i.requester_matched, i.target_group_id, i.target_chosen_by, i.opt_in,
       i.state, i.answer_message_id, i.answer, i.created_at, i.updated_at
FROM introductions i
WHERE i.state = 'awaiting_consent'
  AND EXISTS (SELECT 1 FROM drafts d
              WHERE d.request_id = i.request_id AND d.kind = 'intro_consent' AND d.status = 'sent' AND d.sent_at < $1)
  AND NOT EXISTS (SELECT 1 FROM drafts d
                  WHERE d.request_id = i.request_id AND d.kind = 'intro_consent'
                    AND d.status IN ('awaiting_approval', 'approved', 'sending'))
ORDER BY i.request_id
LIMIT $2;

-- name: set_introduction_outcome
UPDATE introductions SET state = $2, answer = $3, answer_message_id = $4, updated_at = $5 WHERE request_id = $1;

-- name: supersede_intro_drafts
-- Awaiting drafts of request $1 of the introduction kinds give way to a
-- staff choice.
UPDATE drafts SET status = 'rejected', last_error = 'superseded by a staff choice of the group', updated_at = $2
WHERE request_id = $1 AND status = 'awaiting_approval' AND kind IN ('introduction', 'intro_consent', 'intro_note')
RETURNING id;

-- name: insert_contact_report
INSERT INTO contact_reports (group_id, problem, address_kind, source, request_id, message_id, draft_id, reported_on,
                             created_at)
VALUES ($1, $2, $3, $4, nullif($5, 0), $6, nullif($7, 0), $8, $9)
ON CONFLICT (group_id, problem, message_id) DO NOTHING
RETURNING id;

-- name: set_contact_status
-- A bounce of our own mail outranks a leader's report.
UPDATE groups SET contact_status = CASE WHEN $2 = 'bounced' OR contact_status = 'bounced' THEN 'bounced'
                                        ELSE 'reported_broken' END
WHERE id = $1
RETURNING contact_status;

-- name: broken_listings
-- Groups whose listing needs fixing on the public map, most recent report
-- first, with each problem and the date it was last reported. Public fields
-- only.
SELECT g.id, g.name, g.city, g.state, g.contact_status, g.public_email, g.website, g.twitter, g.facebook,
       max(r.reported_on) AS last_reported, count(*) AS reports,
       array_agg(DISTINCT r.problem || CASE WHEN r.address_kind <> '' THEN '(' || r.address_kind || ')' ELSE '' END
                 ORDER BY r.problem || CASE WHEN r.address_kind <> '' THEN '(' || r.address_kind || ')' ELSE '' END) AS problems
FROM groups g JOIN contact_reports r ON r.group_id = g.id
WHERE g.contact_status <> 'ok'
GROUP BY g.id
ORDER BY max(r.reported_on) DESC, g.id
LIMIT $1;

-- name: draft_by_smtp_message_id
SELECT id, request_id, kind, status, to_addrs, cc_addrs, reply_to, subject, text_body, html_body, in_reply_to,
       "references", group_ids, approved_by, approved_at, content_sha256, coalesce(smtp_message_id, '') AS smtp_message_id,
       attempts, last_error, sent_at, created_at, updated_at, draft_attachment_meta(id) AS attachments
FROM drafts WHERE smtp_message_id = $1;

-- name: groups_by_addresses
-- Groups whose public or leader address is one of $1 (lower case), with
-- which of the two it is.
SELECT id AS group_id, 'public' AS address_kind, lower(public_email) AS address
FROM groups WHERE public_email <> '' AND lower(public_email) = ANY ($1)
UNION ALL
SELECT id AS group_id, 'leader' AS address_kind, lower(leader_email) AS address
FROM groups WHERE leader_email <> '' AND lower(leader_email) = ANY ($1)
ORDER BY group_id, address_kind;

-- name: groups_in_place
-- Active groups in a place: the city $1 of state $2, the ZIP $3 or the
-- district $4 (each may be empty), ranked by how well their names match the
-- words of the description $5 (word similarity of folded text).
SELECT id AS group_id, name, city, state,
       greatest(word_similarity(sb_fold(name), sb_fold($5)), word_similarity(sb_fold($5), sb_fold(name))) AS score
FROM groups
WHERE status = 'active'
  AND (($1 <> '' AND $2 <> '' AND state = $2 AND lower(city) = lower($1))
       OR ($3 <> '' AND zip = $3)
       OR ($4 <> '' AND district = $4))
ORDER BY score DESC, name, id
LIMIT $6;

-- name: add_request_reasons
-- Notes for staff about a chosen introduction target, each added once, in
-- order, after the request's reasons.
UPDATE requests
SET reasons = reasons || ARRAY(SELECT r FROM unnest($2::text[]) WITH ORDINALITY AS u(r, n)
                               WHERE r <> ALL (reasons) ORDER BY n)
WHERE id = $1;
