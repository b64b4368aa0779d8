package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

var qAcceptTOTPStep = q("accept_totp_step")

// AcceptTOTPStep records that user userID logged in with a TOTP code of time
// step step (the RFC 6238 counter, Unix time / 30 s). It is false, and
// changes nothing, when that step or a later one was accepted already: a
// code works once (RFC 6238 §5.2). The check and the write are one
// statement, so two logins racing with the same code cannot both pass.
func (s *Store) AcceptTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	var id int64
	err := s.db.GetContext(ctx, &id, qAcceptTOTPStep, userID, step)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("accept totp step of user %d: %w", userID, err)
	}
	return true, nil
}
