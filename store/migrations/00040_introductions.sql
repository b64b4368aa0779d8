-- +goose Up
-- introductions: one per introduction request, who asks and whom they mean.
-- A NULL requester_group_id means the requesting group is unknown; a NULL
-- target_group_id means no group is chosen yet (a person picks one).
CREATE TABLE introductions (
    request_id         bigint PRIMARY KEY REFERENCES requests (id),
    requester_group_id bigint REFERENCES groups (id),
    -- how the requester was found: 'email' (sender's address in the
    -- directory), 'name' (a group named in the text or signature) or ''
    requester_matched  text NOT NULL DEFAULT '' CHECK (requester_matched IN ('', 'email', 'name')),
    target_group_id    bigint REFERENCES groups (id),
    -- 'match' when the fuzzy match was strong, else the staff member who chose
    target_chosen_by   text NOT NULL DEFAULT '',
    opt_in             boolean NOT NULL,
    state              text NOT NULL CHECK (state IN ('awaiting_target', 'awaiting_consent', 'introduction_drafted',
                                                      'declined', 'expired')),
    answer_message_id  bigint REFERENCES messages (id),
    answer             text NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX introductions_awaiting_consent ON introductions (request_id) WHERE state = 'awaiting_consent';

-- contact_reports: evidence that a group's listed contact does not work,
-- from an introduction request or from a bounce of our own mail. The group's
-- contact_status sums them up; `switchboard groups broken` lists them.
CREATE TABLE contact_reports (
    id          bigserial PRIMARY KEY,
    group_id    bigint NOT NULL REFERENCES groups (id),
    problem     text NOT NULL CHECK (problem IN ('email_bounced', 'url_broken', 'twitter_dormant', 'facebook_only',
                                                 'phone_full')),
    -- which listed address bounced: 'public' or 'leader' (never the address
    -- itself, so a listing of reports cannot leak a private address)
    address_kind text NOT NULL DEFAULT '' CHECK (address_kind IN ('', 'public', 'leader')),
    source      text NOT NULL CHECK (source IN ('request', 'bounce')),
    request_id  bigint REFERENCES requests (id),
    message_id  bigint NOT NULL REFERENCES messages (id),
    draft_id    bigint REFERENCES drafts (id),
    reported_on date NOT NULL,
    created_at  timestamptz NOT NULL,
    UNIQUE (group_id, problem, message_id)
);
CREATE INDEX contact_reports_group ON contact_reports (group_id, reported_on DESC);
CREATE INDEX groups_contact_status ON groups (contact_status) WHERE contact_status <> 'ok';

-- +goose Down
DROP INDEX groups_contact_status;
DROP TABLE contact_reports, introductions;
