// Package config reads Switchboard's configuration from environment variables,
// validates it once, and prints it with secrets redacted. Every secret also
// has a *_FILE variant naming a file that holds it (for Docker and systemd
// credentials).
package config

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is the effective configuration.
type Config struct {
	DatabaseURL       string        // DATABASE_URL
	IMAPURL           string        // SWITCHBOARD_IMAP_URL, e.g. imaps://support@mail.example.org/INBOX
	IMAPPassword      string        // SWITCHBOARD_IMAP_PASSWORD (secret)
	SMTPURL           string        // SWITCHBOARD_SMTP_URL, e.g. smtp+starttls://support@mail.example.org:587
	SMTPPassword      string        // SWITCHBOARD_SMTP_PASSWORD (secret)
	From              string        // SWITCHBOARD_FROM, the support address replies come from
	PressTo           string        // SWITCHBOARD_PRESS_TO
	DigestInterval    time.Duration // SWITCHBOARD_DIGEST_INTERVAL: at most one press digest per interval
	HTTPAddr          string        // SWITCHBOARD_HTTP_ADDR
	BlobURL           string        // SWITCHBOARD_BLOB_URL
	PollInterval      time.Duration // SWITCHBOARD_POLL_INTERVAL, used when the server has no IDLE
	ReconcileInterval time.Duration // SWITCHBOARD_RECONCILE_INTERVAL
	LogFormat         string        // SWITCHBOARD_LOG_FORMAT: text or json
	PressIMAPURL      string        // SWITCHBOARD_PRESS_IMAP_URL, optional: the press mailbox
	PressIMAPPassword string        // SWITCHBOARD_PRESS_IMAP_PASSWORD (secret)
	MaxMessageSize    int64         // SWITCHBOARD_MAX_MESSAGE_SIZE, bytes; larger mail is kept as headers
	IntroOptIn        bool          // SWITCHBOARD_INTRO_OPT_IN: ask the target group's leader before an introduction
	IntroOptInWait    time.Duration // SWITCHBOARD_INTRO_OPT_IN_WAIT: how long their answer is awaited
	ListRadiusMiles   float64       // SWITCHBOARD_LIST_RADIUS_MILES: radius of a "groups near X" request that gives none

	// TrustedProxies (SWITCHBOARD_TRUSTED_PROXY) are the reverse proxies
	// whose X-Forwarded-For and X-Forwarded-Proto the web UI believes.
	TrustedProxies []netip.Prefix
}

// Var describes one environment variable.
type Var struct {
	Name    string
	Secret  bool
	Default string
	Help    string
}

// Vars lists every variable Config reads, in the order they are printed.
var Vars = []Var{
	{Name: "DATABASE_URL", Help: "PostgreSQL connection URL", Default: "postgres://postgres@127.0.0.1:5432/switchboard?sslmode=disable"},
	{Name: "SWITCHBOARD_IMAP_URL", Help: "the support mailbox: imaps://USER@HOST[:993]/MAILBOX (also imap+starttls://, or imap:// on loopback)"},
	{Name: "SWITCHBOARD_IMAP_PASSWORD", Secret: true, Help: "password for the IMAP user"},
	{Name: "SWITCHBOARD_SMTP_URL", Help: "outgoing mail: smtp+starttls://USER@HOST:587, smtps://USER@HOST:465, or smtp://HOST:PORT on loopback"},
	{Name: "SWITCHBOARD_SMTP_PASSWORD", Secret: true, Help: "password for the SMTP user"},
	{Name: "SWITCHBOARD_FROM", Help: "the address replies are sent from, e.g. \"Support Team <support@network.example.org>\""},
	{Name: "SWITCHBOARD_PRESS_TO", Help: "where press digests go"},
	{Name: "SWITCHBOARD_DIGEST_INTERVAL", Default: "24h", Help: "how often a press digest of newly approved stories is drafted (when SWITCHBOARD_PRESS_TO is set)"},
	{Name: "SWITCHBOARD_HTTP_ADDR", Default: "127.0.0.1:8080", Help: "listen address of the staff web UI"},
	{Name: "SWITCHBOARD_BLOB_URL", Default: "file://./blobs", Help: "where attachments are kept"},
	{Name: "SWITCHBOARD_POLL_INTERVAL", Default: "60s", Help: "how often to poll when the IMAP server has no IDLE"},
	{Name: "SWITCHBOARD_RECONCILE_INTERVAL", Default: "5m", Help: "how often to re-check every UID above the checkpoint"},
	{Name: "SWITCHBOARD_LOG_FORMAT", Default: "text", Help: "log format: text or json"},
	{Name: "SWITCHBOARD_PRESS_IMAP_URL", Help: "the press mailbox, optional; its mail defaults to submissions (same forms as SWITCHBOARD_IMAP_URL)"},
	{Name: "SWITCHBOARD_PRESS_IMAP_PASSWORD", Secret: true, Help: "password for the press IMAP user (SWITCHBOARD_IMAP_PASSWORD when empty)"},
	{Name: "SWITCHBOARD_MAX_MESSAGE_SIZE", Default: "26214400", Help: "largest message fetched whole, in bytes; larger ones are kept as headers and a share link is asked for"},
	{Name: "SWITCHBOARD_LIST_RADIUS_MILES", Default: "25", Help: "radius in miles of a \"groups near X\" request that names none"},
	{Name: "SWITCHBOARD_TRUSTED_PROXY", Help: "CIDR list of reverse proxies in front of the web UI whose X-Forwarded-For and X-Forwarded-Proto are believed; empty: none"},
	{Name: "SWITCHBOARD_INTRO_OPT_IN", Default: "true", Help: "double opt-in: ask the target group's leader before introducing (true or false)"},
	{Name: "SWITCHBOARD_INTRO_OPT_IN_WAIT", Default: "168h", Help: "how long the target leader's answer is awaited before the requester is told, e.g. 168h"},
}

