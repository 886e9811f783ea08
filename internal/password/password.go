// Package password hashes and checks passwords with argon2id. Hashes are PHC
// strings ($argon2id$v=19$m=…,t=…,p=…$salt$key) that carry their own
// parameters, so raising the cost later keeps old hashes verifiable.
package password

import (
	"fmt"

	"github.com/alexedwards/argon2id"
)

// Hasher hashes with fixed argon2id parameters.
type Hasher struct {
	params *argon2id.Params
}

// Default follows OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): strong,
// yet a burst of logins does not balloon the server's memory.
func Default() Hasher {
	return Hasher{params: &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}}
}

// Cheap is for tests only: the same algorithm at a cost that keeps suites fast.
func Cheap() Hasher {
	return Hasher{params: &argon2id.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}}
}

// Hash returns the PHC-encoded argon2id hash of pw with a fresh random salt.
func (h Hasher) Hash(pw string) (string, error) {
	s, err := argon2id.CreateHash(pw, h.params)
	if err != nil {
		return "", fmt.Errorf("password: hash: %w", err)
	}
	return s, nil
}

// Verify reports whether pw matches hash, in constant time for the key.
func Verify(pw, hash string) (bool, error) {
	ok, err := argon2id.ComparePasswordAndHash(pw, hash)
	if err != nil {
		return false, fmt.Errorf("password: verify: %w", err)
	}
	return ok, nil
}

// Waste spends the same effort as a real verification, so a login for an
// unknown email takes as long as one for a known email (no user enumeration
// by timing).
func (h Hasher) Waste(pw string) {
	_, _ = h.Hash(pw)
}
