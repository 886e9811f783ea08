-- +goose Up
-- The Overdue page keeps its rows and counts under the data version
-- (migration 00013), whose trigger on packs watches the columns of the
-- first three clocks only. Recording first value or a pod review writes
-- only the after-the-lock columns (migration 00027), so the page kept
-- showing those clocks overdue until some other write. The trigger now
-- watches them too.
DROP TRIGGER packs_update_data_version ON packs;
CREATE TRIGGER packs_update_data_version AFTER UPDATE OF deal_id, status, submitted_version, pack_due_on, kickoff_due_on,
    lock_due_on, first_submitted_at, submitted_at, kickoff_on, acknowledged_at, locked_at, se_id, sa_id,
    first_value_due_on, first_value_on, pod_review_due_on, pod_reviewed_on, pod_posture, pod_renewal_on ON packs
    FOR EACH STATEMENT EXECUTE FUNCTION handoff_bump_data_version();

-- +goose Down
DROP TRIGGER packs_update_data_version ON packs;
CREATE TRIGGER packs_update_data_version AFTER UPDATE OF deal_id, status, submitted_version, pack_due_on, kickoff_due_on,
    lock_due_on, first_submitted_at, submitted_at, kickoff_on, acknowledged_at, locked_at, se_id, sa_id ON packs
    FOR EACH STATEMENT EXECUTE FUNCTION handoff_bump_data_version();
