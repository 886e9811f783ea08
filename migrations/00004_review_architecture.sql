-- +goose Up
-- The SA's decision on each document of the submitted version. A returned
-- document is reviewed again after the SE resubmits; accepted ones carry over
-- (the SE cannot edit them meanwhile).
CREATE TABLE document_reviews (
    pack_id    bigint      NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
    kind       text        NOT NULL CHECK (kind IN ('meddpicc', 'poc', 'commitments', 'stakeholders', 'risks')),
    version    integer     NOT NULL CHECK (version >= 1),
    decision   text        NOT NULL CHECK (decision IN ('accepted', 'accepted_with_questions', 'returned')),
    reason     text        NOT NULL DEFAULT '',
    decided_by bigint      NOT NULL REFERENCES users (id),
    decided_at timestamptz NOT NULL,
    PRIMARY KEY (pack_id, kind),
    CHECK (decision <> 'returned' OR reason <> '')
);

-- Questions the SA asks when accepting with questions, and the SE's answers,
-- kept with them.
CREATE TABLE review_questions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pack_id     bigint      NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
    kind        text        NOT NULL,
    version     integer     NOT NULL,
    question    text        NOT NULL CHECK (question <> ''),
    asked_by    bigint      NOT NULL REFERENCES users (id),
    asked_at    timestamptz NOT NULL,
    answer      text        NOT NULL DEFAULT '',
    answered_by bigint      REFERENCES users (id),
    answered_at timestamptz
);
CREATE INDEX review_questions_pack_idx ON review_questions (pack_id, id);

-- The SA's approve/veto of a big commitment. The fingerprint ties the decision
-- to what was promised: if the SE changes the commitment, it needs deciding
-- again.
CREATE TABLE commitment_decisions (
    pack_id       bigint      NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
    commitment_id text        NOT NULL,
    fingerprint   text        NOT NULL,
    approved      boolean     NOT NULL,
    reason        text        NOT NULL DEFAULT '',
    decided_by    bigint      NOT NULL REFERENCES users (id),
    decided_at    timestamptz NOT NULL,
    PRIMARY KEY (pack_id, commitment_id),
    CHECK (approved OR reason <> '')
);

-- The SA's reference architecture, locked within 30 days of kickoff.
CREATE TABLE reference_architectures (
    pack_id    bigint      PRIMARY KEY REFERENCES packs (id) ON DELETE CASCADE,
    data       jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    updated_at timestamptz NOT NULL,
    updated_by bigint      NOT NULL REFERENCES users (id)
);

CREATE TABLE pack_comments (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pack_id   bigint      NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
    author_id bigint      NOT NULL REFERENCES users (id),
    at        timestamptz NOT NULL,
    body      text        NOT NULL CHECK (length(body) BETWEEN 1 AND 5000)
);
CREATE INDEX pack_comments_pack_idx ON pack_comments (pack_id, id);

-- +goose Down
DROP TABLE pack_comments;
DROP TABLE reference_architectures;
DROP TABLE commitment_decisions;
DROP TABLE review_questions;
DROP TABLE document_reviews;
