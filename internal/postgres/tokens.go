package postgres

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// TokenPrefix starts every API token, so a leaked one is recognisable (secret
// scanners, logs) as Handoff's.
const TokenPrefix = "hoff_"

// Token is an API token as the admin page and the CLI list it: never the
// token itself, which is shown once and stored only as its SHA-256.
type Token struct {
	ID            int64
	Name          string
	CreatedByID   int64  // 0 when made with the CLI
	CreatedByName string // "" when made with the CLI
	CreatedAt     time.Time
	LastUsedAt    *time.Time
	RevokedAt     *time.Time
}

// Revoked reports whether the token no longer opens the API.
func (t Token) Revoked() bool { return t.RevokedAt != nil }

const tokenColumns = `t.id, t.name, coalesce(t.created_by, 0) AS created_by_id, coalesce(u.name, '') AS created_by_name,
	t.created_at, t.last_used_at, t.revoked_at`

const tokenFrom = ` FROM api_tokens t LEFT JOIN users u ON u.id = t.created_by`

// lastUsedEvery bounds how often a token's last-used time is written: a busy
// integration should not turn every API read into a row update.
const lastUsedEvery = time.Minute

// ValidateTokenName trims name and checks it as a token name.
func ValidateTokenName(name string) (string, error) {
	name = strings.TrimSpace(name)
	fe := handoff.FieldErrors{}
	switch {
	case name == "":
		fe.Add("name", "Name the token after the system that will use it, e.g. Salesforce.")
	case utf8.RuneCountInString(name) > 100:
		fe.Add("name", "Keep the name under 100 characters.")
	}
	return name, fe.Err()
}

// CreateToken makes a new API token named name, issued by createdBy (0 for
// the CLI), and returns it with the token itself — the only time it exists
// outside the caller: only its hash is stored. A name already in use is an
// EINVALID error on "name".
func (db *DB) CreateToken(ctx context.Context, name string, createdBy int64, now time.Time) (Token, string, error) {
	name, err := ValidateTokenName(name)
	if err != nil {
		return Token{}, "", err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return Token{}, "", fmt.Errorf("postgres: create token %q: %w", name, err)
	}
	value := TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	var by *int64
	if createdBy != 0 {
		by = &createdBy
	}
	rows, err := db.Pool.Query(ctx, `
		WITH t AS (
			INSERT INTO api_tokens (name, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4)
			RETURNING id, name, created_by, created_at, last_used_at, revoked_at)
		SELECT `+tokenColumns+` FROM t LEFT JOIN users u ON u.id = t.created_by`,
		name, hashToken(value), by, now)
	if err != nil {
		return Token{}, "", fmt.Errorf("postgres: create token %q: %w", name, err)
	}
	t, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Token])
	if isUniqueViolation(err, "api_tokens_name_key") {
		return Token{}, "", &handoff.Error{Code: handoff.EINVALID, Message: "Some fields need your attention.",
			Fields: map[string]string{"name": "A token with this name already exists; pick another name."}}
	}
	if err != nil {
		return Token{}, "", fmt.Errorf("postgres: create token %q: %w", name, err)
	}
	return t, value, nil
}

// Tokens lists every token, live ones first, newest first.
func (db *DB) Tokens(ctx context.Context) ([]Token, error) {
	rows, err := db.Pool.Query(ctx, `SELECT `+tokenColumns+tokenFrom+`
		ORDER BY t.revoked_at IS NOT NULL, t.created_at DESC, t.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("postgres: tokens: %w", err)
	}
	ts, err := pgx.CollectRows(rows, pgx.RowToStructByName[Token])
	if err != nil {
		return nil, fmt.Errorf("postgres: tokens: %w", err)
	}
	return ts, nil
}

// RevokeToken revokes the token named name. Revoking a revoked token keeps
// its first revocation time; an unknown name is a not-found error.
func (db *DB) RevokeToken(ctx context.Context, name string, now time.Time) (Token, error) {
	t, err := revokeToken(ctx, db.Pool, `t.name = $1`, strings.TrimSpace(name), now)
	if err != nil {
		return Token{}, fmt.Errorf("postgres: revoke token %q: %w", name, err)
	}
	return t, nil
}

// RevokeTokenID revokes token id, as RevokeToken does by name.
func (db *DB) RevokeTokenID(ctx context.Context, id int64, now time.Time) (Token, error) {
	t, err := revokeToken(ctx, db.Pool, `t.id = $1`, id, now)
	if err != nil {
		return Token{}, fmt.Errorf("postgres: revoke token %d: %w", id, err)
	}
	return t, nil
}

func revokeToken(ctx context.Context, q Querier, where string, key any, now time.Time) (Token, error) {
	rows, err := q.Query(ctx, `
		WITH t AS (
			UPDATE api_tokens t SET revoked_at = coalesce(t.revoked_at, $2) WHERE `+where+`
			RETURNING t.id, t.name, t.created_by, t.created_at, t.last_used_at, t.revoked_at)
		SELECT `+tokenColumns+` FROM t LEFT JOIN users u ON u.id = t.created_by`, key, now)
	if err != nil {
		return Token{}, err
	}
	t, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Token])
	if errors.Is(err, pgx.ErrNoRows) {
		return Token{}, handoff.Errorf(handoff.ENOTFOUND, "No token has that name.")
	}
	return t, err
}

// TokenByValue returns the live token whose value is value, recording that
// it was used at now (at most once a minute). An unknown or revoked token is
// an EUNAUTHORIZED error, the same for both so a caller learns nothing.
func (db *DB) TokenByValue(ctx context.Context, value string, now time.Time) (Token, error) {
	unauthorized := handoff.Errorf(handoff.EUNAUTHORIZED, "The API token is unknown or revoked.")
	if !strings.HasPrefix(value, TokenPrefix) {
		return Token{}, unauthorized
	}
	rows, err := db.Pool.Query(ctx, `SELECT `+tokenColumns+tokenFrom+`
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL`, hashToken(value))
	if err != nil {
		return Token{}, fmt.Errorf("postgres: token by value: %w", err)
	}
	t, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Token])
	if errors.Is(err, pgx.ErrNoRows) {
		return Token{}, unauthorized
	}
	if err != nil {
		return Token{}, fmt.Errorf("postgres: token by value: %w", err)
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= lastUsedEvery {
		// The condition is repeated in SQL so concurrent requests write once.
		_, err := db.Pool.Exec(ctx, `UPDATE api_tokens SET last_used_at = $2
			WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $2::timestamptz - interval '1 minute')`, t.ID, now)
		if err != nil {
			return Token{}, fmt.Errorf("postgres: token %d used: %w", t.ID, err)
		}
		t.LastUsedAt = &now
	}
	return t, nil
}
