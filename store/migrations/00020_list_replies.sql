-- +goose Up
-- cube (a trusted contrib extension) gives GiST-indexed points on the globe:
-- radius look-ups ("groups near Austin") and nearest-group ordering (KNN <->).
CREATE EXTENSION IF NOT EXISTS cube;

-- sb_ll_cube places (lat, lon) in degrees on a sphere of radius 3958.8 miles
-- (the mean Earth radius) as a 3-D point, so the Euclidean distance between
-- two points is the chord, which grows with the great-circle distance. Names
-- are schema-qualified so that the function is safe in an index expression.
CREATE FUNCTION sb_ll_cube(lat double precision, lon double precision) RETURNS public.cube
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.cube(ARRAY[3958.8 * cos(radians(lat)) * cos(radians(lon)),
                                   3958.8 * cos(radians(lat)) * sin(radians(lon)),
                                   3958.8 * sin(radians(lat))]) $$;

CREATE INDEX groups_active_ll ON groups USING gist (sb_ll_cube(latitude, longitude))
    WHERE status = 'active';
-- Statewide and district lists read only active groups, in reply order.
CREATE INDEX groups_active_state ON groups (state, city, name, id) WHERE status = 'active';
CREATE INDEX groups_active_district ON groups (district, city, name, id) WHERE status = 'active';
CREATE INDEX groups_active_zip_nodistrict ON groups (zip) WHERE status = 'active' AND district = '';
CREATE INDEX places_kind_name ON places (lower(name), state) WHERE kind = 'place';

-- Files attached to an outgoing mail, e.g. the CSV of a list reply.
CREATE TABLE draft_attachments (
    draft_id     bigint NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
    position     int NOT NULL,
    filename     text NOT NULL,
    content_type text NOT NULL,
    size         bigint NOT NULL,
    sha256       text NOT NULL,
    data         bytea NOT NULL,
    PRIMARY KEY (draft_id, position)
);

-- draft_attachment_meta lists a draft's attachments without their bytes, for
-- the approval hash and the review page.
CREATE FUNCTION draft_attachment_meta(draft bigint) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(jsonb_agg(jsonb_build_object('filename', a.filename, 'content_type', a.content_type,
                                                       'sha256', a.sha256, 'size', a.size) ORDER BY a.position),
                          '[]'::jsonb)
          FROM public.draft_attachments a WHERE a.draft_id = draft $$;

-- +goose Down
DROP FUNCTION draft_attachment_meta(bigint);
DROP TABLE draft_attachments;
DROP INDEX places_kind_name;
DROP INDEX groups_active_zip_nodistrict;
DROP INDEX groups_active_district;
DROP INDEX groups_active_state;
DROP INDEX groups_active_ll;
DROP FUNCTION sb_ll_cube(double precision, double precision);
DROP EXTENSION IF EXISTS cube;
