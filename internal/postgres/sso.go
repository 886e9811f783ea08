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
}

// SSOSignIn is what a single sign-on did to the account.
type SSOSignIn struct {
	User    *handoff.User
	Created bool // the first sign-in made the account
	Linked  bool // an account found by email now carries this identity
	// Relinked: the account found by email carried another identity (the
	// provider made the person anew, or the organisation moved to another
	// provider). The verified email is trusted for this as for any link.
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
// sign-in brings name, email and role up to date with the provider. A
// deactivated account is refused (EFORBIDDEN) and left as it is.
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
		var (
			userID          int64
			issuer, subject *string // the identity the account carries now
		)
		out = &SSOSignIn{}
		err := tx.QueryRow(ctx, `SELECT id, oidc_issuer, oidc_subject FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2`,
			id.Issuer, id.Subject).Scan(&userID, &issuer, &subject)
		if errors.Is(err, pgx.ErrNoRows) {
			err = tx.QueryRow(ctx, `SELECT id, oidc_issuer, oidc_subject FROM users WHERE email = $1`, email).Scan(&userID, &issuer, &subject)
			if errors.Is(err, pgx.ErrNoRows) {
				out.User, err = createSSOUser(ctx, tx, id, email)
				out.Created = err == nil
				return err
			}
			out.Linked, out.Relinked = true, subject != nil
		}
		if err != nil {
			return err
		}
		out.User, out.HeldRole, out.HeldOpenPacks, err = updateSSOUser(ctx, tx, userID, id, email)
		return err
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

// updateSSOUser locks the account userID, refuses it when deactivated,
// links it to id and brings it up to date. A role the domain will not
// change now is returned as held rather than failing the sign-in: the
// person still gets in, with the role they had.
func updateSSOUser(ctx context.Context, tx pgx.Tx, userID int64, id SSOIdentity, email string) (*handoff.User, handoff.Role, int, error) {
	admins, u, err := lockAdminsAndUser(ctx, tx, userID)
	if err != nil {
		return nil, "", 0, err
	}
	if !u.Active {
		return nil, "", 0, handoff.Errorf(handoff.EFORBIDDEN,
			"Your Handoff account (%s) is deactivated, so you can't sign in. If you need access again, ask your Handoff admin to reactivate it.", u.Email)
	}
	role, held, open := id.Role, handoff.Role(""), 0
	if role != u.Role {
		if err := handoff.CheckRoleChange(u, role, admins); err != nil {
			role, held = u.Role, id.Role
		} else if open, err = openPacksOf(ctx, tx, u); err != nil {
			return nil, "", 0, err
		} else if handoff.CheckOpenPacks(u, open) != nil {
			role, held = u.Role, id.Role
		} else {
			open = 0
		}
	}
	if _, err := tx.Exec(ctx, `
		UPDATE users SET oidc_issuer = $2, oidc_subject = $3
		WHERE id = $1 AND (oidc_issuer, oidc_subject) IS DISTINCT FROM ($2, $3)`, u.ID, id.Issuer, id.Subject); err != nil {
		return nil, "", 0, err
	}
	if u.Name == id.Name && u.Email == email && u.Role == role {
		return u, held, open, nil
	}
	// Only a real change is written: the data-version trigger fires on
	// these columns, and every server would drop what it keeps in memory.
	rows, err := tx.Query(ctx, `
		UPDATE users SET name = $2, email = $3, role = $4, updated_at = now()
		WHERE id = $1
		RETURNING `+userColumns, u.ID, id.Name, email, string(role))
	if err != nil {
		return nil, "", 0, err
	}
	updated, err := collectUser(rows)
	if isUniqueViolation(err, "users_email_key") {
		return nil, "", 0, handoff.Errorf(handoff.ECONFLICT,
			"Your email address changed to %s, but another Handoff account already has it. Ask your Handoff admin to sort out the two accounts.", email)
	}
	if err != nil {
		return nil, "", 0, err
	}
	return updated, held, open, nil
}

// SSOLinked reports whether user id has signed in through the identity
// provider, so the account page can say where their password lives.
func (db *DB) SSOLinked(ctx context.Context, id int64) (bool, error) {
	var linked bool
	if err := db.Pool.QueryRow(ctx, `SELECT oidc_subject IS NOT NULL FROM users WHERE id = $1`, id).Scan(&linked); err != nil {
		return false, fmt.Errorf("postgres: is user %d linked to single sign-on: %w", id, err)
	}
	return linked, nil
}
