package mailout

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wneessen/go-mail"

	"switchboard/workflows"
)

// Outgoing is one approved mail, ready to send.
type Outgoing struct {
	// MessageID is generated (NewMessageID) and stored before sending, so a
	// crash mid-send leaves a record to match (RFC 5322 §3.6.4, without <>).
	MessageID string
	// From is our sender address; the zero value means Config.From.
	From                workflows.Address
	To, Cc              []workflows.Address
	ReplyTo             []workflows.Address // RFC 5322 §3.6.2
	Subject, Text, HTML string              // HTML may be empty
	InReplyTo           string              // RFC 5322 §3.6.4, without <>
	References          []string            // oldest first, without <>
	Attachments         []OutAttachment
}

// OutAttachment is one file attached to an Outgoing mail (RFC 2183), or,
// with a ContentID, an inline part of it.
type OutAttachment struct {
	Filename    string
	ContentType string // "" to guess from the file name
	Data        []byte
	// ContentID (RFC 2392, without <>) makes the file an inline part of a
	// multipart/related body, referenced from the HTML as "cid:ContentID".
	ContentID string
}

// Sender sends Outgoing mail through one SMTP server. It is safe for
// concurrent use: each Send has its own connection.
type Sender struct {
	client *mail.Client
	from   workflows.Address
}

// headerAutoSubmitted marks our mail as automatically generated (RFC 3834
// §5), so that well-behaved responders don't answer it: "auto-replied" for a
// reply (In-Reply-To set), "auto-generated" for mail that answers nothing,
// such as the press digest.
const headerAutoSubmitted mail.Header = "Auto-Submitted"

// NewSender checks cfg and returns a Sender for it. It does not dial.
func NewSender(cfg Config) (*Sender, error) {
	if cfg.URL == nil {
		return nil, errors.New("new sender: no smtp url")
	}
	if err := checkURL(cfg.URL); err != nil {
		return nil, fmt.Errorf("new sender: %w", err)
	}
	if err := checkAddress(cfg.From); err != nil {
		return nil, fmt.Errorf("new sender: from: %w", err)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	port := cfg.URL.Port()
	if port == "" {
		port = defaultPorts[cfg.URL.Scheme]
	}
	n, err := strconv.Atoi(port)
	if err != nil {
		return nil, fmt.Errorf("new sender: bad port %q: %w", port, err)
	}
	opts := []mail.Option{mail.WithPort(n), mail.WithTimeout(cfg.Timeout)}
	switch cfg.URL.Scheme {
	case "smtp":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case "smtp+starttls":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case "smtps":
		opts = append(opts, mail.WithSSL())
	}
	if cfg.HeloName != "" {
		opts = append(opts, mail.WithHELO(cfg.HeloName))
	}
	user := cfg.Username
	if user == "" {
		user = cfg.URL.User.Username()
	}
	if user != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(user), mail.WithPassword(cfg.Password))
	}
	c, err := mail.NewClient(cfg.URL.Hostname(), opts...)
	if err != nil {
		return nil, fmt.Errorf("new sender: %w", err)
	}
	return &Sender{client: c, from: cfg.From}, nil
}

// Send sends m. It refuses (Refuse) any To or Cc address before dialing,
// sets every header through go-mail, and fails with ErrNoSMTPUTF8 when m
// has a non-ASCII address and the server lacks SMTPUTF8 (RFC 6531). ctx
// bounds the connection; Config.Timeout bounds each command. Use
// IsPermanent to decide whether to retry a failure.
func (s *Sender) Send(ctx context.Context, m Outgoing) error {
	if m.From.Address == "" {
		m.From = s.from
	}
	msg, err := s.build(m)
	if err != nil {
		return permanent(fmt.Errorf("send %s: %w", m.MessageID, err))
	}
	conn, err := s.client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fmt.Errorf("send %s: dial: %w", m.MessageID, err)
	}
	defer func() { _ = s.client.CloseWithSMTPClient(conn) }()
	if needsSMTPUTF8(m) {
		if ok, _ := conn.Extension("SMTPUTF8"); !ok {
			return permanent(fmt.Errorf("send %s: %w", m.MessageID, ErrNoSMTPUTF8))
		}
	}
	if err := s.client.SendWithSMTPClient(conn, msg); err != nil {
		return fmt.Errorf("send %s: %w", m.MessageID, err)
	}
	return nil
}

