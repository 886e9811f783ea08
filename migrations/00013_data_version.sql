-- +goose Up
-- One number that moves whenever something a page may keep in memory changes:
-- the org's settings, days off and thresholds, people, deals, and the parts of
-- a pack its lists show (status, due dates, people, milestones). A server
-- reads it with the session's user on every request and throws away what it
-- kept for an older number, so a page never shows data older than the
-- request, whichever server instance made the change. It is a row, not a
-- sequence: a sequence moves before its transaction commits, so a reader
-- could keep pre-commit data under the new number; a row moves at commit.
-- Document saves (version, updated_at) leave it alone: no kept list shows
-- them, and they are the most frequent write.
CREATE TABLE data_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    n        bigint  NOT NULL
);
INSERT INTO data_version (n) VALUES (1);

-- +goose StatementBegin
CREATE FUNCTION handoff_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET n = n + 1;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- Statement triggers: a bulk write (the demo's COPY, a settings recompute)
-- moves the number once per statement, not once per row.
CREATE TRIGGER org_settings_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON org_settings
    FOR EACH STATEMENT EXECUTE FUNCTION handoff_bump_data_version();
CREATE TRIGGER company_days_off_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON company_days_off
    FOR EACH STATEMENT EXECUTE FUNCTION handoff_bump_data_version();
CREATE TRIGGER approval_thresholds_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON approval_thresholds
    FOR EACH STATEMENT EXECUTE FUNCTION handoff_bump_data_version();
CREATE TRIGGER deals_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON deals
    FOR EACH STATEMENT EXECUTE FUNCTION handoff_bump_data_version();
-- A login stamps last_login_at and a password change session_version: no
-- kept list shows either.
CREATE TRIGGER users_data_version AFTER INSERT OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION handoff_bump_data_version();
CREATE TRIGGER users_update_data_version AFTER UPDATE OF email, name, role, active ON users
    FOR EACH STATEMENT EXECUTE FUNCTION handoff_bump_data_version();
CREATE TRIGGER packs_data_version AFTER INSERT OR DELETE OR TRUNCATE ON packs
    FOR EACH STATEMENT EXECUTE FUNCTION handoff_bump_data_version();
CREATE TRIGGER packs_update_data_version AFTER UPDATE OF deal_id, status, submitted_version, pack_due_on, kickoff_due_on,
    lock_due_on, first_submitted_at, submitted_at, kickoff_on, acknowledged_at, locked_at, se_id, sa_id ON packs
    FOR EACH STATEMENT EXECUTE FUNCTION handoff_bump_data_version();

-- +goose Down
DROP TRIGGER packs_update_data_version ON packs;
DROP TRIGGER packs_data_version ON packs;
DROP TRIGGER users_update_data_version ON users;
DROP TRIGGER users_data_version ON users;
DROP TRIGGER deals_data_version ON deals;
DROP TRIGGER approval_thresholds_data_version ON approval_thresholds;
DROP TRIGGER company_days_off_data_version ON company_days_off;
DROP TRIGGER org_settings_data_version ON org_settings;
DROP FUNCTION handoff_bump_data_version();
DROP TABLE data_version;
