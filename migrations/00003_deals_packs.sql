-- +goose Up
-- A Closed-Won deal. AE and CSM are named people, not logins, in v1.
CREATE TABLE deals (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_name       text        NOT NULL CHECK (length(account_name) BETWEEN 1 AND 200),
    opportunity_name   text        NOT NULL CHECK (length(opportunity_name) BETWEEN 1 AND 200),
    -- Optional; unique so CRM imports are idempotent.
    crm_opportunity_id text        CHECK (crm_opportunity_id <> ''),
    segment            text        NOT NULL CHECK (segment IN ('commercial', 'mid-market', 'enterprise', 'strategic')),
    arr_minor          bigint      NOT NULL CHECK (arr_minor >= 0),
    arr_currency       text        NOT NULL CHECK (arr_currency ~ '^[A-Z]{3}$'),
    closed_won_on      date        NOT NULL,
    ae_name            text        NOT NULL DEFAULT '',
    ae_email           text        NOT NULL DEFAULT '',
    csm_name           text        NOT NULL DEFAULT '',
    csm_email          text        NOT NULL DEFAULT '',
    se_id              bigint      NOT NULL REFERENCES users (id),
    sa_id              bigint      REFERENCES users (id),
    created_by         bigint      REFERENCES users (id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT deals_crm_opportunity_id_key UNIQUE (crm_opportunity_id)
);
CREATE INDEX deals_se_idx ON deals (se_id);
CREATE INDEX deals_sa_idx ON deals (sa_id) WHERE sa_id IS NOT NULL;

-- Exactly one pack per deal. Due dates are stored (not only computed) so the
-- overdue lists can be indexed; they are recomputed whenever a setting, a
-- holiday or the Closed-Won date changes.
CREATE TABLE packs (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    deal_id            bigint      NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    status             text        NOT NULL DEFAULT 'draft'
                       CHECK (status IN ('draft', 'submitted', 'changes_requested', 'acknowledged', 'locked')),
    -- Bumped by every change to the documents (and, after kickoff, the
    -- architecture); a save based on an older value is a conflict. Reviews,
    -- assignment and deadline recomputes do not touch what the forms edit, so
    -- they leave it alone.
    version            integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    submitted_version  integer     NOT NULL DEFAULT 0 CHECK (submitted_version >= 0),
    pack_due_on        date        NOT NULL,
    kickoff_due_on     date        NOT NULL,
    lock_due_on        date,
    first_submitted_at timestamptz,
    submitted_at       timestamptz,
    kickoff_on         date,
    acknowledged_at    timestamptz,
    locked_at          timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT packs_deal_id_key UNIQUE (deal_id),
    CHECK ((status = 'draft') = (submitted_version = 0)),
    CHECK (lock_due_on IS NULL OR kickoff_on IS NOT NULL)
);
CREATE INDEX packs_status_idx ON packs (status);

-- The five documents of a pack: typed in Go (internal/handoff), stored as one
-- JSON object each so a document saves and versions as a unit.
CREATE TABLE pack_documents (
    pack_id    bigint      NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
    kind       text        NOT NULL CHECK (kind IN ('meddpicc', 'poc', 'commitments', 'stakeholders', 'risks')),
    data       jsonb       NOT NULL CHECK (jsonb_typeof(data) = 'object'),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by bigint      REFERENCES users (id),
    PRIMARY KEY (pack_id, kind)
);

-- Each submission freezes the five documents as they were: "what was promised
-- at signature" must never change silently, so these rows cannot be changed.
CREATE TABLE pack_versions (
    pack_id      bigint      NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
    number       integer     NOT NULL CHECK (number >= 1),
    documents    jsonb       NOT NULL CHECK (jsonb_typeof(documents) = 'object'),
    submitted_at timestamptz NOT NULL,
    submitted_by bigint      NOT NULL REFERENCES users (id),
    PRIMARY KEY (pack_id, number)
);

-- Append-only history of a pack.
CREATE TABLE pack_events (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pack_id  bigint      NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
    at       timestamptz NOT NULL,
    actor_id bigint      REFERENCES users (id), -- NULL for the system (settings recompute)
    kind     text        NOT NULL CHECK (kind <> ''),
    summary  text        NOT NULL
);
CREATE INDEX pack_events_pack_idx ON pack_events (pack_id, id);

-- +goose StatementBegin
CREATE FUNCTION handoff_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$;
-- +goose StatementEnd
CREATE TRIGGER pack_versions_immutable BEFORE UPDATE OR DELETE ON pack_versions
    FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION handoff_refuse_change();
CREATE TRIGGER pack_events_append_only BEFORE UPDATE OR DELETE ON pack_events
    FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION handoff_refuse_change();

-- Company days off (a year-end shutdown…), skipped by business-day clocks.
CREATE TABLE company_days_off (
    day  date PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100)
);

-- +goose Down
DROP TABLE company_days_off;
DROP TABLE pack_events;
DROP TABLE pack_versions;
DROP FUNCTION handoff_refuse_change() CASCADE;
DROP TABLE pack_documents;
DROP TABLE packs;
DROP TABLE deals;
