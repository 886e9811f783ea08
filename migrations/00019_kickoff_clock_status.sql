-- +goose Up
-- The kickoff clock runs in three statuses and waits on the SE in two of them
-- and on the SA in the third, so the manager's counts by lane filter its open
-- packs by status. Carrying the status in the index lets those counts read
-- the index alone instead of a heap page per pack.
CREATE INDEX packs_kickoff_clock_status_idx ON packs (kickoff_due_on, id) INCLUDE (status)
    WHERE status IN ('draft', 'submitted', 'changes_requested');
DROP INDEX packs_kickoff_clock_idx;

-- +goose Down
CREATE INDEX packs_kickoff_clock_idx ON packs (kickoff_due_on, id) WHERE status IN ('draft', 'submitted', 'changes_requested');
DROP INDEX packs_kickoff_clock_status_idx;
