-- +goose Up
-- The kickoff meeting of a pack: one per pack, scheduled by its SE or SA
-- after submission. Calendar invites describe this row as it stands when
-- they are mailed, so it holds only the meeting's current state; the history
-- of changes is in pack_events. sequence is the invites' iCalendar SEQUENCE:
-- every change (a new time, place or length, a cancellation, scheduling
-- again) raises it, so calendars replace what they hold instead of adding
-- a second event. A cancelled meeting keeps its row (and its calendar UID)
-- so scheduling again updates the same event in everyone's calendar.
CREATE TABLE kickoff_meetings (
    pack_id      bigint      PRIMARY KEY REFERENCES packs (id) ON DELETE CASCADE,
    starts_at    timestamptz NOT NULL,
    minutes      integer     NOT NULL CHECK (minutes BETWEEN 15 AND 480),
    place        text        NOT NULL CHECK (length(place) BETWEEN 1 AND 2000),
    sequence     integer     NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    cancelled_at timestamptz,
    -- Who made the latest change (schedule, change or cancel), and when.
    scheduled_by bigint      REFERENCES users (id),
    scheduled_at timestamptz NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- The meeting's events mail the invite, so the jobs sweep claims them with
-- the other notifying kinds (internal/jobs notifyKinds): its partial index
-- takes them in, or the claim every minute would read the whole history.
DROP INDEX pack_events_notify_idx;
CREATE INDEX pack_events_notify_idx ON pack_events (id)
    WHERE kind IN ('submitted', 'returned', 'commitment_vetoed',
                   'kickoff_scheduled', 'kickoff_rescheduled', 'kickoff_cancelled');

-- +goose Down
DROP INDEX pack_events_notify_idx;
CREATE INDEX pack_events_notify_idx ON pack_events (id)
    WHERE kind IN ('submitted', 'returned', 'commitment_vetoed');
DROP TABLE kickoff_meetings;
