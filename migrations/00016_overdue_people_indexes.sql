-- +goose Up
-- The manager's lists narrowed to one SE or one SA: each clock's open packs of
-- that person, by due date, so "Sam's overdue packs" reads Sam's rows in due
-- order and stops after a page instead of walking every late pack to find
-- his. The conditions are the clock model's, as in 00005; the people are the
-- copies migration 00010 keeps on packs.
CREATE INDEX IF NOT EXISTS packs_se_pack_clock_idx    ON packs (se_id, pack_due_on, id)    WHERE status = 'draft';
CREATE INDEX IF NOT EXISTS packs_se_kickoff_clock_idx ON packs (se_id, kickoff_due_on, id) WHERE status IN ('draft', 'submitted', 'changes_requested');
CREATE INDEX IF NOT EXISTS packs_se_lock_clock_idx    ON packs (se_id, lock_due_on, id)    WHERE status = 'acknowledged';
CREATE INDEX IF NOT EXISTS packs_sa_pack_clock_idx    ON packs (sa_id, pack_due_on, id)    WHERE status = 'draft';
CREATE INDEX IF NOT EXISTS packs_sa_kickoff_clock_idx ON packs (sa_id, kickoff_due_on, id) WHERE status IN ('draft', 'submitted', 'changes_requested');
CREATE INDEX IF NOT EXISTS packs_sa_lock_clock_idx    ON packs (sa_id, lock_due_on, id)    WHERE status = 'acknowledged';

-- +goose Down
DROP INDEX packs_sa_lock_clock_idx;
DROP INDEX packs_sa_kickoff_clock_idx;
DROP INDEX packs_sa_pack_clock_idx;
DROP INDEX packs_se_lock_clock_idx;
DROP INDEX packs_se_kickoff_clock_idx;
DROP INDEX packs_se_pack_clock_idx;
