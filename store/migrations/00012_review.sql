-- +goose Up
-- A soft claim: who is reviewing a request now. It blocks nothing; the
-- request page shows it so two people do not review the same mail.
CREATE TABLE request_claims (
    request_id bigint PRIMARY KEY REFERENCES requests (id),
    user_id    bigint NOT NULL REFERENCES staff_users (id),
    claimed_at timestamptz NOT NULL
);

-- Corrections of the classifier by staff, kept as labelled examples.
CREATE TABLE classifier_examples (
    id          bigserial PRIMARY KEY,
    request_id  bigint NOT NULL REFERENCES requests (id),
    message_id  bigint NOT NULL REFERENCES messages (id),
    old_kind    text NOT NULL,
    new_kind    text NOT NULL,
    labelled_by text NOT NULL,
    labelled_at timestamptz NOT NULL
);
CREATE INDEX classifier_examples_request ON classifier_examples (request_id);

CREATE INDEX requests_waiting_created ON requests (created_at) WHERE status IN ('drafted', 'needs_triage');
CREATE INDEX drafts_failed ON drafts (updated_at) WHERE status IN ('failed', 'unknown');

-- +goose Down
DROP INDEX drafts_failed;
DROP INDEX requests_waiting_created;
DROP TABLE classifier_examples, request_claims;
