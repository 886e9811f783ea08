package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

func TestTokenCommands(t *testing.T) {
	t.Parallel()
	url := postgrestest.URL(t)
	db, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	run := func(args ...string) (string, string, error) {
		var out, errOut bytes.Buffer
		p := &program{getenv: func(k string) string {
			if k == "DATABASE_URL" {
				return url
			}
			return ""
		}, stdin: strings.NewReader(""), stdout: &out, stderr: &errOut}
		err := p.token(t.Context(), args)
		return out.String(), errOut.String(), err
	}

	out, _, err := run("create", "--name", "Salesforce")
	if err != nil {
		t.Fatal(err)
	}
	value := strings.TrimSpace(out)
	if !strings.HasPrefix(value, postgres.TokenPrefix) || strings.Contains(value, "\n") {
		t.Fatalf("create printed %q, want one hoff_ token", out)
	}
	if tok, err := db.TokenByValue(t.Context(), value, time.Now()); err != nil || tok.Name != "Salesforce" {
		t.Fatalf("printed token does not authenticate: %+v, %v", tok, err)
	}
	t.Run("DuplicateNameRefused", func(t *testing.T) {
		if _, _, err := run("create", "--name", "Salesforce"); err == nil || !strings.Contains(err.Error(), "--name") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ListNeverShowsTheToken", func(t *testing.T) {
		out, _, err := run("list")
		if err != nil || !strings.Contains(out, "Salesforce") || strings.Contains(out, value) || !strings.Contains(out, "active") {
			t.Errorf("list = %q, %v", out, err)
		}
	})
	t.Run("RevokeEndsAccess", func(t *testing.T) {
		if _, _, err := run("revoke", "--name", "Salesforce"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.TokenByValue(t.Context(), value, time.Now()); err == nil {
			t.Error("a revoked token still authenticates")
		}
		out, _, _ := run("list")
		if !strings.Contains(out, "revoked") {
			t.Errorf("list after revoke = %q", out)
		}
		if _, _, err := run("revoke", "--name", "Nope"); err == nil {
			t.Error("revoking an unknown name succeeded")
		}
	})
	t.Run("Usage", func(t *testing.T) {
		for _, args := range [][]string{nil, {"create"}, {"frob"}} {
			if _, _, err := run(args...); exitCode(err) != 2 {
				t.Errorf("%v: err %v, want a usage error", args, err)
			}
		}
	})
}
