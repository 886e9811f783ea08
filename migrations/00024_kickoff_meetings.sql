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

-- Who the invite of a pack's kickoff meeting goes to, decided by
-- handoff.MeetingPeople.Invitees when the meeting is scheduled or changed
-- and again when the people on the deal change while it stands (a
-- reassignment, a deal correction), in the transaction of that change. The
-- mail goes to this list, so the card says who received it. sequence is the
-- SEQUENCE of the latest invite (or cancellation) addressed to the person.
-- A removed row is someone taken off the meeting whose cancellation is on
-- its way: the jobs delete it once mailed, and a person added back before
-- then is simply invited again.
CREATE TABLE kickoff_invitees (
    pack_id  bigint  NOT NULL REFERENCES kickoff_meetings (pack_id) ON DELETE CASCADE,
    email    text    NOT NULL CHECK (email <> '' AND email = lower(email)),
    role     text    NOT NULL CHECK (role IN ('SE', 'SA', 'AE', 'CSM')),
    name     text    NOT NULL,
    sequence integer NOT NULL CHECK (sequence >= 0),
    removed  boolean NOT NULL DEFAULT false,
    PRIMARY KEY (pack_id, email)
);

-- The meeting's events mail the invite, so the jobs sweep claims them with
-- the other notifying kinds (internal/jobs notifyKinds): its partial index
-- takes them in, or the claim every minute would read the whole history.
DROP INDEX pack_events_notify_idx;
CREATE INDEX pack_events_notify_idx ON pack_events (id)
    WHERE kind IN ('submitted', 'returned', 'commitment_vetoed',
                   'kickoff_scheduled', 'kickoff_rescheduled', 'kickoff_cancelled',
                   'kickoff_invitees_changed');

-- +goose Down
DROP INDEX pack_events_notify_idx;
CREATE INDEX pack_events_notify_idx ON pack_events (id)
    WHERE kind IN ('submitted', 'returned', 'commitment_vetoed');
DROP TABLE kickoff_invitees;
DROP TABLE kickoff_meetings;
