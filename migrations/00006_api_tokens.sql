-- +goose Up
-- Bearer tokens for the CRM API (DESIGN §7). Only the SHA-256 of a token is
-- kept: the token itself is shown once, when it is created. A token is never
-- deleted, only revoked, so the list keeps who had access and when.
CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash   bytea       NOT NULL CHECK (length(token_hash) = 32),
    created_by   bigint      REFERENCES users (id), -- NULL when made with the CLI
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    CONSTRAINT api_tokens_name_key UNIQUE (name),
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
);

-- +goose Down
DROP TABLE api_tokens;
