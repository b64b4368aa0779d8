package mailout

import (
	"crypto/rand"
	"strconv"
	"strings"
	"time"
)

// NewMessageID returns a new, unique Message-ID (RFC 5322 §3.6.4) without
// the angle brackets: "<time>.<random>@<domain>", with the time in base 36
// and 130 random bits (crypto/rand.Text). A domain that is empty or not
// plain ASCII letters, digits, dots and hyphens is replaced by "localhost",
// so the result is always a valid msg-id.
func NewMessageID(domain string) string {
	domain = strings.ToLower(strings.Trim(domain, "."))
	if domain == "" || strings.IndexFunc(domain, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-')
	}) >= 0 {
		domain = "localhost"
	}
	return strconv.FormatInt(time.Now().UnixNano(), 36) + "." + strings.ToLower(rand.Text()) + "@" + domain
}
