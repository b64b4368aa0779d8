-- +goose Up
-- Full-text search for the staff queue over subject, sender and body. The
-- body is cut at 100,000 characters: a tsvector must stay under 1 MB.
ALTER TABLE messages ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(subject, '')), 'A') ||
    setweight(to_tsvector('simple'::regconfig, coalesce(from_name, '') || ' ' || coalesce(from_addr, '')), 'A') ||
    setweight(to_tsvector('english'::regconfig, left(coalesce(text_body, ''), 100000)), 'B')
) STORED;
CREATE INDEX messages_search ON messages USING gin (search);

-- +goose Down
DROP INDEX messages_search;
ALTER TABLE messages DROP COLUMN search;
