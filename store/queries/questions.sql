-- name: questions_sent_as
SELECT d.id AS draft_id, d.request_id, r.extracted
FROM drafts d JOIN requests r ON r.id = d.request_id
WHERE d.kind = $1 AND d.smtp_message_id = ANY ($2)
ORDER BY d.id DESC
