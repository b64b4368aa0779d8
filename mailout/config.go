// Package mailout sends approved mail with go-mail: threading headers
// (RFC 5322 §3.6.4), Auto-Submitted (RFC 3834 §5), text and HTML
// alternatives (RFC 2046 §5.1.4), attachments, and internationalised
// addresses (RFC 6531, RFC 6532). It refuses automatic addresses before
// dialing and classifies failures as permanent or temporary.
//
// SMTPUTF8: go-mail v0.8.1 adds the SMTPUTF8 parameter to MAIL FROM whenever
// the server advertises the extension (smtp.Client.Mail), passes UTF-8
// addresses through net/mail unchanged, and has WithoutSMTPUTF8 to turn
// that off. It does not check that a message needs the extension, so a
// UTF-8 address sent to a server without it would go out as raw 8-bit bytes
// the server never agreed to. Send therefore checks the EHLO reply itself
// and fails with ErrNoSMTPUTF8 (permanent) before MAIL FROM.
package mailout

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	"switchboard/workflows"
)

// Config is how the Sender reaches its SMTP server.
type Config struct {
	// URL is smtp://host:port (no TLS; for a relay on loopback),
	// smtp+starttls://host:port (STARTTLS required, RFC 3207) or
	// smtps://host:port (implicit TLS, RFC 8314 §3.3). See ParseSMTPURL.
	URL *url.URL
	// Username and Password turn on SMTP AUTH (RFC 4954); the strongest
	// mechanism the server offers is used. Username defaults to the URL's.
	Username, Password string
	// From is our address: the From header and the envelope sender.
	From     workflows.Address
	HeloName string        // EHLO name (RFC 5321 §4.1.1.1); "" for the host name
	Timeout  time.Duration // for the connection and each command; 0 means 30s
}

// DefaultTimeout is the Timeout used when Config.Timeout is 0.
const DefaultTimeout = 30 * time.Second

// defaultPorts are the ports of each URL scheme: SMTP relay (RFC 5321),
// submission with STARTTLS (RFC 6409) and submission over TLS (RFC 8314).
var defaultPorts = map[string]string{"smtp": "25", "smtp+starttls": "587", "smtps": "465"}

// ParseSMTPURL parses and checks an SMTP server URL such as
// "smtp+starttls://user@mail.example.org:587", filling in the scheme's
// default port. A password in the URL is refused: secrets go in
// SWITCHBOARD_SMTP_PASSWORD, so that the URL can be logged.
func ParseSMTPURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("parse smtp url: %w", err)
	}
	if err := checkURL(u); err != nil {
		return nil, err
	}
	if u.Port() == "" {
		u.Host = net.JoinHostPort(u.Hostname(), defaultPorts[u.Scheme])
	}
	return u, nil
}

// checkURL reports what is wrong with an SMTP server URL, if anything.
func checkURL(u *url.URL) error {
	if _, ok := defaultPorts[u.Scheme]; !ok {
		return fmt.Errorf("parse smtp url: scheme %q is not smtp, smtp+starttls or smtps", u.Scheme)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("parse smtp url: no host")
	}
	if u.Scheme == "smtp" && !isLoopback(u.Hostname()) {
		return fmt.Errorf("parse smtp url: plaintext smtp:// is only for a server on this machine; use smtp+starttls:// or smtps:// for %s", u.Hostname())
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("parse smtp url: bad port %q", p)
		}
	}
	if _, ok := u.User.Password(); ok {
		return fmt.Errorf("parse smtp url: password in url; set SWITCHBOARD_SMTP_PASSWORD instead")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("parse smtp url: unexpected path, query or fragment")
	}
	return nil
}

// isLoopback reports whether host names this machine (localhost or a
// loopback address), where plaintext cannot be overheard.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
