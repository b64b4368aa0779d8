-- +goose Up
-- Press digests: a mail we compose ourselves (the stories approved since the
-- last digest) that goes through the same request → draft → approval → send
-- path as every reply. A digest answers no inbound message, so a request's
-- message becomes optional, but only for a request of kind 'digest': every
-- other request still has exactly one message (CHECK below), and a digest
-- can never be reclassified into a reply kind or given a message.
ALTER TABLE requests ALTER COLUMN message_id DROP NOT NULL;
ALTER TABLE requests ADD CONSTRAINT requests_message_unless_digest
    CHECK ((message_id IS NULL) = (kind = 'digest'));

-- digests: one per digest request, with who or what asked for it.
CREATE TABLE digests (
    id         bigserial PRIMARY KEY,
    request_id bigint NOT NULL UNIQUE REFERENCES requests (id),
    created_by text NOT NULL,
    created_at timestamptz NOT NULL
);

-- digest_stories: the stories a digest carries. A story is "in a digest"
-- while that digest's request is not rejected; Store.CreateDigest takes an
-- advisory lock so two digests never pick the same story.
CREATE TABLE digest_stories (
    digest_id bigint NOT NULL REFERENCES digests (id),
    story_id  bigint NOT NULL REFERENCES stories (id),
    position  int NOT NULL,
    PRIMARY KEY (digest_id, story_id)
);
CREATE INDEX digest_stories_story ON digest_stories (story_id);

-- Inline parts (RFC 2392 Content-ID, referenced as cid: from the HTML) of
-- an outgoing mail, e.g. a digest's thumbnails. '' is an ordinary attachment.
ALTER TABLE draft_attachments ADD COLUMN content_id text NOT NULL DEFAULT '';

-- draft_attachment_meta gains content_id only for inline parts, so the
-- approval hash of a draft without them is what it always was.
CREATE OR REPLACE FUNCTION draft_attachment_meta(draft bigint) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object('filename', a.filename,
                                                       'content_type', a.content_type, 'sha256', a.sha256,
                                                       'size', a.size, 'content_id', nullif(a.content_id, '')))
                                    ORDER BY a.position),
                          '[]'::jsonb)
          FROM public.draft_attachments a WHERE a.draft_id = draft $$;

-- +goose Down
CREATE OR REPLACE FUNCTION draft_attachment_meta(draft bigint) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(jsonb_agg(jsonb_build_object('filename', a.filename, 'content_type', a.content_type,
                                                       'sha256', a.sha256, 'size', a.size) ORDER BY a.position),
                          '[]'::jsonb)
          FROM public.draft_attachments a WHERE a.draft_id = draft $$;
ALTER TABLE draft_attachments DROP COLUMN content_id;
DROP TABLE digest_stories, digests;
DELETE FROM drafts WHERE request_id IN (SELECT id FROM requests WHERE message_id IS NULL);
DELETE FROM audit_log WHERE subject_type = 'request' AND subject_id IN (SELECT id FROM requests WHERE message_id IS NULL);
DELETE FROM requests WHERE message_id IS NULL;
ALTER TABLE requests DROP CONSTRAINT requests_message_unless_digest;
ALTER TABLE requests ALTER COLUMN message_id SET NOT NULL;
