package mailout

import (
	"errors"
	"net/textproto"

	"github.com/wneessen/go-mail"
)

// ErrNoSMTPUTF8 means a message has a non-ASCII address (RFC 6532) but the
// server does not offer SMTPUTF8 (RFC 6531 §3.4), so it cannot be sent
// there. It is permanent.
var ErrNoSMTPUTF8 = errors.New("server does not support SMTPUTF8, needed for a non-ASCII address")

// permanentError marks an error that no retry can cure.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// permanent marks err as permanent.
func permanent(err error) error { return &permanentError{err: err} }

// IsPermanent reports whether retrying err is pointless: an SMTP 5xx reply
// (RFC 5321 §4.2.1), a refused address, a malformed message, or a server
// without a needed extension. Everything else — 4xx replies, network
// errors, timeouts, cancellation — is temporary and worth a retry.
func IsPermanent(err error) bool {
	if err == nil {
		return false
	}
	var p *permanentError
	if errors.As(err, &p) {
		return true
	}
	var se *mail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode() >= 500 && se.ErrorCode() <= 599
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code >= 500 && te.Code <= 599
	}
	return false
}