// Getenv looks up one environment variable; os.LookupEnv in production.
type Getenv func(string) (string, bool)

// Load reads and validates the configuration. A variable NAME marked secret
// may instead be given as NAME_FILE, the path of a file holding the value
// (trailing newlines are trimmed). Errors name the variable and say what a
// valid value looks like.
func Load(getenv Getenv) (*Config, error) {
	vals := make(map[string]string, len(Vars))
	var errs []error
	for _, v := range Vars {
		val, ok := getenv(v.Name)
		if path, fok := getenv(v.Name + "_FILE"); fok && path != "" {
			if ok && val != "" {
				errs = append(errs, fmt.Errorf("%s and %s_FILE are both set: keep one", v.Name, v.Name))
				continue
			}
			b, err := os.ReadFile(path)
			if err != nil {
				errs = append(errs, fmt.Errorf("read %s_FILE: %w", v.Name, err))
				continue
			}
			val, ok = strings.TrimRight(string(b), "\r\n"), true
		}
		if !ok || val == "" {
			val = v.Default
		}
		vals[v.Name] = val
	}
	c := &Config{
		DatabaseURL:  vals["DATABASE_URL"],
		IMAPURL:      vals["SWITCHBOARD_IMAP_URL"],
		IMAPPassword: vals["SWITCHBOARD_IMAP_PASSWORD"],
		SMTPURL:      vals["SWITCHBOARD_SMTP_URL"],
		SMTPPassword: vals["SWITCHBOARD_SMTP_PASSWORD"],
		From:         vals["SWITCHBOARD_FROM"],
		PressTo:      vals["SWITCHBOARD_PRESS_TO"],
		HTTPAddr:     vals["SWITCHBOARD_HTTP_ADDR"],
		BlobURL:      vals["SWITCHBOARD_BLOB_URL"],
		LogFormat:    vals["SWITCHBOARD_LOG_FORMAT"],

		PressIMAPURL:      vals["SWITCHBOARD_PRESS_IMAP_URL"],
		PressIMAPPassword: vals["SWITCHBOARD_PRESS_IMAP_PASSWORD"],
	}
	if c.PressIMAPPassword == "" {
		c.PressIMAPPassword = c.IMAPPassword
	}
	if n, err := strconv.ParseInt(vals["SWITCHBOARD_MAX_MESSAGE_SIZE"], 10, 64); err != nil || n <= 0 {
		errs = append(errs, fmt.Errorf("SWITCHBOARD_MAX_MESSAGE_SIZE is %q: use a positive number of bytes such as 26214400", vals["SWITCHBOARD_MAX_MESSAGE_SIZE"]))
	} else {
		c.MaxMessageSize = n
	}
	if m, err := strconv.ParseFloat(vals["SWITCHBOARD_LIST_RADIUS_MILES"], 64); err != nil || !(m > 0 && m <= maxListRadiusMiles) {
		errs = append(errs, fmt.Errorf("SWITCHBOARD_LIST_RADIUS_MILES is %q: use a number of miles above 0 and at most %d, such as 25", vals["SWITCHBOARD_LIST_RADIUS_MILES"], maxListRadiusMiles))
	} else {
		c.ListRadiusMiles = m
	}
	var err error
	if c.TrustedProxies, err = parseTrustedProxies(vals["SWITCHBOARD_TRUSTED_PROXY"]); err != nil {
		errs = append(errs, err)
	}
	if c.PollInterval, err = duration("SWITCHBOARD_POLL_INTERVAL", vals); err != nil {
		errs = append(errs, err)
	}
	if c.ReconcileInterval, err = duration("SWITCHBOARD_RECONCILE_INTERVAL", vals); err != nil {
		errs = append(errs, err)
	}
	if c.IntroOptIn, c.IntroOptInWait, err = introSettings(vals); err != nil {
		errs = append(errs, err)
	}
	if c.DigestInterval, err = duration("SWITCHBOARD_DIGEST_INTERVAL", vals); err != nil {
		errs = append(errs, err)
	}
	if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		errs = append(errs, errors.New("DATABASE_URL must look like postgres://USER@HOST:5432/DBNAME?sslmode=disable"))
	}
	for _, a := range []struct{ name, val string }{{"SWITCHBOARD_FROM", c.From}, {"SWITCHBOARD_PRESS_TO", c.PressTo}} {
		if a.val == "" {
			continue
		}
		if _, err := mail.ParseAddress(a.val); err != nil {
			errs = append(errs, fmt.Errorf("%s is not an email address (%v): write it as addr@example.org or \"Name <addr@example.org>\"", a.name, err))
		}
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		errs = append(errs, fmt.Errorf("SWITCHBOARD_HTTP_ADDR is %q: write it as HOST:PORT, e.g. 127.0.0.1:8080", c.HTTPAddr))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("SWITCHBOARD_LOG_FORMAT is %q: use text or json", c.LogFormat))
	}
	return c, errors.Join(errs...)
}

