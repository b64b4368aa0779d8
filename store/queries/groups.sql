-- name: group
SELECT id, name, city, state, zip, district, coalesce(latitude, 0) AS latitude, coalesce(longitude, 0) AS longitude,
       public_email, website, twitter, facebook, leader_name, leader_email, status, updated
FROM groups WHERE id = $1;

-- name: groups_by_ids
SELECT id, name, city, state, zip, district, coalesce(latitude, 0) AS latitude, coalesce(longitude, 0) AS longitude,
       public_email, website, twitter, facebook, leader_name, leader_email, status, updated
FROM groups WHERE id = ANY ($1) AND status = 'active'
ORDER BY city, name, id;

-- name: groups_in_city
SELECT id, name, city, state, zip, district, coalesce(latitude, 0) AS latitude, coalesce(longitude, 0) AS longitude,
       public_email, website, twitter, facebook, leader_name, leader_email, status, updated
FROM groups WHERE state = $2 AND lower(city) = lower($1) AND status = 'active'
ORDER BY city, name, id;

-- name: groups_in_state
SELECT id, name, city, state, zip, district, coalesce(latitude, 0) AS latitude, coalesce(longitude, 0) AS longitude,
       public_email, website, twitter, facebook, leader_name, leader_email, status, updated
FROM groups WHERE state = $1 AND status = 'active'
ORDER BY city, name, id;

-- name: groups_in_district
-- Groups recorded in the district, and groups with no recorded district whose
-- ZIP overlaps it (data: directory/data/zccd.csv). The two halves are
-- disjoint, and a UNION ALL lets each use its index.
SELECT id, name, city, state, zip, district, coalesce(latitude, 0) AS latitude, coalesce(longitude, 0) AS longitude,
       public_email, website, twitter, facebook, leader_name, leader_email, status, updated
FROM groups
WHERE status = 'active' AND district = $1
UNION ALL
SELECT id, name, city, state, zip, district, coalesce(latitude, 0) AS latitude, coalesce(longitude, 0) AS longitude,
       public_email, website, twitter, facebook, leader_name, leader_email, status, updated
FROM groups
WHERE status = 'active' AND district = ''
  AND zip IN (SELECT zd.zip FROM zip_districts zd WHERE zd.district = $1)
ORDER BY city, name, id;

-- name: find_groups
-- Trigram similarity of folded names (0..1), plus 0.3 when the state matches
-- and 0.2 when the city does. "%" uses the trigram index.
SELECT id AS group_id, name, city, state,
       similarity(sb_fold(name), sb_fold($1))
           + CASE WHEN $2 <> '' AND state = $2 THEN 0.3 ELSE 0 END
           + CASE WHEN $3 <> '' AND lower(city) = lower($3) THEN 0.2 ELSE 0 END AS score
FROM groups
WHERE status = 'active' AND sb_fold(name) % sb_fold($1)
ORDER BY score DESC, name, id
LIMIT $4;

-- name: state_codes
SELECT usps FROM states;

-- name: create_group_stage
CREATE TEMP TABLE group_stage (LIKE groups INCLUDING DEFAULTS) ON COMMIT DROP;

-- name: upsert_groups
INSERT INTO groups (id, name, city, state, zip, district, latitude, longitude, public_email, website, twitter,
                    facebook, leader_name, leader_email, status, updated, imported_at)
SELECT id, name, city, state, zip, district, latitude, longitude, public_email, website, twitter,
       facebook, leader_name, leader_email, status, updated, imported_at
FROM group_stage
ON CONFLICT (id) DO UPDATE SET
    name = EXCLUDED.name, city = EXCLUDED.city, state = EXCLUDED.state, zip = EXCLUDED.zip,
    district = EXCLUDED.district, latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude,
    public_email = EXCLUDED.public_email, website = EXCLUDED.website, twitter = EXCLUDED.twitter,
    facebook = EXCLUDED.facebook, leader_name = EXCLUDED.leader_name, leader_email = EXCLUDED.leader_email,
    status = EXCLUDED.status, updated = EXCLUDED.updated, imported_at = EXCLUDED.imported_at
WHERE (groups.name, groups.city, groups.state, groups.zip, groups.district, groups.latitude, groups.longitude,
       groups.public_email, groups.website, groups.twitter, groups.facebook, groups.leader_name,
       groups.leader_email, groups.status, groups.updated)
      IS DISTINCT FROM
      (EXCLUDED.name, EXCLUDED.city, EXCLUDED.state, EXCLUDED.zip, EXCLUDED.district, EXCLUDED.latitude,
       EXCLUDED.longitude, EXCLUDED.public_email, EXCLUDED.website, EXCLUDED.twitter, EXCLUDED.facebook,
       EXCLUDED.leader_name, EXCLUDED.leader_email, EXCLUDED.status, EXCLUDED.updated)
RETURNING (xmax = 0) AS inserted;

-- name: insert_group_import
INSERT INTO group_imports (imported_by, imported_at, source, total, inserted, updated, unchanged, rejected,
                           rejected_lines)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
