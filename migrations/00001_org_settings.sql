-- +goose Up
-- One deployment serves one organisation, so its settings are a single row. The
-- CHECK on id keeps it single; every deadline computation reads these values.
CREATE TABLE org_settings (
    id                         boolean PRIMARY KEY DEFAULT true CHECK (id),
    org_name                   text        NOT NULL DEFAULT 'Handoff' CHECK (length(org_name) BETWEEN 1 AND 200),
    time_zone                  text        NOT NULL DEFAULT 'America/New_York' CHECK (time_zone <> ''),
    -- ISO 3166 country codes whose public holidays are skipped by business-day clocks.
    holiday_countries          text[]      NOT NULL DEFAULT '{US}',
    pack_due_business_days     integer     NOT NULL DEFAULT 5  CHECK (pack_due_business_days BETWEEN 1 AND 60),
    kickoff_due_business_days  integer     NOT NULL DEFAULT 5  CHECK (kickoff_due_business_days BETWEEN 1 AND 60),
    lock_due_calendar_days     integer     NOT NULL DEFAULT 30 CHECK (lock_due_calendar_days BETWEEN 1 AND 365),
    -- Money is integer minor units plus an ISO 4217 code: USD 25,000.00 is 2500000.
    approval_threshold_minor   bigint      NOT NULL DEFAULT 2500000 CHECK (approval_threshold_minor >= 0),
    approval_threshold_currency text       NOT NULL DEFAULT 'USD' CHECK (approval_threshold_currency ~ '^[A-Z]{3}$'),
    updated_at                 timestamptz NOT NULL DEFAULT now()
);

INSERT INTO org_settings (id) VALUES (true);

-- +goose Down
DROP TABLE org_settings;
