-- +goose Up
-- People who log in. Email is stored lower-cased so uniqueness is
-- case-insensitive; only argon2id hashes are ever stored, and a NULL hash means
-- the person has not set a password yet (they were sent a one-time link).
CREATE TABLE users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           text        NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role            text        NOT NULL CHECK (role IN ('se', 'sa', 'manager', 'admin')),
    password_hash   text        CHECK (password_hash LIKE '$argon2id$%'),
    active          boolean     NOT NULL DEFAULT true,
    -- Bumped on deactivation and password change; a session minted under an
    -- older value stops working at its next request.
    session_version integer     NOT NULL DEFAULT 1,
    last_login_at   timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email)
);

-- Server-side sessions, in the shape alexedwards/scs's pgxstore reads.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea       NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Failed logins, kept a short while so every app instance sees the same limit.
CREATE TABLE login_failures (
    key text        NOT NULL, -- 'ip:203.0.113.7' or 'email:ann@example.com'
    at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_key_at_idx ON login_failures (key, at);

-- One-time set-password links. Only a SHA-256 of the token is stored: the
-- link itself is shown once to the admin who made it.
CREATE TABLE password_tokens (
    token_hash bytea       PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_tokens_user_idx ON password_tokens (user_id);

-- +goose Down
DROP TABLE password_tokens;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