// build checks m and turns it into a go-mail message.
func (s *Sender) build(m Outgoing) (*mail.Msg, error) {
	if err := checkMsgID(m.MessageID); err != nil {
		return nil, fmt.Errorf("message-id: %w", err)
	}
	if len(m.To) == 0 {
		return nil, errors.New("no To address")
	}
	own := []string{s.from.Address, m.From.Address}
	rcpts := append(append([]workflows.Address(nil), m.To...), m.Cc...)
	for _, a := range rcpts {
		if err := Refuse(a.Address, own); err != nil {
			return nil, err
		}
	}
	for _, a := range append(append(rcpts, m.From), m.ReplyTo...) {
		if err := checkAddress(a); err != nil {
			return nil, err
		}
	}
	msg := mail.NewMsg()
	msg.FromMailAddress(mailAddress(m.From))
	msg.ToMailAddress(mailAddresses(m.To)...)
	if len(m.Cc) > 0 {
		msg.CcMailAddress(mailAddresses(m.Cc)...)
	}
	if len(m.ReplyTo) > 0 {
		msg.ReplyToMailAddress(mailAddresses(m.ReplyTo)...)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(time.Now())
	if m.InReplyTo != "" {
		if err := checkMsgID(m.InReplyTo); err != nil {
			return nil, fmt.Errorf("in-reply-to: %w", err)
		}
		msg.SetGenHeader(mail.HeaderInReplyTo, "<"+m.InReplyTo+">")
	}
	if len(m.References) > 0 {
		ids := make([]string, len(m.References))
		for i, id := range m.References {
			if err := checkMsgID(id); err != nil {
				return nil, fmt.Errorf("references: %w", err)
			}
			ids[i] = "<" + id + ">"
		}
		// One value: go-mail joins several with ", ", which References'
		// grammar (RFC 5322 §3.6.4: 1*msg-id) does not allow.
		msg.SetGenHeader(mail.HeaderReferences, strings.Join(ids, " "))
	}
	autoSubmitted := "auto-generated"
	if m.InReplyTo != "" {
		autoSubmitted = "auto-replied"
	}
	msg.SetGenHeader(headerAutoSubmitted, autoSubmitted)
	msg.SetGenHeader(mail.HeaderXAutoResponseSuppress, "All") // Exchange's equivalent of RFC 3834
	msg.SetUserAgent("Switchboard")
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		var opts []mail.FileOption
		if a.ContentType != "" {
			opts = append(opts, mail.WithFileContentType(mail.ContentType(a.ContentType)))
		}
		if a.ContentID != "" {
			// RFC 2392 §2: a content-id has the msg-id form; go-mail
			// writes the header and the multipart/related structure.
			if err := checkMsgID(a.ContentID); err != nil {
				return nil, fmt.Errorf("content-id of %s: %w", a.Filename, err)
			}
			opts = append(opts, mail.WithFileContentID("<"+a.ContentID+">"))
			if err := msg.EmbedReader(a.Filename, bytes.NewReader(a.Data), opts...); err != nil {
				return nil, fmt.Errorf("embed %s: %w", a.Filename, err)
			}
			continue
		}
		if err := msg.AttachReader(a.Filename, bytes.NewReader(a.Data), opts...); err != nil {
			return nil, fmt.Errorf("attach %s: %w", a.Filename, err)
		}
	}
	return msg, nil
}

// checkAddress reports whether a is a single valid mailbox (RFC 5322 §3.4,
// with RFC 6532 UTF-8 allowed); it also rules out CR and LF in the name.
func checkAddress(a workflows.Address) error {
	p, err := netmail.ParseAddress(a.Address)
	if err != nil || p.Address != a.Address {
		return fmt.Errorf("bad address %q", a.Address)
	}
	if strings.ContainsAny(a.Name, "\r\n") {
		return fmt.Errorf("bad display name %q", a.Name)
	}
	return nil
}

// checkMsgID reports whether id is a msg-id without its angle brackets
// (RFC 5322 §3.6.4): printable ASCII with one "@", no space, "<" or ">".
func checkMsgID(id string) error {
	if id == "" {
		return errors.New("empty")
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c >= 0x7f || c == '<' || c == '>' {
			return fmt.Errorf("%q has a character not allowed in a msg-id", id)
		}
	}
	if strings.Count(id, "@") != 1 || strings.HasPrefix(id, "@") || strings.HasSuffix(id, "@") {
		return fmt.Errorf("%q is not left@right", id)
	}
	return nil
}

// needsSMTPUTF8 reports whether any address of m has non-ASCII characters
// (RFC 6532 §3.2), which only an SMTPUTF8 server may accept.
func needsSMTPUTF8(m Outgoing) bool {
	for _, list := range [][]workflows.Address{{m.From}, m.To, m.Cc, m.ReplyTo} {
		for _, a := range list {
			if !isASCII(a.Address) {
				return true
			}
		}
	}
	return false
}

// isASCII reports whether s is plain ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// mailAddress converts a to net/mail's type; go-mail encodes a non-ASCII
// display name per RFC 2047.
func mailAddress(a workflows.Address) *netmail.Address {
	return &netmail.Address{Name: a.Name, Address: a.Address}
}

// mailAddresses converts a list of addresses.
func mailAddresses(list []workflows.Address) []*netmail.Address {
	out := make([]*netmail.Address, len(list))
	for i, a := range list {
		out[i] = mailAddress(a)
	}
	return out
}
