-- +goose Up
-- The SE's reply to the reason the SA returned a document (DESIGN §3): a
-- returned document goes back changed, or with a reply saying why it stands
-- as it is. One reply per document per returned version, sent with the next
-- submission; the SA's reason is kept beside it, since the review row that
-- held it is cleared when the SE resubmits.
CREATE TABLE return_replies (
    pack_id    bigint      NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
    kind       text        NOT NULL CHECK (kind IN ('meddpicc', 'poc', 'commitments', 'stakeholders', 'risks')),
    version    integer     NOT NULL CHECK (version >= 1),
    reason     text        NOT NULL CHECK (reason <> ''),
    reply      text        NOT NULL CHECK (reply <> ''),
    replied_by bigint      NOT NULL REFERENCES users (id),
    replied_at timestamptz NOT NULL,
    PRIMARY KEY (pack_id, kind, version)
);

-- +goose Down
DROP TABLE return_replies;
