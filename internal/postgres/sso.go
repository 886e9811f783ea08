package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// SSOIdentity is a person the identity provider has just signed in, with
// the role their groups give (sso.RoleFor): a person no group maps never
// gets this far.
type SSOIdentity struct {
	Issuer  string
	Subject string
	Email   string // verified by the provider
	Name    string
	Role    handoff.Role
	// Provider is the provider as people know it ("Okta"), for the words of
	// a refusal.
	Provider string
}

// SSOSignIn is what a single sign-on did to the account.
type SSOSignIn struct {
	User    *handoff.User
	Created bool // the first sign-in made the account
	Linked  bool // an account found by email now carries this identity
	// Relinked: the account found by email carried the identity of another
	// issuer, and now carries this one: the organisation moved to another
	// provider. (One carrying another subject of this same issuer is never
	// relinked: SignInSSO refuses it.)
	Relinked bool
	// HeldRole is the role the groups give when it could not be applied:
	// the domain refuses to take the last active admin's role away, or an
	// SE or SA off packs still in progress (HeldOpenPacks of them). The
	// person keeps their role until that changes; "" when applied.
	HeldRole      handoff.Role
	HeldOpenPacks int
}

// SignInSSO finds the account of id, or makes it, in one transaction: by
// the provider's subject first, then by the verified email (linking an
// account an admin made by hand, or one of a previous provider). Each
// sign-in brings name, email and role up to date with the provider.
//
// The email never moves an account from one subject of an issuer to
// another: a subject is the person at that issuer for good, so another
// subject with the same address is someone else (a mailbox given to a new
// hire, an address an IdP admin marked verified). That is ECONFLICT, until
// an admin unlinks the account (UnlinkSSO). A deactivated account is refused
// (EFORBIDDEN). Either way the account is left as it is.
func (db *DB) SignInSSO(ctx context.Context, id SSOIdentity) (*SSOSignIn, error) {
	email := handoff.NormalizeEmail(id.Email)
	if err := handoff.ValidateEmail(email); err != nil {
		return nil, handoff.Errorf(handoff.EFORBIDDEN,
			"Your account's email address (%s) is not one Handoff can use: %s Ask your admin to check it.", id.Email, handoff.ErrorMessage(err))
	}
	var out *SSOSignIn
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		// Two sign-ins of one person at once (a double click, two tabs)
		// must not both create the account.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('handoff:sso:' || $1, 0))`, email); err != nil {
			return err
		}
		out = &SSOSignIn{}
		var userID int64
		err := tx.QueryRow(ctx, `SELECT id FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2`, id.Issuer, id.Subject).Scan(&userID)
		if errors.Is(err, pgx.ErrNoRows) {
			err = tx.QueryRow(ctx, `SELECT id FROM users WHERE email = $1`, email).Scan(&userID)
			if errors.Is(err, pgx.ErrNoRows) {
				out.User, err = createSSOUser(ctx, tx, id, email)
				out.Created = err == nil
				return err
			}
		}
		if err != nil {
			return err
		}
		return updateSSOUser(ctx, tx, userID, id, email, out)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: single sign-on of %s (%s %s): %w", email, id.Issuer, id.Subject, err)
	}
	return out, nil
}

// createSSOUser makes the account of a first sign-in. It has no password:
// the person signs in through the provider.
func createSSOUser(ctx context.Context, tx pgx.Tx, id SSOIdentity, email string) (*handoff.User, error) {
	rows, err := tx.Query(ctx, `
		INSERT INTO users (email, name, role, oidc_issuer, oidc_subject)
		VALUES ($1, $2, $3, $4, $5)
		RETURNING `+userColumns,
		email, id.Name, string(id.Role), id.Issuer, id.Subject)
	if err != nil {
		return nil, err
	}
	return collectUser(rows)
}

// ssoAccount is an account as a sign-in finds it: the user and the
// identity it carries now (both nil when none).
type ssoAccount struct {
	userRow
	OIDCIssuer  *string
	OIDCSubject *string
}

// lockSSOAccount locks and loads the account userID, and no other row,
// unless the sign-in is about to take an active admin's role away: then,
// like every demotion, it first locks and counts the active admins
// (lockAdminsAndUser), so that two admins losing the role at once cannot
// leave none. admins is 0 when they were not counted.
//
// Admin rows are locked in id order everywhere. Waiting for them while
// holding this row could deadlock with an admin changing someone's role, so
// the row is locked in a savepoint, and let go again before the admins are
// locked.
func lockSSOAccount(ctx context.Context, tx pgx.Tx, userID int64, role handoff.Role) (acct ssoAccount, admins int, err error) {
	const lockAccount = `SELECT ` + userColumns + `, oidc_issuer, oidc_subject FROM users WHERE id = $1 FOR UPDATE`
	sp, err := tx.Begin(ctx)
	if err != nil {
		return acct, 0, err
	}
	rows, err := sp.Query(ctx, lockAccount, userID)
	if err == nil {
		acct, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[ssoAccount])
	}
	if err != nil {
		_ = sp.Rollback(ctx)
		return acct, 0, err
	}
	if !demotesAdmin(acct.user(), role) {
		return acct, 0, sp.Commit(ctx)
	}
	if err := sp.Rollback(ctx); err != nil {
		return acct, 0, err
	}
	if admins, _, err = lockAdminsAndUser(ctx, tx, userID); err != nil {
		return acct, 0, err
	}
	// Already locked now, by lockAdminsAndUser: this only reads it again.
	rows, err = tx.Query(ctx, lockAccount, userID)
	if err != nil {
		return acct, 0, err
	}
	acct, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[ssoAccount])
	return acct, admins, err
}

