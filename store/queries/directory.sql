-- name: search_directory
-- The directory page's search: groups whose name is like $1 (trigram
-- similarity of folded names), only in state $2 and only in city $3 (folded,
-- whole name) when they are not empty.
SELECT id AS group_id, name, city, state, similarity(sb_fold(name), sb_fold($1)) AS score
FROM groups
WHERE status = 'active' AND sb_fold(name) % sb_fold($1)
  AND ($2 = '' OR state = $2)
  AND ($3 = '' OR sb_fold(city) = sb_fold($3))
ORDER BY score DESC, name, id
LIMIT $4;
