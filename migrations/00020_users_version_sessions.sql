-- +goose Up
-- Servers now keep signed-in people in memory under data_version too, so
-- what ends a person's sessions (a password change moves session_version) and
-- whether they have a password move the number as well. A login stamp
-- (last_login_at) still does not.
DROP TRIGGER users_update_data_version ON users;
CREATE TRIGGER users_update_data_version AFTER UPDATE OF email, name, role, active, session_version, password_hash ON users
    FOR EACH STATEMENT EXECUTE FUNCTION handoff_bump_data_version();

-- +goose Down
DROP TRIGGER users_update_data_version ON users;
CREATE TRIGGER users_update_data_version AFTER UPDATE OF email, name, role, active ON users
    FOR EACH STATEMENT EXECUTE FUNCTION handoff_bump_data_version();
