package web

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
)

// MinPasswordLength is the shortest password HashPassword accepts.
const MinPasswordLength = 12

// passwordParams are the argon2id parameters of new hashes: the library's
// defaults (64 MiB, 1 pass, 2 lanes, 16-byte salt, 32-byte key).
var passwordParams = argon2id.DefaultParams

// commonPasswordsTxt is the 100 most common passwords (102 lines as
// published), one a line:
// SecLists, Passwords/Common-Credentials/10-million-password-list-top-100.txt
// (https://github.com/danielmiessler/SecLists, MIT licence; from Mark
// Burnett's 10 million password list, xato.net, 2015).
//
//go:embed common_passwords.txt
var commonPasswordsTxt string

// commonPasswords is commonPasswordsTxt as a set.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(commonPasswordsTxt, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			m[l] = true
		}
	}
	return m
}()

// CheckPassword says why password is not acceptable, or nil: it needs
// MinPasswordLength characters once leading and trailing white space is
// trimmed, and must not be one of the most common passwords (commonPasswordsTxt), nor one of
// them repeated ("passwordpassword", "123456123456"), nor one character
// repeated. Every password of that list is shorter than 12 characters, so
// the length rule refuses them by itself; the list matters for repeats.
func CheckPassword(password string) error {
	t := strings.TrimSpace(password)
	if utf8.RuneCountInString(t) < MinPasswordLength {
		return fmt.Errorf("the password must have at least %d characters, not counting spaces at either end", MinPasswordLength)
	}
	l := strings.ToLower(t)
	if commonPasswords[l] || repeats(l) {
		return errors.New("that password is one of the most common ones; choose another")
	}
	return nil
}

// repeats reports whether s is one common password, or one character,
// repeated two or more times.
func repeats(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	if strings.Count(s, string(r)) == utf8.RuneCountInString(s) && size > 0 {
		return true
	}
	for p := range commonPasswords {
		if len(s)%len(p) == 0 && len(s) > len(p) && strings.Repeat(p, len(s)/len(p)) == s {
			return true
		}
	}
	return false
}

// HashPassword returns the argon2id hash of password in PHC string form;
// a password CheckPassword refuses is an error.
func HashPassword(password string) (string, error) {
	if err := CheckPassword(password); err != nil {
		return "", err
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
