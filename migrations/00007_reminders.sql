-- +goose Up
-- Pack events already turned into a notification job (internal/jobs). The
-- sweep claims events by inserting here in the same transaction as the job,
-- so each event mails once even with several app instances, and an event
-- committed late (a lower id after a higher one) is still picked up, which a
-- single "last id" cursor would miss.
CREATE TABLE notified_events (
    event_id  bigint      PRIMARY KEY REFERENCES pack_events (id) ON DELETE CASCADE,
    queued_at timestamptz NOT NULL DEFAULT now()
);

-- The events that notify someone, for the sweep's anti-join.
CREATE INDEX pack_events_notify_idx ON pack_events (id)
    WHERE kind IN ('submitted', 'returned', 'commitment_vetoed');

-- History before this migration is not news: mark it notified.
INSERT INTO notified_events (event_id)
SELECT id FROM pack_events WHERE kind IN ('submitted', 'returned', 'commitment_vetoed');

-- +goose Down
DROP INDEX pack_events_notify_idx;
DROP TABLE notified_events;
