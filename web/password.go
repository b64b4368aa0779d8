package web

import (
	"errors"
	"fmt"

	"github.com/alexedwards/argon2id"
)

// MinPasswordLength is the shortest password HashPassword accepts.
const MinPasswordLength = 12

// passwordParams are the argon2id parameters of new hashes: the library's
// defaults (64 MiB, 1 pass, 2 lanes, 16-byte salt, 32-byte key).
var passwordParams = argon2id.DefaultParams

// HashPassword returns the argon2id hash of password in PHC string form.
func HashPassword(password string) (string, error) {
	if len(password) < MinPasswordLength {
		return "", fmt.Errorf("the password must have at least %d characters", MinPasswordLength)
	}
	h, err := argon2id.CreateHash(password, passwordParams)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return h, nil
}

// dummyHash is compared against when no account matches, so that a login
// for an unknown email takes as long as one for a known email.
var dummyHash, _ = argon2id.CreateHash("not a real password, only for timing", passwordParams)

// checkPassword reports whether password matches hash ("" compares with
// dummyHash and is always false).
func checkPassword(password, hash string) bool {
	if hash == "" {
		_, _ = argon2id.ComparePasswordAndHash(password, dummyHash)
		return false
	}
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	return err == nil && ok
}

var errTooManyAttempts = errors.New("too many failed attempts")
