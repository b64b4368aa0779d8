package web

import (
	"context"
	"crypto/subtle"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// totpPeriod is the RFC 6238 time step.
const totpPeriod = 30 * time.Second

// totpOpts are the parameters authenticator apps use by default.
var totpOpts = totp.ValidateOpts{Period: uint(totpPeriod / time.Second), Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// totpMatch checks code against secret at now and one step either side
// (clock drift, RFC 6238 §5.2) and returns the time step it belongs to.
func totpMatch(code, secret string, now time.Time) (step int64, ok bool) {
	if len(code) != int(otp.DigitsSix) || secret == "" {
		return 0, false
	}
	for _, d := range []int64{0, -1, 1} {
		t := now.Add(time.Duration(d) * totpPeriod)
		want, err := totp.GenerateCodeCustom(secret, t, totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return t.Unix() / int64(totpPeriod/time.Second), true
		}
	}
	return 0, false
}

// checkTOTP is true when code is valid for user u now and its time step is
// later than any accepted before, which it records: a code works once, so a
// code seen over a shoulder or in a proxy log cannot be replayed.
func (s *Server) checkTOTP(ctx context.Context, u User, code string) (bool, error) {
	step, ok := totpMatch(code, u.TOTPSecret, s.cfg.Now())
	if !ok {
		return false, nil
	}
	return s.store.AcceptTOTPStep(ctx, u.ID, step)
}
