package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

const (
	okta  = "https://acme.okta.com"
	entra = "https://login.microsoftonline.com/tenant/v2.0"
)

func ssoIdentity(issuer, subject, email string, role handoff.Role) postgres.SSOIdentity {
	return postgres.SSOIdentity{Issuer: issuer, Subject: subject, Email: email, Name: "Pat Kim", Role: role, Provider: "Okta"}
}

func mustSignInSSO(t *testing.T, db *postgres.DB, id postgres.SSOIdentity) *postgres.SSOSignIn {
	t.Helper()
	res, err := db.SignInSSO(context.Background(), id)
	if err != nil {
		t.Fatalf("sign-in of %s %s: %v", id.Issuer, id.Subject, err)
	}
	return res
}

func mustCreateUser(t *testing.T, db *postgres.DB, email string, role handoff.Role) *handoff.User {
	t.Helper()
	u, err := db.CreateUser(context.Background(), postgres.NewUser{Email: email, Name: email, Role: role})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// The verified email links an account only when that account has no
// identity of the signing-in issuer: another subject of the same issuer is
// another person.
func TestSignInSSOLinksByEmail(t *testing.T) {
	t.Parallel()

	t.Run("ErrConflictForAnotherSubjectOfTheSameIssuer", func(t *testing.T) {
		t.Parallel()
		db := postgrestest.New(t)
		first := mustSignInSSO(t, db, ssoIdentity(okta, "00u-pat", "pat@example.com", handoff.RoleSE))
		_, err := db.SignInSSO(context.Background(), ssoIdentity(okta, "00u-new-hire", "pat@example.com", handoff.RoleAdmin))
		if handoff.ErrorCode(err) != handoff.ECONFLICT {
			t.Fatalf("err = %v, want ECONFLICT", err)
		}
		if msg := handoff.ErrorMessage(err); msg != "This email address belongs to a Handoff account linked to another Okta identity. Ask your Handoff admin." {
			t.Errorf("message = %q", msg)
		}
		// The account is as it was, and its own person still gets in.
		again := mustSignInSSO(t, db, ssoIdentity(okta, "00u-pat", "pat@example.com", handoff.RoleSE))
		if again.User.ID != first.User.ID || again.Linked || again.User.Role != handoff.RoleSE {
			t.Errorf("after the refusal: %+v", again)
		}
	})

	t.Run("AccountWithoutLinkIsLinked", func(t *testing.T) {
		t.Parallel()
		db := postgrestest.New(t)
		u := mustCreateUser(t, db, "pat@example.com", handoff.RoleSE)
		res := mustSignInSSO(t, db, ssoIdentity(okta, "00u-pat", "pat@example.com", handoff.RoleSE))
		if res.User.ID != u.ID || !res.Linked || res.Relinked || res.Created {
			t.Errorf("sign-in = %+v, want the account linked", res)
		}
	})

	t.Run("AnotherIssuerRelinks", func(t *testing.T) {
		// The organisation moves from Okta to Entra ID: the same people,
		// verified by the new provider, keep their accounts.
		t.Parallel()
		db := postgrestest.New(t)
		first := mustSignInSSO(t, db, ssoIdentity(okta, "00u-pat", "pat@example.com", handoff.RoleSE))
		res := mustSignInSSO(t, db, ssoIdentity(entra, "aad-pat", "pat@example.com", handoff.RoleSE))
		if res.User.ID != first.User.ID || !res.Linked || !res.Relinked {
			t.Errorf("sign-in = %+v, want the account moved to the new issuer", res)
		}
		// The old identity is let go: the account is no longer Okta's.
		if _, err := db.SignInSSO(context.Background(), ssoIdentity(okta, "00u-other", "pat@example.com", handoff.RoleSE)); err != nil {
			t.Errorf("Okta again after the move: %v, want it linked back as a move", err)
		}
	})

	t.Run("UnlinkLetsTheNextSubjectIn", func(t *testing.T) {
		t.Parallel()
		db := postgrestest.New(t)
		first := mustSignInSSO(t, db, ssoIdentity(okta, "00u-pat", "pat@example.com", handoff.RoleSE))
		u, removed, err := db.UnlinkSSO(context.Background(), first.User.ID)
		if err != nil || !removed {
			t.Fatalf("UnlinkSSO = %v, %v", removed, err)
		}
		if u.SessionVersion != first.User.SessionVersion+1 {
			t.Errorf("session version %d → %d, want the sessions ended", first.User.SessionVersion, u.SessionVersion)
		}
		if linked, _ := db.SSOLinked(context.Background(), u.ID); linked {
			t.Error("still linked")
		}
		res := mustSignInSSO(t, db, ssoIdentity(okta, "00u-pat-again", "pat@example.com", handoff.RoleSE))
		if res.User.ID != first.User.ID || !res.Linked || res.Relinked {
			t.Errorf("sign-in after unlink = %+v, want the account linked anew", res)
		}
	})

	t.Run("UnlinkWithoutLinkChangesNothing", func(t *testing.T) {
		t.Parallel()
		db := postgrestest.New(t)
		before := mustCreateUser(t, db, "pat@example.com", handoff.RoleSE)
		u, removed, err := db.UnlinkSSO(context.Background(), before.ID)
		if err != nil || removed || u.SessionVersion != before.SessionVersion {
			t.Errorf("UnlinkSSO = %+v, %v, %v; want nothing done", u, removed, err)
		}
		if _, _, err := db.UnlinkSSO(context.Background(), before.ID+100); handoff.ErrorCode(err) != handoff.ENOTFOUND {
			t.Errorf("UnlinkSSO of no one = %v, want ENOTFOUND", err)
		}
	})
}

// waitForLockWaiter waits until a session of db's database waits for a lock.
func waitForLockWaiter(t *testing.T, db *postgres.DB) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var n int
		if err := db.Pool.QueryRow(context.Background(), `
			SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no session came to wait for a lock")
}

// lockRow holds a row lock on user id in a transaction of its own until the
// returned function ends it.
func lockRow(t *testing.T, db *postgres.DB, id int64) (pgx.Tx, func()) {
	t.Helper()
	tx, err := db.Pool.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(context.Background(), `SELECT id FROM users WHERE id = $1 FOR UPDATE`, id); err != nil {
		t.Fatal(err)
	}
	end := func() { _ = tx.Rollback(context.Background()) }
	t.Cleanup(end)
	return tx, end
}

// A sign-in locks the person's own row; the admins' rows only when it is
// about to take an admin's role away.
func TestSignInSSOLocks(t *testing.T) {
	t.Parallel()

	t.Run("OnlyTheAccountRowIsLocked", func(t *testing.T) {
		t.Parallel()
		db := postgrestest.New(t)
		admin := mustCreateUser(t, db, "admin@example.com", handoff.RoleAdmin)
		mustSignInSSO(t, db, ssoIdentity(okta, "00u-sam", "sam@example.com", handoff.RoleSE))
		// An admin's row is held (an admin changing roles, say): an SE's
		// sign-in, even one that changes their role, does not wait for it.
		_, release := lockRow(t, db, admin.ID)
		defer release()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		res, err := db.SignInSSO(ctx, ssoIdentity(okta, "00u-sam", "sam@example.com", handoff.RoleSA))
		if err != nil {
			t.Fatalf("sign-in while an admin row is locked: %v", err)
		}
		if res.User.Role != handoff.RoleSA {
			t.Errorf("role = %s, want sa", res.User.Role)
		}
	})

	t.Run("DemotionLocksTheAdminsWithoutDeadlock", func(t *testing.T) {
		t.Parallel()
		db := postgrestest.New(t)
		first := mustCreateUser(t, db, "first@example.com", handoff.RoleAdmin) // the lower id: locked first
		pat := mustSignInSSO(t, db, ssoIdentity(okta, "00u-pat", "pat@example.com", handoff.RoleAdmin)).User

		// Another transaction changing roles holds the first admin, and
		// will want Pat's row next, as lockAdminsAndUser takes them.
		other, release := lockRow(t, db, first.ID)
		defer release()
		type result struct {
			res *postgres.SSOSignIn
			err error
		}
		done := make(chan result, 1)
		go func() {
			res, err := db.SignInSSO(context.Background(), ssoIdentity(okta, "00u-pat", "pat@example.com", handoff.RoleSE))
			done <- result{res, err}
		}()
		// The demotion waits for the admins' rows…
		waitForLockWaiter(t, db)
		select {
		case r := <-done:
			t.Fatalf("the demotion did not wait for the admins: %+v, %v", r.res, r.err)
		default:
		}
		// …without holding Pat's row meanwhile: the other transaction gets
		// it at once, where it would otherwise deadlock.
		if _, err := other.Exec(context.Background(), `SET LOCAL lock_timeout = '5s'`); err != nil {
			t.Fatal(err)
		}
		if _, err := other.Exec(context.Background(), `SELECT id FROM users WHERE id = $1 FOR UPDATE`, pat.ID); err != nil {
			t.Fatalf("Pat's row is held by the waiting sign-in: %v", err)
		}
		release()
		r := <-done
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.res.User.Role != handoff.RoleSE || r.res.HeldRole != "" {
			t.Errorf("sign-in = %+v, want Pat demoted: another admin is left", r.res)
		}
	})

	t.Run("TwoAdminsDemotedAtOnceLeaveOne", func(t *testing.T) {
		t.Parallel()
		db := postgrestest.New(t)
		for _, who := range []string{"pat", "lee"} {
			mustSignInSSO(t, db, ssoIdentity(okta, "00u-"+who, who+"@example.com", handoff.RoleAdmin))
		}
		var wg sync.WaitGroup
		results := make([]*postgres.SSOSignIn, 2)
		errs := make([]error, 2)
		for i, who := range []string{"pat", "lee"} {
			wg.Go(func() {
				results[i], errs[i] = db.SignInSSO(context.Background(), ssoIdentity(okta, "00u-"+who, who+"@example.com", handoff.RoleSE))
			})
		}
		wg.Wait()
		admins, held := 0, 0
		for i, r := range results {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if r.User.Role == handoff.RoleAdmin {
				admins++
			}
			if r.HeldRole == handoff.RoleSE {
				held++
			}
		}
		if admins != 1 || held != 1 {
			t.Errorf("%d admins left (%d held back), want exactly 1", admins, held)
		}
	})
}

// The conflict's words name no provider when none is given.
func TestSignInSSOConflictWithoutProviderName(t *testing.T) {
	t.Parallel()
	db := postgrestest.New(t)
	mustSignInSSO(t, db, ssoIdentity(okta, "00u-pat", "pat@example.com", handoff.RoleSE))
	id := ssoIdentity(okta, "00u-other", "pat@example.com", handoff.RoleSE)
	id.Provider = ""
	_, err := db.SignInSSO(context.Background(), id)
	if msg := handoff.ErrorMessage(err); !strings.Contains(msg, "linked to another single sign-on identity") {
		t.Errorf("message = %q", msg)
	}
}
