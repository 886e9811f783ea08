package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// userRow is the users table as pgx scans it by column name.
type userRow struct {
	ID             int64
	Email          string
	Name           string
	Role           string
	Active         bool
	HasPassword    bool
	SessionVersion int
	LastLoginAt    *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (r userRow) user() *handoff.User {
	return &handoff.User{
		ID: r.ID, Email: r.Email, Name: r.Name, Role: handoff.Role(r.Role), Active: r.Active,
		HasPassword: r.HasPassword, SessionVersion: r.SessionVersion, LastLoginAt: r.LastLoginAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

const userColumns = `id, email, name, role, active, password_hash IS NOT NULL AS has_password,
       session_version, last_login_at, created_at, updated_at`

func collectUser(rows pgx.Rows) (*handoff.User, error) {
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[userRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, handoff.Errorf(handoff.ENOTFOUND, "That person does not exist.")
	}
	if err != nil {
		return nil, err
	}
	return r.user(), nil
}

// User returns the user with id.
func (db *DB) User(ctx context.Context, id int64) (*handoff.User, error) {
	return userByID(ctx, db.Pool, id, false)
}

func userByID(ctx context.Context, q Querier, id int64, forUpdate bool) (*handoff.User, error) {
	sql := `SELECT ` + userColumns + ` FROM users WHERE id = $1`
	if forUpdate {
		sql += ` FOR UPDATE`
	}
	rows, err := q.Query(ctx, sql, id)
	if err != nil {
		return nil, fmt.Errorf("postgres: user %d: %w", id, err)
	}
	u, err := collectUser(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: user %d: %w", id, err)
	}
	return u, nil
}

// UserByEmail returns the user with email (any case) and their password hash
// ("" when none is set), for login.
func (db *DB) UserByEmail(ctx context.Context, email string) (*handoff.User, string, error) {
	var hash *string
	rows, err := db.Pool.Query(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE email = $1`, handoff.NormalizeEmail(email))
	if err != nil {
		return nil, "", fmt.Errorf("postgres: user by email: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, "", fmt.Errorf("postgres: user by email: %w", err)
		}
		return nil, "", handoff.Errorf(handoff.ENOTFOUND, "No one has that email address.")
	}
	var r userRow
	if err := rows.Scan(&r.ID, &r.Email, &r.Name, &r.Role, &r.Active, &r.HasPassword, &r.SessionVersion,
		&r.LastLoginAt, &r.CreatedAt, &r.UpdatedAt, &hash); err != nil {
		return nil, "", fmt.Errorf("postgres: user by email: %w", err)
	}
	if hash == nil {
		return r.user(), "", nil
	}
	return r.user(), *hash, nil
}

// UserFilter narrows the admin's user list.
type UserFilter struct {
	Query      string         // matches name or email, case-insensitively
	Role       handoff.Role   // only this role, when set
	Roles      []handoff.Role // only these roles, when set
	ActiveOnly bool
}

// Users lists users by name, filtered by f.
func (db *DB) Users(ctx context.Context, f UserFilter) ([]*handoff.User, error) {
	sql := `SELECT ` + userColumns + ` FROM users WHERE true`
	var args []any
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, "%"+escapeLike(q)+"%")
		sql += fmt.Sprintf(` AND (name ILIKE $%d OR email ILIKE $%d)`, len(args), len(args))
	}
	if f.Role != "" {
		args = append(args, string(f.Role))
		sql += fmt.Sprintf(` AND role = $%d`, len(args))
	}
	if len(f.Roles) > 0 {
		roles := make([]string, len(f.Roles))
		for i, r := range f.Roles {
			roles[i] = string(r)
		}
		args = append(args, roles)
		sql += fmt.Sprintf(` AND role = ANY($%d)`, len(args))
	}
	if f.ActiveOnly {
		sql += ` AND active`
	}
	sql += ` ORDER BY active DESC, lower(name), id LIMIT 500`
	rows, err := db.Pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: users: %w", err)
	}
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[userRow])
	if err != nil {
		return nil, fmt.Errorf("postgres: users: %w", err)
	}
	out := make([]*handoff.User, len(rs))
	for i, r := range rs {
		out[i] = r.user()
	}
	return out, nil
}

// CountUsers returns how many users exist, active or not.
func (db *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count users: %w", err)
	}
	return n, nil
}

// NewUser is a validated user to create. PasswordHash may be empty: the person
// then sets a password through a one-time link.
type NewUser struct {
	Email        string
	Name         string
	Role         handoff.Role
	PasswordHash string
}

// CreateUser inserts u. A taken email is an EINVALID error on the email field.
func (db *DB) CreateUser(ctx context.Context, u NewUser) (*handoff.User, error) {
	return createUser(ctx, db.Pool, u)
}

func createUser(ctx context.Context, q Querier, u NewUser) (*handoff.User, error) {
	var hash *string
	if u.PasswordHash != "" {
		hash = &u.PasswordHash
	}
	rows, err := q.Query(ctx, `
		INSERT INTO users (email, name, role, password_hash)
		VALUES ($1, $2, $3, $4)
		RETURNING `+userColumns,
		handoff.NormalizeEmail(u.Email), u.Name, string(u.Role), hash)
	if err != nil {
		return nil, fmt.Errorf("postgres: create user %s: %w", u.Email, err)
	}
	created, err := collectUser(rows)
	if isUniqueViolation(err, "users_email_key") {
		return nil, &handoff.Error{Code: handoff.EINVALID, Message: "Some fields need your attention.",
			Fields: map[string]string{"email": "Someone already has this email address."}}
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: create user %s: %w", u.Email, err)
	}
	return created, nil
}

// lockAdminsAndUser counts active admins while holding their row locks, then
// locks and loads user id, so two admins demoting each other at once cannot
// both succeed and leave none.
func lockAdminsAndUser(ctx context.Context, tx pgx.Tx, id int64) (int, *handoff.User, error) {
	rows, err := tx.Query(ctx, `SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id FOR UPDATE`)
	if err != nil {
		return 0, nil, fmt.Errorf("postgres: lock admins: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return 0, nil, fmt.Errorf("postgres: lock admins: %w", err)
	}
	u, err := userByID(ctx, tx, id, true)
	if err != nil {
		return 0, nil, err
	}
	return len(ids), u, nil
}

// SetUserRole changes a user's role, refusing to demote the last active admin.
func (db *DB) SetUserRole(ctx context.Context, id int64, role handoff.Role) (*handoff.User, error) {
	var out *handoff.User
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		admins, target, err := lockAdminsAndUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := handoff.CheckRoleChange(target, role, admins); err != nil {
			return err
		}
		if role != target.Role {
			n, err := openPacksOf(ctx, tx, target)
			if err != nil {
				return err
			}
			if err := handoff.CheckOpenPacks(target, n); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, `UPDATE users SET role = $2, updated_at = now() WHERE id = $1 RETURNING `+userColumns, id, string(role))
		if err != nil {
			return err
		}
		out, err = collectUser(rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: set role of user %d: %w", id, err)
	}
	return out, nil
}

// SetUserActive deactivates or reactivates a user. Deactivating bumps the
// session version, so their open sessions end at their next request.
func (db *DB) SetUserActive(ctx context.Context, actor *handoff.User, id int64, active bool) (*handoff.User, error) {
	var out *handoff.User
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		admins, target, err := lockAdminsAndUser(ctx, tx, id)
		if err != nil {
			return err
		}
		if !active {
			if err := handoff.CheckDeactivate(actor, target, admins); err != nil {
				return err
			}
			n, err := openPacksOf(ctx, tx, target)
			if err != nil {
				return err
			}
			if err := handoff.CheckOpenPacks(target, n); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, `
			UPDATE users
			SET active = $2,
			    session_version = session_version + CASE WHEN $2 THEN 0 ELSE 1 END,
			    updated_at = now()
			WHERE id = $1
			RETURNING `+userColumns, id, active)
		if err != nil {
			return err
		}
		out, err = collectUser(rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: set active=%v on user %d: %w", active, id, err)
	}
	return out, nil
}

// SetPasswordHash stores a new password hash and bumps the session version, so
// every other session of that person ends.
func (db *DB) SetPasswordHash(ctx context.Context, id int64, hash string) (*handoff.User, error) {
	return setPasswordHash(ctx, db.Pool, id, hash)
}

func setPasswordHash(ctx context.Context, q Querier, id int64, hash string) (*handoff.User, error) {
	rows, err := q.Query(ctx, `
		UPDATE users
		SET password_hash = $2, session_version = session_version + 1, updated_at = now()
		WHERE id = $1
		RETURNING `+userColumns, id, hash)
	if err != nil {
		return nil, fmt.Errorf("postgres: set password of user %d: %w", id, err)
	}
	u, err := collectUser(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: set password of user %d: %w", id, err)
	}
	return u, nil
}

// RecordLogin notes a successful login time.
func (db *DB) RecordLogin(ctx context.Context, id int64, at time.Time) error {
	if _, err := db.Pool.Exec(ctx, `UPDATE users SET last_login_at = $2 WHERE id = $1`, id, at); err != nil {
		return fmt.Errorf("postgres: record login of user %d: %w", id, err)
	}
	return nil
}

// escapeLike makes s match literally inside a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// UserCounts returns how many active users hold each role, and how many users
// are deactivated.
func (db *DB) UserCounts(ctx context.Context) (map[handoff.Role]int, int, error) {
	rows, err := db.Pool.Query(ctx, `SELECT role, active, count(*) FROM users GROUP BY role, active`)
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: user counts: %w", err)
	}
	defer rows.Close()
	active, inactive := map[handoff.Role]int{}, 0
	for rows.Next() {
		var (
			role string
			on   bool
			n    int
		)
		if err := rows.Scan(&role, &on, &n); err != nil {
			return nil, 0, fmt.Errorf("postgres: user counts: %w", err)
		}
		if on {
			active[handoff.Role(role)] = n
		} else {
			inactive += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("postgres: user counts: %w", err)
	}
	return active, inactive, nil
}

// SeedUsers creates users only when there are none yet, and reports whether it
// did. An advisory lock makes concurrent first starts seed once.
func (db *DB) SeedUsers(ctx context.Context, users []NewUser) (bool, error) {
	seeded := false
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('handoff:seed-users'))`); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		for _, u := range users {
			if _, err := createUser(ctx, tx, u); err != nil {
				return err
			}
		}
		seeded = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("postgres: seed users: %w", err)
	}
	return seeded, nil
}

// openPacksOf counts the packs not yet locked on which u is the SE or SA.
func openPacksOf(ctx context.Context, q Querier, u *handoff.User) (int, error) {
	var n int
	err := q.QueryRow(ctx, `
		SELECT count(*) FROM packs p JOIN deals d ON d.id = p.deal_id
		WHERE p.status <> 'locked' AND (d.se_id = $1 OR d.sa_id = $1)`, u.ID).Scan(&n)
	return n, err
}
