-- +goose Up
-- After the lock (README.md, "After the lock"): two more clocks, first value
-- and the quarterly pod review of strategic accounts, and the review record.

-- First value is due this many calendar days after the kickoff.
ALTER TABLE org_settings ADD COLUMN first_value_due_calendar_days integer NOT NULL DEFAULT 90
    CHECK (first_value_due_calendar_days BETWEEN 1 AND 730);

-- A manager may mark an account of any segment strategic; the strategic
-- segment is strategic by itself (handoff.Deal.Strategic).
ALTER TABLE deals ADD COLUMN strategic_marked boolean NOT NULL DEFAULT false;

-- The first value clock runs from the kickoff (its due day is stored with
-- the kickoff, like the lock's) until the SA records the day the customer
-- first got value and what it was. The pod review clock's due day is set
-- while a strategic account is locked and moves with each review; it is
-- NULL for every other pack. The latest review's posture and renewal day are
-- copied onto the pack so the managers' list of strategic accounts by posture
-- reads one row per account.
ALTER TABLE packs
    ADD COLUMN first_value_due_on      date,
    ADD COLUMN first_value_on          date,
    ADD COLUMN first_value_what        text CHECK (length(first_value_what) BETWEEN 1 AND 2000),
    ADD COLUMN first_value_recorded_at timestamptz,
    ADD COLUMN first_value_recorded_by bigint REFERENCES users (id),
    ADD COLUMN pod_review_due_on       date,
    ADD COLUMN pod_reviewed_on         date,
    ADD COLUMN pod_posture             text CHECK (pod_posture IN ('on_track', 'at_risk', 'in_danger')),
    ADD COLUMN pod_renewal_on          date;

UPDATE packs p SET first_value_due_on = p.kickoff_on + s.first_value_due_calendar_days
    FROM org_settings s WHERE p.kickoff_on IS NOT NULL;
UPDATE packs p SET pod_review_due_on = (p.locked_at AT TIME ZONE s.time_zone)::date + 91
    FROM deals d, org_settings s
    WHERE d.id = p.deal_id AND p.status = 'locked' AND d.segment = 'strategic';

ALTER TABLE packs
    ADD CONSTRAINT packs_first_value_due_check CHECK ((first_value_due_on IS NULL) = (kickoff_on IS NULL)),
    ADD CONSTRAINT packs_first_value_check CHECK (
        (first_value_on IS NULL) = (first_value_what IS NULL)
        AND (first_value_on IS NULL) = (first_value_recorded_at IS NULL)
        AND (first_value_on IS NULL OR kickoff_on IS NOT NULL)),
    ADD CONSTRAINT packs_pod_review_due_check CHECK (pod_review_due_on IS NULL OR status = 'locked');

-- Each running clock's packs by due day, for the manager's lists and counts
-- (as migration 00005 does for the first three clocks).
CREATE INDEX packs_first_value_clock_idx ON packs (first_value_due_on, id)
    WHERE status IN ('acknowledged', 'locked') AND first_value_on IS NULL;
CREATE INDEX packs_pod_review_clock_idx ON packs (pod_review_due_on, id)
    WHERE status = 'locked' AND pod_review_due_on IS NOT NULL;
-- The same per person, for the lists filtered by SE or SA (as migration
-- 00016 does for the first three clocks).
CREATE INDEX packs_se_first_value_clock_idx ON packs (se_id, first_value_due_on, id)
    WHERE status IN ('acknowledged', 'locked') AND first_value_on IS NULL;
CREATE INDEX packs_sa_first_value_clock_idx ON packs (sa_id, first_value_due_on, id)
    WHERE status IN ('acknowledged', 'locked') AND first_value_on IS NULL;
CREATE INDEX packs_se_pod_review_clock_idx ON packs (se_id, pod_review_due_on, id)
    WHERE status = 'locked' AND pod_review_due_on IS NOT NULL;
CREATE INDEX packs_sa_pod_review_clock_idx ON packs (sa_id, pod_review_due_on, id)
    WHERE status = 'locked' AND pod_review_due_on IS NOT NULL;
-- Strategic accounts by their latest posture, renewal soonest first.
CREATE INDEX packs_pod_posture_idx ON packs (pod_posture, pod_renewal_on, id) WHERE pod_review_due_on IS NOT NULL;

-- A quarterly pod review of a strategic account. held_on is the day of the
-- meeting; due_on is the pod review due day it answered, so a review
-- stays on time or late for good. data is handoff.PodReview: attendees,
-- Champion changes, expansion levers, technical risks and next steps.
CREATE TABLE pod_reviews (
    id          bigserial   PRIMARY KEY,
    pack_id     bigint      NOT NULL REFERENCES packs (id) ON DELETE CASCADE,
    held_on     date        NOT NULL,
    due_on      date        NOT NULL,
    posture     text        NOT NULL CHECK (posture IN ('on_track', 'at_risk', 'in_danger')),
    renewal_on  date        NOT NULL,
    data        jsonb       NOT NULL,
    recorded_by bigint      NOT NULL REFERENCES users (id),
    recorded_at timestamptz NOT NULL
);
CREATE INDEX pod_reviews_pack_idx ON pod_reviews (pack_id, held_on, id);

-- A home's sections now depend on the clocks after the lock as well: a
-- locked pack waits on its SA while first value or a pod review is due, and
-- is done only when neither runs. The expression and predicates are the
-- clock model's, written out by internal/postgres/homes.go;
-- TestHomeQueriesReadTheirIndexes proves the planner reads these indexes.
DROP INDEX packs_se_needs_idx, packs_se_waiting_idx, packs_sa_needs_idx, packs_sa_waiting_idx,
    packs_se_done_idx, packs_sa_done_idx;
CREATE INDEX packs_se_needs_idx ON packs (se_id, (CASE status
        WHEN 'draft' THEN LEAST(pack_due_on, kickoff_due_on)
        WHEN 'submitted' THEN kickoff_due_on
        WHEN 'changes_requested' THEN kickoff_due_on
        WHEN 'acknowledged' THEN LEAST(lock_due_on, CASE WHEN first_value_on IS NULL THEN first_value_due_on END)
        WHEN 'locked' THEN LEAST(CASE WHEN first_value_on IS NULL THEN first_value_due_on END, pod_review_due_on) END), id)
    WHERE status IN ('draft', 'changes_requested');
CREATE INDEX packs_se_waiting_idx ON packs (se_id, (CASE status
        WHEN 'draft' THEN LEAST(pack_due_on, kickoff_due_on)
        WHEN 'submitted' THEN kickoff_due_on
        WHEN 'changes_requested' THEN kickoff_due_on
        WHEN 'acknowledged' THEN LEAST(lock_due_on, CASE WHEN first_value_on IS NULL THEN first_value_due_on END)
        WHEN 'locked' THEN LEAST(CASE WHEN first_value_on IS NULL THEN first_value_due_on END, pod_review_due_on) END), id)
    WHERE (status IN ('submitted', 'acknowledged') OR (status = 'locked' AND (first_value_on IS NULL OR pod_review_due_on IS NOT NULL)));
CREATE INDEX packs_sa_needs_idx ON packs (sa_id, (CASE status
        WHEN 'draft' THEN LEAST(pack_due_on, kickoff_due_on)
        WHEN 'submitted' THEN kickoff_due_on
        WHEN 'changes_requested' THEN kickoff_due_on
        WHEN 'acknowledged' THEN LEAST(lock_due_on, CASE WHEN first_value_on IS NULL THEN first_value_due_on END)
        WHEN 'locked' THEN LEAST(CASE WHEN first_value_on IS NULL THEN first_value_due_on END, pod_review_due_on) END), id)
    WHERE (status IN ('submitted', 'acknowledged') OR (status = 'locked' AND (first_value_on IS NULL OR pod_review_due_on IS NOT NULL)))
        AND sa_id IS NOT NULL;
CREATE INDEX packs_sa_waiting_idx ON packs (sa_id, (CASE status
        WHEN 'draft' THEN LEAST(pack_due_on, kickoff_due_on)
        WHEN 'submitted' THEN kickoff_due_on
        WHEN 'changes_requested' THEN kickoff_due_on
        WHEN 'acknowledged' THEN LEAST(lock_due_on, CASE WHEN first_value_on IS NULL THEN first_value_due_on END)
        WHEN 'locked' THEN LEAST(CASE WHEN first_value_on IS NULL THEN first_value_due_on END, pod_review_due_on) END), id)
    WHERE status IN ('draft', 'changes_requested') AND sa_id IS NOT NULL;
CREATE INDEX packs_se_done_idx ON packs (se_id, id)
    WHERE status = 'locked' AND first_value_on IS NOT NULL AND pod_review_due_on IS NULL;
CREATE INDEX packs_sa_done_idx ON packs (sa_id, id)
    WHERE status = 'locked' AND first_value_on IS NOT NULL AND pod_review_due_on IS NULL AND sa_id IS NOT NULL;

-- Recording a pod review mails its summary to the pod: the jobs sweep claims
-- the event with the other notifying kinds (internal/jobs notifyKinds).
DROP INDEX pack_events_notify_idx;
CREATE INDEX pack_events_notify_idx ON pack_events (id)
    WHERE kind IN ('submitted', 'returned', 'commitment_vetoed',
                   'kickoff_scheduled', 'kickoff_rescheduled', 'kickoff_cancelled',
                   'kickoff_invitees_changed', 'pod_review_recorded');

-- +goose Down
DROP INDEX pack_events_notify_idx;
CREATE INDEX pack_events_notify_idx ON pack_events (id)
    WHERE kind IN ('submitted', 'returned', 'commitment_vetoed',
                   'kickoff_scheduled', 'kickoff_rescheduled', 'kickoff_cancelled',
                   'kickoff_invitees_changed');
DROP INDEX packs_se_needs_idx, packs_se_waiting_idx, packs_sa_needs_idx, packs_sa_waiting_idx,
    packs_se_done_idx, packs_sa_done_idx;
CREATE INDEX packs_se_needs_idx ON packs (se_id, (CASE status
        WHEN 'draft' THEN LEAST(pack_due_on, kickoff_due_on)
        WHEN 'submitted' THEN kickoff_due_on
        WHEN 'changes_requested' THEN kickoff_due_on
        WHEN 'acknowledged' THEN lock_due_on END), id)
    WHERE status IN ('draft', 'changes_requested');
CREATE INDEX packs_se_waiting_idx ON packs (se_id, (CASE status
        WHEN 'draft' THEN LEAST(pack_due_on, kickoff_due_on)
        WHEN 'submitted' THEN kickoff_due_on
        WHEN 'changes_requested' THEN kickoff_due_on
        WHEN 'acknowledged' THEN lock_due_on END), id)
    WHERE status IN ('submitted', 'acknowledged');
CREATE INDEX packs_sa_needs_idx ON packs (sa_id, (CASE status
        WHEN 'draft' THEN LEAST(pack_due_on, kickoff_due_on)
        WHEN 'submitted' THEN kickoff_due_on
        WHEN 'changes_requested' THEN kickoff_due_on
        WHEN 'acknowledged' THEN lock_due_on END), id)
    WHERE status IN ('submitted', 'acknowledged') AND sa_id IS NOT NULL;
CREATE INDEX packs_sa_waiting_idx ON packs (sa_id, (CASE status
        WHEN 'draft' THEN LEAST(pack_due_on, kickoff_due_on)
        WHEN 'submitted' THEN kickoff_due_on
        WHEN 'changes_requested' THEN kickoff_due_on
        WHEN 'acknowledged' THEN lock_due_on END), id)
    WHERE status IN ('draft', 'changes_requested') AND sa_id IS NOT NULL;
CREATE INDEX packs_se_done_idx ON packs (se_id, id) WHERE status = 'locked';
CREATE INDEX packs_sa_done_idx ON packs (sa_id, id) WHERE status = 'locked' AND sa_id IS NOT NULL;
DROP TABLE pod_reviews;
ALTER TABLE packs
    DROP CONSTRAINT packs_first_value_due_check,
    DROP CONSTRAINT packs_first_value_check,
    DROP CONSTRAINT packs_pod_review_due_check,
    DROP COLUMN first_value_due_on, DROP COLUMN first_value_on, DROP COLUMN first_value_what,
    DROP COLUMN first_value_recorded_at, DROP COLUMN first_value_recorded_by,
    DROP COLUMN pod_review_due_on, DROP COLUMN pod_reviewed_on, DROP COLUMN pod_posture, DROP COLUMN pod_renewal_on;
ALTER TABLE deals DROP COLUMN strategic_marked;
ALTER TABLE org_settings DROP COLUMN first_value_due_calendar_days;