// maxListRadiusMiles bounds SWITCHBOARD_LIST_RADIUS_MILES: beyond it a list
// is a state's, not a neighbourhood's.
const maxListRadiusMiles = 150

// minInterval is the shortest poll or reconcile interval accepted: anything
// shorter would hammer the IMAP server.
const minInterval = time.Second

func duration(name string, vals map[string]string) (time.Duration, error) {
	d, err := time.ParseDuration(vals[name])
	if err != nil || d < minInterval {
		return 0, fmt.Errorf("%s is %q: use a duration of at least 1s, such as 30s or 5m", name, vals[name])
	}
	return d, nil
}

// RequireServe checks the settings that `switchboard serve` cannot run without.
func (c *Config) RequireServe() error {
	var errs []error
	if c.IMAPURL == "" {
		errs = append(errs, errors.New("SWITCHBOARD_IMAP_URL is not set: point it at the support mailbox, e.g. imaps://support@mail.example.org/INBOX"))
	}
	if c.SMTPURL == "" {
		errs = append(errs, errors.New("SWITCHBOARD_SMTP_URL is not set: point it at your outgoing mail server, e.g. smtp+starttls://support@mail.example.org:587"))
	}
	if c.From == "" {
		errs = append(errs, errors.New("SWITCHBOARD_FROM is not set: give the support address, e.g. \"Support Team <support@network.example.org>\""))
	}
	return errors.Join(errs...)
}

// Dump writes every variable and its effective value, one per line, with
// secrets and URL passwords redacted.
func (c *Config) Dump(w io.Writer) error {
	vals := map[string]string{
		"DATABASE_URL": redactURL(c.DatabaseURL), "SWITCHBOARD_IMAP_URL": redactURL(c.IMAPURL),
		"SWITCHBOARD_IMAP_PASSWORD": redact(c.IMAPPassword), "SWITCHBOARD_SMTP_URL": redactURL(c.SMTPURL),
		"SWITCHBOARD_SMTP_PASSWORD": redact(c.SMTPPassword), "SWITCHBOARD_FROM": c.From,
		"SWITCHBOARD_PRESS_TO": c.PressTo, "SWITCHBOARD_DIGEST_INTERVAL": c.DigestInterval.String(), "SWITCHBOARD_HTTP_ADDR": c.HTTPAddr, "SWITCHBOARD_BLOB_URL": c.BlobURL,
		"SWITCHBOARD_POLL_INTERVAL": c.PollInterval.String(), "SWITCHBOARD_RECONCILE_INTERVAL": c.ReconcileInterval.String(),
		"SWITCHBOARD_LOG_FORMAT":     c.LogFormat,
		"SWITCHBOARD_PRESS_IMAP_URL": redactURL(c.PressIMAPURL), "SWITCHBOARD_PRESS_IMAP_PASSWORD": redact(c.PressIMAPPassword),
		"SWITCHBOARD_MAX_MESSAGE_SIZE": strconv.FormatInt(c.MaxMessageSize, 10),
		"SWITCHBOARD_INTRO_OPT_IN":     strconv.FormatBool(c.IntroOptIn), "SWITCHBOARD_INTRO_OPT_IN_WAIT": c.IntroOptInWait.String(),
		"SWITCHBOARD_LIST_RADIUS_MILES": strconv.FormatFloat(c.ListRadiusMiles, 'g', -1, 64),
		"SWITCHBOARD_TRUSTED_PROXY":     formatPrefixes(c.TrustedProxies),
	}
	for _, v := range Vars {
		if _, err := fmt.Fprintf(w, "%s=%s\n", v.Name, vals[v.Name]); err != nil {
			return err
		}
	}
	return nil
}

func redact(s string) string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// redactURL hides a password in a URL's user part or in a password query
// parameter (a libpq connection URL may carry either).
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "[unparsable URL redacted]"
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "redacted")
		}
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "redacted")
		u.RawQuery = q.Encode()
	}
	return u.String()
}
