-- +goose Up
-- The SA's look back at how accurate a handoff was, at the lock and again at
-- first value: a mark on every commitment and risk of the accepted version
-- and what surfaced that the pack missed (data), with the counts the
-- accuracy is computed from kept beside it so stats add them up in SQL.
-- assessed_on is the org's day of the assessment; quarters group by it.
CREATE TABLE handoff_assessments (
    pack_id      bigint      NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
    stage        text        NOT NULL CHECK (stage IN ('lock', 'first_value')),
    data         jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    held         integer     NOT NULL CHECK (held >= 0),
    under_scoped integer     NOT NULL CHECK (under_scoped >= 0),
    wrong        integer     NOT NULL CHECK (wrong >= 0),
    surfaced     integer     NOT NULL CHECK (surfaced >= 0),
    se_id        bigint      NOT NULL REFERENCES users (id),
    assessed_on  date        NOT NULL,
    assessed_by  bigint      NOT NULL REFERENCES users (id),
    assessed_at  timestamptz NOT NULL,
    PRIMARY KEY (pack_id, stage)
);
CREATE INDEX handoff_assessments_on_idx ON handoff_assessments (assessed_on, pack_id);
CREATE INDEX handoff_assessments_se_idx ON handoff_assessments (se_id, assessed_on);

-- +goose Down
DROP TABLE handoff_assessments;
