-- +goose Up
-- Single sign-on (docs/sso.md): the identity a person signs in with at the
-- organisation's OpenID Connect provider. The provider's subject is the link,
-- because it never changes for a person while an email address can; it is
-- only unique within its issuer. An account made by hand is linked at its
-- first sign-in by the verified email; both columns are set together or not
-- at all. Neither is in the data-version trigger (00020): linking changes
-- nothing a page shows.
ALTER TABLE users
    ADD COLUMN oidc_issuer  text,
    ADD COLUMN oidc_subject text,
    ADD CONSTRAINT users_oidc_pair CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL)),
    -- OpenID Connect Core §2: a subject is at most 255 ASCII characters.
    ADD CONSTRAINT users_oidc_subject_check CHECK (length(oidc_subject) BETWEEN 1 AND 255),
    ADD CONSTRAINT users_oidc_identity_key UNIQUE (oidc_issuer, oidc_subject);

-- +goose Down
ALTER TABLE users
    DROP CONSTRAINT users_oidc_identity_key,
    DROP CONSTRAINT users_oidc_subject_check,
    DROP CONSTRAINT users_oidc_pair,
    DROP COLUMN oidc_subject,
    DROP COLUMN oidc_issuer;
