-- +goose Up
-- Webhooks and Slack (DESIGN §7, docs/webhooks.md). An admin registers
-- endpoints; each pack event a subscribed endpoint wants becomes one message
-- (its body, signed and sent as is on every attempt) and one delivery per
-- endpoint, both written in the event's own transaction with the River job
-- that sends it.
CREATE TABLE webhook_endpoints (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url             text        NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    kind            text        NOT NULL CHECK (kind IN ('standard', 'slack')),
    events          text[]      NOT NULL CHECK (cardinality(events) >= 1),
    description     text        NOT NULL DEFAULT '' CHECK (length(description) <= 100),
    -- whsec_…, kept as is because every delivery is signed with it; a Slack
    -- endpoint has none (its URL is its secret).
    secret          text        NOT NULL DEFAULT '',
    -- The secret before the last "Roll secret": deliveries are signed with
    -- both until previous_secret_until, so the receiver can move over.
    previous_secret       text  NOT NULL DEFAULT '' CHECK (previous_secret = '' OR previous_secret LIKE 'whsec\_%'),
    previous_secret_until timestamptz,
    enabled         boolean     NOT NULL DEFAULT true,
    disabled_at     timestamptz,
    disabled_reason text        NOT NULL DEFAULT '',
    -- The failing streak: its first failed attempt, and its latest. A failure
    -- long after the latest one (internal/jobs, streakGap) starts a new streak;
    -- a delivered attempt ends it; a streak of three days disables the endpoint.
    failing_since   timestamptz,
    last_failure_at timestamptz,
    -- When the admins were last told a delivery gave up: once a day at most.
    gave_up_mailed_at timestamptz,
    created_by      bigint      REFERENCES users (id), -- NULL when added with the CLI
    created_at      timestamptz NOT NULL,
    CONSTRAINT webhook_endpoints_secret_check CHECK ((kind = 'standard') = (secret LIKE 'whsec\_%')),
    CONSTRAINT webhook_endpoints_disabled_check CHECK (enabled = (disabled_at IS NULL)),
    CONSTRAINT webhook_endpoints_streak_check CHECK ((failing_since IS NULL) = (last_failure_at IS NULL))
);

-- The question every pack event asks inside its transaction: which enabled
-- endpoints want this type? Disabled endpoints are not in the index at all.
CREATE INDEX webhook_endpoints_events_idx ON webhook_endpoints USING gin (events) WHERE enabled;

CREATE TABLE webhook_messages (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    msg_id     text        NOT NULL CHECK (msg_id LIKE 'msg\_%'), -- the webhook-id header
    type       text        NOT NULL,
    pack_id    bigint      REFERENCES packs (id) ON DELETE CASCADE, -- NULL for a test event
    -- What makes a message happen once: clock.overdue:<pack>:<clock>:<org day>.
    once_key   text,
    body       text        NOT NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT webhook_messages_msg_id_key UNIQUE (msg_id),
    CONSTRAINT webhook_messages_once_key UNIQUE (once_key)
);
CREATE INDEX webhook_messages_pack_idx ON webhook_messages (pack_id) WHERE pack_id IS NOT NULL;

CREATE TABLE webhook_deliveries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id     bigint      NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    message_id      bigint      NOT NULL REFERENCES webhook_messages (id) ON DELETE CASCADE,
    redelivery_of   bigint      REFERENCES webhook_deliveries (id) ON DELETE SET NULL,
    -- failed: ended early (410 Gone, the endpoint disabled); gave_up: every
    -- attempt of the schedule failed.
    state           text        NOT NULL DEFAULT 'pending'
                                CHECK (state IN ('pending', 'retrying', 'delivered', 'failed', 'gave_up')),
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    status_code     integer,                          -- of the last answer; NULL when none came
    latency_ms      integer,
    response        text        NOT NULL DEFAULT '' CHECK (octet_length(response) <= 200),
    problem         text        NOT NULL DEFAULT '',  -- why the last attempt did not deliver, in words
    created_at      timestamptz NOT NULL,
    last_attempt_at timestamptz,
    next_attempt_at timestamptz,
    -- When it reached delivered, failed or gave_up; the daily cleanup
    -- deletes deliveries finished more than 90 days ago (docs/webhooks.md).
    finished_at     timestamptz,
    CONSTRAINT webhook_deliveries_finished_check CHECK ((finished_at IS NULL) = (state IN ('pending', 'retrying')))
);
-- The endpoint's delivery log, newest first, paged by id.
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id DESC);
CREATE INDEX webhook_deliveries_message_idx ON webhook_deliveries (message_id);
CREATE INDEX webhook_deliveries_redelivery_idx ON webhook_deliveries (redelivery_of) WHERE redelivery_of IS NOT NULL;
CREATE INDEX webhook_deliveries_finished_idx ON webhook_deliveries (finished_at) WHERE finished_at IS NOT NULL;

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_messages;
DROP TABLE webhook_endpoints;
