package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/handoff-app/handoff/internal/handoff"
)

// PasswordTokenTTL is how long a set-password link works.
const PasswordTokenTTL = 72 * time.Hour

func hashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// CreatePasswordToken makes a one-time set-password link token for user id,
// replacing any earlier unused one. Only its hash is stored.
func (db *DB) CreatePasswordToken(ctx context.Context, userID int64, now time.Time) (string, error) {
	token := rand.Text()
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM password_tokens WHERE user_id = $1`, userID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO password_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)`,
			hashToken(token), userID, now.Add(PasswordTokenTTL))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("postgres: create password token for user %d: %w", userID, err)
	}
	return token, nil
}

// PasswordTokenUser returns the active user a still-valid token belongs to.
// Unknown, used and expired tokens are all simply not found.
func (db *DB) PasswordTokenUser(ctx context.Context, token string, now time.Time) (*handoff.User, error) {
	var id int64
	err := db.Pool.QueryRow(ctx, `
		SELECT t.user_id FROM password_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > $2 AND u.active`,
		hashToken(token), now).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, handoff.Errorf(handoff.ENOTFOUND, "This link has expired or was already used. Ask your admin for a new one.")
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: password token: %w", err)
	}
	return db.User(ctx, id)
}

// UsePasswordToken sets the password through a token, once: the token is
// consumed in the same transaction, so a replayed link fails.
func (db *DB) UsePasswordToken(ctx context.Context, token, hash string, now time.Time) (*handoff.User, error) {
	var u *handoff.User
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `
			UPDATE password_tokens t SET used_at = $2
			FROM users u
			WHERE u.id = t.user_id AND t.token_hash = $1 AND t.used_at IS NULL AND t.expires_at > $2 AND u.active
			RETURNING t.user_id`, hashToken(token), now).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return handoff.Errorf(handoff.ENOTFOUND, "This link has expired or was already used. Ask your admin for a new one.")
		}
		if err != nil {
			return err
		}
		u, err = setPasswordHash(ctx, tx, id, hash)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: use password token: %w", err)
	}
	return u, nil
}
