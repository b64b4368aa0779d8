package mailout

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// ErrRefused is wrapped by every refusal to send to an address
// (DESIGN invariant 3). It is permanent.
var ErrRefused = errors.New("refused address")

// automaticLocals are local parts, lower-cased with "-", "_" and "."
// removed, of mailboxes no person reads: no-reply senders and the role
// accounts of RFC 2142 §5 and RFC 5321 §4.5.1 that answer with bounces.
var automaticLocals = []string{"noreply", "donotreply", "mailerdaemon", "postmaster"}

// Refuse returns an error wrapping ErrRefused when addr must not get
// automatic mail (DESIGN invariant 3, RFC 3834 §2): it is empty or not a
// mailbox (RFC 5322 §3.4.1), its local part is a no-reply, mailer-daemon or
// postmaster address (also with a "+tag" or a suffix such as
// "noreply-billing"), or it is one of own, our own addresses, compared
// without regard to case.
func Refuse(addr string, own []string) error {
	a := strings.TrimSpace(addr)
	if a == "" {
		return fmt.Errorf("refuse empty address: %w", ErrRefused)
	}
	parsed, err := mail.ParseAddress(a)
	if err != nil || parsed.Name != "" || parsed.Address != a {
		return fmt.Errorf("refuse address %q: not a bare mailbox: %w", addr, ErrRefused)
	}
	for _, o := range own {
		if o != "" && strings.EqualFold(a, strings.TrimSpace(o)) {
			return fmt.Errorf("refuse address %q: our own address: %w", addr, ErrRefused)
		}
	}
	local := strings.ToLower(a[:strings.LastIndexByte(a, '@')])
	if i := strings.IndexByte(local, '+'); i >= 0 {
		local = local[:i]
	}
	local = strings.NewReplacer("-", "", "_", "", ".", "").Replace(local)
	for _, auto := range automaticLocals {
		if strings.HasPrefix(local, auto) {
			return fmt.Errorf("refuse address %q: automatic mailbox: %w", addr, ErrRefused)
		}
	}
	return nil
}
