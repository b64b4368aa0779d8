-- +goose Up
-- stories: one per submission request, for the press team.
CREATE TABLE stories (
    id               bigserial PRIMARY KEY,
    request_id       bigint NOT NULL UNIQUE REFERENCES requests (id),
    message_id       bigint NOT NULL REFERENCES messages (id),
    sender_name      text NOT NULL DEFAULT '',
    sender_email     text NOT NULL DEFAULT '',
    subject          text NOT NULL DEFAULT '',
    body             text NOT NULL DEFAULT '',
    city             text NOT NULL DEFAULT '',
    state            text NOT NULL DEFAULT '',
    district         text NOT NULL DEFAULT '',
    action_date      date,
    date_phrase      text NOT NULL DEFAULT '',
    consent          text NOT NULL DEFAULT 'unknown' CHECK (consent IN ('given', 'refused', 'unknown')),
    consent_sentence text NOT NULL DEFAULT '',
    -- the message that carried the answer, when it came later in the thread
    consent_message_id bigint REFERENCES messages (id),
    credit           text NOT NULL DEFAULT '',
    groups           jsonb NOT NULL DEFAULT '[]',
    links            jsonb NOT NULL DEFAULT '[]',
    status           text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'approved', 'rejected')),
    approved_by      text NOT NULL DEFAULT '',
    approved_at      timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);
CREATE INDEX stories_status ON stories (status, approved_at);
CREATE INDEX stories_message ON stories (message_id);

-- assets: every file of a story. Bytes live in the blob store under
-- content-addressed keys, so one photo sent twice is stored once.
CREATE TABLE assets (
    id             bigserial PRIMARY KEY,
    story_id       bigint NOT NULL REFERENCES stories (id),
    position       int NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('image', 'video', 'file')),
    filename       text NOT NULL DEFAULT '',
    content_type   text NOT NULL DEFAULT '',
    size           bigint NOT NULL,
    sha256         text NOT NULL,
    original_key   text NOT NULL,
    width          int NOT NULL DEFAULT 0,
    height         int NOT NULL DEFAULT 0,
    -- the upright JPEG without metadata: the preview and the press copy
    preview_key    text NOT NULL DEFAULT '',
    thumb_key      text NOT NULL DEFAULT '',
    inline         boolean NOT NULL DEFAULT false,
    container      text NOT NULL DEFAULT '',
    note           text NOT NULL DEFAULT '',
    UNIQUE (story_id, position)
);
CREATE INDEX assets_sha256 ON assets (sha256);

-- +goose Down
DROP TABLE assets, stories;
