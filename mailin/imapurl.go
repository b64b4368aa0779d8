package mailin

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// imapURLForms is appended to every URL error so that the user sees what is expected.
const imapURLForms = "want imaps://USER@HOST:993/MAILBOX (implicit TLS), " +
	"imap+starttls://USER@HOST:143/MAILBOX (STARTTLS) or " +
	"imap://USER@127.0.0.1:143/MAILBOX (plaintext, loopback and tests only); " +
	"the password comes from its own setting, the mailbox defaults to INBOX, " +
	"and an @ inside USER may stay as it is or be written %40"

// security is how the connection to the IMAP server is protected.
type security int

const (
	securityNone     security = iota // imap://: plaintext
	securityStartTLS                 // imap+starttls://: RFC 9051 §6.2.1 STARTTLS
	securityTLS                      // imaps://: implicit TLS, RFC 8314 §3.3
)

// endpoint is what a validated IMAP URL names.
type endpoint struct {
	security security
	addr     string // host:port
	username string
	mailbox  string
}

// ParseIMAPURL parses and validates an IMAP URL of the form
// imaps://USER@HOST[:PORT]/MAILBOX (implicit TLS, default port 993),
// imap+starttls://USER@HOST[:PORT]/MAILBOX (STARTTLS, default port 143) or
// imap://USER@HOST[:PORT]/MAILBOX (plaintext, meant for loopback and tests,
// default port 143). The mailbox defaults to INBOX. The URL must not carry a
// password: it comes from Config.Password. Errors never repeat a password.
func ParseIMAPURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		// url.Error quotes the input, which may hold a password: drop it.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("parse imap url: %w; %s", err, imapURLForms)
	}
	if _, err := endpointOf(u); err != nil {
		return nil, err
	}
	return u, nil
}

// endpointOf validates u and extracts the connection parameters.
func endpointOf(u *url.URL) (endpoint, error) {
	if u == nil {
		return endpoint{}, fmt.Errorf("parse imap url: no url; %s", imapURLForms)
	}
	bad := func(format string, args ...any) (endpoint, error) {
		return endpoint{}, fmt.Errorf("parse imap url %q: %s; %s", u.Redacted(), fmt.Sprintf(format, args...), imapURLForms)
	}
	var ep endpoint
	var port string
	switch strings.ToLower(u.Scheme) {
	case "imaps":
		ep.security, port = securityTLS, "993"
	case "imap+starttls":
		ep.security, port = securityStartTLS, "143"
	case "imap":
		ep.security, port = securityNone, "143"
	case "":
		return bad("no scheme")
	default:
		return bad("unknown scheme %q", u.Scheme)
	}
	if u.Opaque != "" {
		return bad("missing // after the scheme")
	}
	if u.Hostname() == "" {
		return bad("no host")
	}
	if ep.security == securityNone && !isLoopback(u.Hostname()) {
		return bad("plaintext imap:// is only for a server on this machine; use imaps:// or imap+starttls:// for %s", u.Hostname())
	}
	if u.User == nil || u.User.Username() == "" {
		return bad("no user name")
	}
	if _, set := u.User.Password(); set {
		return bad("the url must not contain a password")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return bad("unexpected query or fragment")
	}
	if p := u.Port(); p != "" {
		port = p
	}
	ep.addr = net.JoinHostPort(u.Hostname(), port)
	ep.username = u.User.Username()
	ep.mailbox = strings.TrimPrefix(u.Path, "/")
	if ep.mailbox == "" {
		ep.mailbox = "INBOX"
	}
	return ep, nil
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