RETURNING id;

-- name: group_by_email
-- The group whose leader or public address is email, active ones first.
SELECT id, name, city, state, zip, district, coalesce(latitude, 0) AS latitude, coalesce(longitude, 0) AS longitude,
       public_email, website, twitter, facebook, leader_name, leader_email, status, updated
FROM groups
WHERE lower(leader_email) = lower($1) OR lower(public_email) = lower($1)
ORDER BY status = 'active' DESC, updated DESC, id
LIMIT 1;

-- name: groups_in_districts
-- Active groups recorded in any of the districts $1, and active groups with no
-- recorded district whose ZIP overlaps one of them (data: directory/data/zccd.csv).
-- The halves are disjoint, and IN makes each group appear once even when its
-- ZIP overlaps several of the districts.
SELECT id, name, city, state, zip, district, coalesce(latitude, 0) AS latitude, coalesce(longitude, 0) AS longitude,
       public_email, website, twitter, facebook, leader_name, leader_email, status, updated
FROM groups
WHERE status = 'active' AND district = ANY ($1)
UNION ALL
SELECT id, name, city, state, zip, district, coalesce(latitude, 0) AS latitude, coalesce(longitude, 0) AS longitude,
       public_email, website, twitter, facebook, leader_name, leader_email, status, updated
FROM groups
WHERE status = 'active' AND district = ''
  AND zip IN (SELECT zd.zip FROM zip_districts zd WHERE zd.district = ANY ($1))
ORDER BY city, name, id;

-- name: groups_near
-- Active groups within $3 miles (great circle) of ($1, $2). The box test uses
-- the GiST index; the chord test is exact: chord = 2R sin(d / 2R), R = 3958.8.
SELECT id, name, city, state, zip, district, coalesce(latitude, 0) AS latitude, coalesce(longitude, 0) AS longitude,
       public_email, website, twitter, facebook, leader_name, leader_email, status, updated
FROM groups
WHERE status = 'active'
  AND sb_ll_cube(latitude, longitude) <@ cube_enlarge(sb_ll_cube($1, $2), 2 * 3958.8 * sin($3 / (2 * 3958.8)), 3)
  AND sb_ll_cube(latitude, longitude) <-> sb_ll_cube($1, $2) <= 2 * 3958.8 * sin($3 / (2 * 3958.8))
ORDER BY city, name, id;

-- name: nearest_groups
-- The $3 active groups nearest to ($1, $2) by the GiST index (KNN), with
-- their great-circle distance in miles.
SELECT id, name, city, state, zip, district, latitude, longitude,
       public_email, website, twitter, facebook, leader_name, leader_email, status, updated,
       2 * 3958.8 * asin(least(1, (sb_ll_cube(latitude, longitude) <-> sb_ll_cube($1, $2)) / (2 * 3958.8))) AS miles
FROM groups
WHERE status = 'active' AND latitude IS NOT NULL
ORDER BY sb_ll_cube(latitude, longitude) <-> sb_ll_cube($1, $2), id
LIMIT $3;

-- name: city_group_counts
-- Active groups in the city $1 (any case) of each state of $2.
SELECT state, count(*) AS groups
FROM groups
WHERE status = 'active' AND lower(city) = lower($1) AND state = ANY ($2)
GROUP BY state;

-- name: last_group_import
SELECT coalesce(max(imported_at), 'epoch'::timestamptz) FROM group_imports;

-- name: list_groups
-- A page of the directory for staff, by id; empty filters match everything.
SELECT id, name, city, state, zip, district, coalesce(latitude, 0) AS latitude, coalesce(longitude, 0) AS longitude,
       public_email, website, twitter, facebook, leader_name, leader_email, status, updated
FROM groups
WHERE ($1 = '' OR state = $1) AND ($2 = '' OR lower(city) = lower($2)) AND ($3 = '' OR status = $3) AND id > $4
ORDER BY id
LIMIT $5;

-- name: group_for_update
SELECT id, name, city, state, zip, district, coalesce(latitude, 0) AS latitude, coalesce(longitude, 0) AS longitude,
       public_email, website, twitter, facebook, leader_name, leader_email, status, updated
FROM groups WHERE id = $1 FOR UPDATE;

-- name: set_group_status
UPDATE groups SET status = $2 WHERE id = $1;

-- name: set_group_contact
UPDATE groups SET public_email = $2, website = $3, twitter = $4, facebook = $5 WHERE id = $1;

-- name: export_groups
-- Every group in the import layout of demo/data/groups.csv, by id.
SELECT id, name, city, state, zip, district, coalesce(latitude::text, '') AS latitude,
       coalesce(longitude::text, '') AS longitude, public_email, website, twitter, facebook, leader_name,
       leader_email, status, to_char(updated, 'YYYY-MM-DD') AS updated
FROM groups
ORDER BY id;

-- name: group_imports
SELECT id, imported_by, imported_at, source, total, inserted, updated, unchanged, rejected, rejected_lines
FROM group_imports
ORDER BY id DESC
LIMIT $1;
