-- +goose Up
-- lz4 compresses raw mail and attachments faster than the default pglz; it is
-- used only when this server was built with lz4.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression'
               AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE messages ALTER COLUMN raw SET COMPRESSION lz4;
        ALTER TABLE attachments ALTER COLUMN data SET COMPRESSION lz4;
    END IF;
END
$$;
-- +goose StatementEnd

-- +goose Down
ALTER TABLE messages ALTER COLUMN raw SET COMPRESSION default;
ALTER TABLE attachments ALTER COLUMN data SET COMPRESSION default;
