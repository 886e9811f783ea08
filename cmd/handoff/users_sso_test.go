package main

import (
	"strings"
	"testing"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
)

// `handoff user unlink-sso` is the shell's way out when the identity
// provider made someone anew: the account lets go of its old identity, and
// the next sign-in links it again.
func TestUserCommandUnlinkSSO(t *testing.T) {
	t.Parallel()
	c := newUserCLI(t)
	c.add("ann@example.com", "Ann", "se", "plum tree lantern rides")
	c.add("bob@example.com", "Bob", "se", "copper kettle sings loud")
	id := postgres.SSOIdentity{Issuer: "https://acme.okta.com", Subject: "00u-ann", Email: "ann@example.com", Name: "Ann", Role: handoff.RoleSE, Provider: "Okta"}
	if _, err := c.db.SignInSSO(c.t.Context(), id); err != nil {
		t.Fatal(err)
	}
	remade := id
	remade.Subject = "00u-ann-remade"
	if _, err := c.db.SignInSSO(c.t.Context(), remade); handoff.ErrorCode(err) != handoff.ECONFLICT {
		t.Fatalf("sign-in as a new identity before unlink = %v, want ECONFLICT", err)
	}
	_, before := c.active("ann@example.com")

	t.Run("Unlinks", func(t *testing.T) {
		out := c.mustRun("", "unlink-sso", "--email", "ANN@example.com")
		if !strings.Contains(out, "unlinked ann@example.com from single sign-on") {
			t.Errorf("unlink-sso printed %q", out)
		}
		if _, v := c.active("ann@example.com"); v != before+1 {
			t.Errorf("session_version = %d, want %d so old sessions end", v, before+1)
		}
		if res, err := c.db.SignInSSO(c.t.Context(), remade); err != nil || !res.Linked {
			t.Errorf("sign-in as the new identity after unlink = %+v, %v", res, err)
		}
	})

	t.Run("NotLinked", func(t *testing.T) {
		if out := c.mustRun("", "unlink-sso", "--email", "bob@example.com"); !strings.Contains(out, "bob@example.com is not linked to single sign-on; nothing changed") {
			t.Errorf("unlink-sso printed %q", out)
		}
	})

	t.Run("ErrUnknownEmail", func(t *testing.T) {
		_, _, err := c.run("", "unlink-sso", "--email", "nobody@example.com")
		wantCLIError(t, err, 1, "user unlink-sso: No one has that email address.")
	})

	t.Run("ErrUsageMissingEmail", func(t *testing.T) {
		_, _, err := c.run("", "unlink-sso")
		wantCLIError(t, err, 2, "user unlink-sso: --email is required")
	})
}
