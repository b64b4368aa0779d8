-- +goose Up
CREATE INDEX groups_leader_email ON groups (lower(leader_email));
CREATE INDEX groups_public_email ON groups (lower(public_email));

-- +goose Down
DROP INDEX groups_public_email;
DROP INDEX groups_leader_email;
