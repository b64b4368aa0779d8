-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- sb_fold folds a name for fuzzy matching: accents removed, lower case.
-- unaccent(text) is only STABLE; naming the dictionary makes this IMMUTABLE
-- so it can back an index.
CREATE FUNCTION sb_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

CREATE TABLE mailboxes (
    id           bigserial PRIMARY KEY,
    address      text NOT NULL UNIQUE,
    name         text NOT NULL DEFAULT '',
    role         text NOT NULL DEFAULT 'support' CHECK (role IN ('support', 'press')),
    uidvalidity  bigint NOT NULL DEFAULT 0,
    last_uid     bigint NOT NULL DEFAULT 0,
    last_poll_at timestamptz,
    last_error   text NOT NULL DEFAULT '',
    last_error_at timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE messages (
    id             bigserial PRIMARY KEY,
    mailbox_id     bigint NOT NULL REFERENCES mailboxes (id),
    dedupe_key     text NOT NULL,
    message_id     text,
    raw            bytea NOT NULL,
    size           bigint NOT NULL,
    internal_date  timestamptz,
    received_at    timestamptz NOT NULL,
    parsed_at      timestamptz,
    from_addr      text NOT NULL DEFAULT '',
    from_name      text NOT NULL DEFAULT '',
    reply_to       jsonb NOT NULL DEFAULT '[]',
    to_addrs       jsonb NOT NULL DEFAULT '[]',
    cc_addrs       jsonb NOT NULL DEFAULT '[]',
    subject        text NOT NULL DEFAULT '',
    date           timestamptz,
    in_reply_to    text[] NOT NULL DEFAULT '{}',
    "references"   text[] NOT NULL DEFAULT '{}',
    content_type   text NOT NULL DEFAULT '',
    headers        jsonb NOT NULL DEFAULT '{}',
    dsn            jsonb,
    text_body      text NOT NULL DEFAULT '',
    html_body      text NOT NULL DEFAULT '',
    parse_warnings text[] NOT NULL DEFAULT '{}',
    parse_error    text NOT NULL DEFAULT '',
    UNIQUE (mailbox_id, dedupe_key)
);
CREATE INDEX messages_message_id ON messages (message_id);

CREATE TABLE message_sightings (
    mailbox_id  bigint NOT NULL REFERENCES mailboxes (id),
    uidvalidity bigint NOT NULL,
    uid         bigint NOT NULL,
    message_id  bigint NOT NULL REFERENCES messages (id),
    seen_at     timestamptz NOT NULL,
    PRIMARY KEY (mailbox_id, uidvalidity, uid)
);
CREATE INDEX message_sightings_message ON message_sightings (message_id);

CREATE TABLE attachments (
    id           bigserial PRIMARY KEY,
    message_id   bigint NOT NULL REFERENCES messages (id),
    position     int NOT NULL,
    filename     text NOT NULL DEFAULT '',
    content_type text NOT NULL DEFAULT '',
    size         bigint NOT NULL,
    sha256       text NOT NULL,
    content_id   text NOT NULL DEFAULT '',
    inline       boolean NOT NULL DEFAULT false,
    sent         boolean NOT NULL DEFAULT false,
    note         text NOT NULL DEFAULT '',
    data         bytea,
    UNIQUE (message_id, position)
);

CREATE TABLE requests (
    id              bigserial PRIMARY KEY,
    message_id      bigint NOT NULL UNIQUE REFERENCES messages (id),
    kind            text NOT NULL,
    kinds           text[] NOT NULL DEFAULT '{}',
    status          text NOT NULL,
    confidence      double precision NOT NULL DEFAULT 0,
    extracted       jsonb NOT NULL DEFAULT '{}',
    reasons         text[] NOT NULL DEFAULT '{}',
    requester_email text NOT NULL DEFAULT '',
    thread_root     text NOT NULL DEFAULT '',
    classified_by   text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX requests_status ON requests (status, id DESC);
CREATE INDEX requests_kind ON requests (kind, id DESC);
CREATE INDEX requests_thread_root ON requests (thread_root);

CREATE TABLE drafts (
    id              bigserial PRIMARY KEY,
    request_id      bigint NOT NULL REFERENCES requests (id),
    kind            text NOT NULL,
    status          text NOT NULL,
    to_addrs        jsonb NOT NULL DEFAULT '[]',
    cc_addrs        jsonb NOT NULL DEFAULT '[]',
    reply_to        jsonb NOT NULL DEFAULT '[]',
    subject         text NOT NULL DEFAULT '',
    text_body       text NOT NULL DEFAULT '',
    html_body       text NOT NULL DEFAULT '',
    in_reply_to     text NOT NULL DEFAULT '',
    "references"    text[] NOT NULL DEFAULT '{}',
    group_ids       bigint[] NOT NULL DEFAULT '{}',
    approved_by     text NOT NULL DEFAULT '',
    approved_at     timestamptz,
    content_sha256  text NOT NULL DEFAULT '',
    smtp_message_id text UNIQUE,
    attempts        int NOT NULL DEFAULT 0,
    last_error      text NOT NULL DEFAULT '',
    sent_at         timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX drafts_request ON drafts (request_id);

CREATE TABLE groups (
    id           bigint PRIMARY KEY,
    name         text NOT NULL,
    city         text NOT NULL DEFAULT '',
    state        text NOT NULL,
    zip          text NOT NULL DEFAULT '',
    district     text NOT NULL DEFAULT '',
    latitude     double precision,
    longitude    double precision,
    public_email text NOT NULL DEFAULT '',
    website      text NOT NULL DEFAULT '',
    twitter      text NOT NULL DEFAULT '',
    facebook     text NOT NULL DEFAULT '',
    leader_name  text NOT NULL DEFAULT '',
    leader_email text NOT NULL DEFAULT '',
    status       text NOT NULL CHECK (status IN ('active', 'inactive')),
    updated      date NOT NULL,
    contact_status text NOT NULL DEFAULT 'ok',
    imported_at  timestamptz NOT NULL
);
CREATE INDEX groups_name_trgm ON groups USING gin (sb_fold(name) gin_trgm_ops);
CREATE INDEX groups_state_city ON groups (state, lower(city), name);
CREATE INDEX groups_district ON groups (district);
CREATE INDEX groups_zip ON groups (zip);

CREATE TABLE candidates (
    request_id bigint NOT NULL REFERENCES requests (id),
    group_id   bigint NOT NULL REFERENCES groups (id),
    score      double precision NOT NULL,
    PRIMARY KEY (request_id, group_id)
);

CREATE TABLE group_imports (
    id             bigserial PRIMARY KEY,
    imported_by    text NOT NULL,
    imported_at    timestamptz NOT NULL,
    source         text NOT NULL,
    total          int NOT NULL,
    inserted       int NOT NULL,
    updated        int NOT NULL,
    unchanged      int NOT NULL,
    rejected       int NOT NULL,
    rejected_lines jsonb NOT NULL DEFAULT '[]'
);

CREATE TABLE audit_log (
    id           bigserial PRIMARY KEY,
    actor        text NOT NULL,
    action       text NOT NULL,
    subject_type text NOT NULL,
    subject_id   bigint NOT NULL,
    before       jsonb,
    after        jsonb,
    at           timestamptz NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject_type, subject_id, at);

-- Geography, loaded from directory/data by Store.Migrate (see geo.go).
CREATE TABLE geo_meta (
    id        int PRIMARY KEY CHECK (id = 1),
    sha256    text NOT NULL,
    loaded_at timestamptz NOT NULL
);

CREATE TABLE states (
    state_fips       text NOT NULL,
    usps             text PRIMARY KEY,
    name             text NOT NULL,
    house_seats      int,
    at_large         boolean,
    nonvoting_member text,
    senators         int
);

CREATE TABLE zip_districts (
    state_fips text NOT NULL,
    state      text NOT NULL,
    zip        text NOT NULL,
    cd         int NOT NULL,
    district   text GENERATED ALWAYS AS
        (state || '-' || CASE WHEN cd = 0 THEN 'AL' ELSE lpad(cd::text, 2, '0') END) STORED,
    PRIMARY KEY (zip, state, cd)
);
CREATE INDEX zip_districts_district ON zip_districts (district, zip);

CREATE TABLE zips (
    zip         text PRIMARY KEY,
    city        text,
    state       text,
    county      text,
    county_fips text,
    lat         double precision,
    lon         double precision,
    accuracy    int
);
CREATE INDEX zips_state_city ON zips (state, lower(city));

CREATE TABLE places (
    pop_rank int,
    kind     text,
    name     text,
    state    text,
    lat      double precision,
    lon      double precision
);
CREATE INDEX places_state_name ON places (state, lower(name));
CREATE INDEX places_name ON places (lower(name));

CREATE TABLE members (
    bioguide     text PRIMARY KEY,
    chamber      text,
    state        text,
    district     int,
    senate_class int,
    state_rank   text,
    party        text,
    first_name   text,
    last_name    text,
    official_full text,
    term_start   date,
    term_end     date,
    dc_phone     text,
    dc_office    text,
    url          text,
    contact_form text,
    twitter      text,
    facebook     text,
    youtube      text,
    instagram    text
);
CREATE INDEX members_state_district ON members (state, district);

CREATE TABLE district_offices (
    office_id       text PRIMARY KEY,
    bioguide        text,
    member_chamber  text,
    member_state    text,
    member_district int,
    building        text,
    address         text,
    suite           text,
    city            text,
    state           text,
    zip             text,
    phone           text,
    fax             text,
    hours           text,
    latitude        double precision,
    longitude       double precision
);
CREATE INDEX district_offices_bioguide ON district_offices (bioguide);

-- +goose Down
DROP TABLE district_offices, members, places, zips, zip_districts, states, geo_meta,
    audit_log, group_imports, candidates, groups, drafts, requests, attachments,
    message_sightings, messages, mailboxes;
DROP FUNCTION sb_fold(text);