// demotesAdmin reports whether giving u role takes an active admin's role
// away: the one change the last-admin rule (handoff.CheckRoleChange) needs
// the admins counted for.
func demotesAdmin(u *handoff.User, role handoff.Role) bool {
	return u.Active && u.Role == handoff.RoleAdmin && role != handoff.RoleAdmin
}

// updateSSOUser locks the account userID, refuses it when it carries
// another subject of id's issuer or is deactivated, links it to id and
// brings it up to date, saying what it did in out. A role the domain will
// not change now is held rather than failing the sign-in: the person still
// gets in, with the role they had.
func updateSSOUser(ctx context.Context, tx pgx.Tx, userID int64, id SSOIdentity, email string, out *SSOSignIn) error {
	acct, admins, err := lockSSOAccount(ctx, tx, userID, id.Role)
	if err != nil {
		return err
	}
	u := acct.user()
	switch {
	case acct.OIDCIssuer == nil || *acct.OIDCIssuer != id.Issuer:
		out.Linked, out.Relinked = true, acct.OIDCIssuer != nil
	case *acct.OIDCSubject != id.Subject:
		return handoff.Errorf(handoff.ECONFLICT,
			"This email address belongs to a Handoff account linked to another %s identity. Ask your Handoff admin.", providerName(id.Provider))
	}
	if !u.Active {
		return handoff.Errorf(handoff.EFORBIDDEN,
			"Your Handoff account (%s) is deactivated, so you can't sign in. If you need access again, ask your Handoff admin to reactivate it.", u.Email)
	}
	role := id.Role
	if role != u.Role {
		open := 0
		if err := handoff.CheckRoleChange(u, role, admins); err != nil {
			role, out.HeldRole = u.Role, id.Role
		} else if open, err = openPacksOf(ctx, tx, u); err != nil {
			return err
		} else if handoff.CheckOpenPacks(u, open) != nil {
			role, out.HeldRole, out.HeldOpenPacks = u.Role, id.Role, open
		}
	}
	if out.Linked {
		if _, err := tx.Exec(ctx, `UPDATE users SET oidc_issuer = $2, oidc_subject = $3 WHERE id = $1`, u.ID, id.Issuer, id.Subject); err != nil {
			return err
		}
	}
	out.User = u
	if u.Name == id.Name && u.Email == email && u.Role == role {
		return nil
	}
	// Only a real change is written: the data-version trigger fires on
	// these columns, and every server would drop what it keeps in memory.
	rows, err := tx.Query(ctx, `
		UPDATE users SET name = $2, email = $3, role = $4, updated_at = now()
		WHERE id = $1
		RETURNING `+userColumns, u.ID, id.Name, email, string(role))
	if err != nil {
		return err
	}
	out.User, err = collectUser(rows)
	if isUniqueViolation(err, "users_email_key") {
		return handoff.Errorf(handoff.ECONFLICT,
			"Your email address changed to %s, but another Handoff account already has it. Ask your Handoff admin to sort out the two accounts.", email)
	}
	return err
}

// providerName is the provider in a sentence.
func providerName(name string) string {
	if name == "" {
		return "single sign-on"
	}
	return name
}

// SSOLinked reports whether user id is linked to an identity at the
// identity provider, so the account page can say where their password lives
// and the admin's page can offer to unlink it.
func (db *DB) SSOLinked(ctx context.Context, id int64) (bool, error) {
	var linked bool
	if err := db.Pool.QueryRow(ctx, `SELECT oidc_subject IS NOT NULL FROM users WHERE id = $1`, id).Scan(&linked); err != nil {
		return false, fmt.Errorf("postgres: is user %d linked to single sign-on: %w", id, err)
	}
	return linked, nil
}

// UnlinkSSO removes the identity-provider link of user id, so that the next
// sign-in links the account again by its verified email, to whichever
// identity then signs in: the way out of SignInSSO's refusal of another
// subject when the provider made the same person anew. Their sessions end,
// since they may belong to the identity let go. It reports whether there
// was a link.
func (db *DB) UnlinkSSO(ctx context.Context, id int64) (*handoff.User, bool, error) {
	var (
		out     *handoff.User
		removed bool
	)
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			UPDATE users SET oidc_issuer = NULL, oidc_subject = NULL, session_version = session_version + 1, updated_at = now()
			WHERE id = $1 AND oidc_subject IS NOT NULL
			RETURNING `+userColumns, id)
		if err != nil {
			return err
		}
		out, err = collectUser(rows)
		if handoff.ErrorCode(err) == handoff.ENOTFOUND {
			// Not linked (nothing to do), or no such person.
			out, err = userByID(ctx, tx, id, false)
			return err
		}
		removed = err == nil
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("postgres: unlink single sign-on of user %d: %w", id, err)
	}
	return out, removed, nil
}
