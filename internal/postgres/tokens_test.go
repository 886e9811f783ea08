package postgres_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"strings"
	"testing"
	"time"

	"github.com/handoff-app/handoff/internal/handoff"
	"github.com/handoff-app/handoff/internal/postgres"
	"github.com/handoff-app/handoff/internal/postgres/postgrestest"
)

func TestTokens(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := postgrestest.New(t)
	now := time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC)

	tok, value, err := db.CreateToken(ctx, "  Salesforce ", 0, now)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Name != "Salesforce" || !strings.HasPrefix(value, postgres.TokenPrefix) || len(value) < 40 || tok.LastUsedAt != nil {
		t.Fatalf("token %+v, value %q", tok, value)
	}
	var stored []byte
	if err := db.Pool.QueryRow(ctx, `SELECT token_hash FROM api_tokens WHERE id = $1`, tok.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256([]byte(value)); !bytes.Equal(stored, sum[:]) {
		t.Error("the stored hash is not the token's SHA-256")
	}

	t.Run("ErrNameTaken", func(t *testing.T) {
		_, _, err := db.CreateToken(ctx, "Salesforce", 0, now)
		if handoff.InvalidFields(err)["name"] == "" {
			t.Errorf("err = %v, want an invalid name", err)
		}
		if _, _, err := db.CreateToken(ctx, " ", 0, now); handoff.InvalidFields(err)["name"] == "" {
			t.Errorf("blank name: err = %v", err)
		}
	})
	t.Run("LastUsedAtMostOnceAMinute", func(t *testing.T) {
		lastUsed := func() time.Time {
			var at time.Time
			if err := db.Pool.QueryRow(ctx, `SELECT last_used_at FROM api_tokens WHERE id = $1`, tok.ID).Scan(&at); err != nil {
				t.Fatal(err)
			}
			return at
		}
		for _, c := range []struct {
			at, want time.Time
		}{
			{now, now},
			{now.Add(30 * time.Second), now},
			{now.Add(61 * time.Second), now.Add(61 * time.Second)},
		} {
			if _, err := db.TokenByValue(ctx, value, c.at); err != nil {
				t.Fatal(err)
			}
			if got := lastUsed(); !got.Equal(c.want) {
				t.Errorf("used at %v: last_used_at %v, want %v", c.at, got, c.want)
			}
		}
	})
	t.Run("ErrUnknown", func(t *testing.T) {
		for _, v := range []string{"", "hoff_nope", value + "x", strings.TrimPrefix(value, "hoff_")} {
			if _, err := db.TokenByValue(ctx, v, now); handoff.ErrorCode(err) != handoff.EUNAUTHORIZED {
				t.Errorf("%q: err = %v, want unauthorized", v, err)
			}
		}
	})
	t.Run("RevokeEndsAccess", func(t *testing.T) {
		other, _, err := db.CreateToken(ctx, "HubSpot", 0, now.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		r, err := db.RevokeToken(ctx, "Salesforce", now)
		if err != nil || r.RevokedAt == nil {
			t.Fatalf("revoke: %+v, %v", r, err)
		}
		if _, err := db.TokenByValue(ctx, value, now); handoff.ErrorCode(err) != handoff.EUNAUTHORIZED {
			t.Errorf("revoked token: err = %v", err)
		}
		again, err := db.RevokeTokenID(ctx, tok.ID, now.Add(time.Hour))
		if err != nil || !again.RevokedAt.Equal(*r.RevokedAt) {
			t.Errorf("second revoke moved the time: %+v, %v", again, err)
		}
		if _, err := db.RevokeToken(ctx, "Nope", now); handoff.ErrorCode(err) != handoff.ENOTFOUND {
			t.Errorf("unknown name: err = %v", err)
		}
		ts, err := db.Tokens(ctx)
		if err != nil || len(ts) != 2 || ts[0].ID != other.ID || !ts[1].Revoked() {
			t.Errorf("tokens = %+v, %v; want the live one first", ts, err)
		}
	})
}
