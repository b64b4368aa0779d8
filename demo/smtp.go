package demo

import (
	"bytes"
	"errors"
	"io"
	"net"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Captured is one message the capture server accepted.
type Captured struct {
	From string   // MAIL FROM
	To   []string // RCPT TO, in order
	Data []byte   // the message as received
	At   time.Time
}

// SMTPCapture is an SMTP server on loopback that accepts every message and
// keeps it in memory instead of delivering it (RFC 5321 server side, by
// github.com/emersion/go-smtp).
type SMTPCapture struct {
	srv *smtp.Server
	ln  net.Listener

	mu     sync.Mutex
	msgs   []Captured
	notify chan struct{}
}

// StartSMTPCapture listens on 127.0.0.1 at a free port and serves until Close.
func StartSMTPCapture() (*SMTPCapture, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	c := &SMTPCapture{ln: ln, notify: make(chan struct{}, 1)}
	c.srv = smtp.NewServer(backend{c})
	c.srv.Domain = "capture.localhost"
	c.srv.AllowInsecureAuth = true
	c.srv.EnableSMTPUTF8 = true
	c.srv.ReadTimeout = 30 * time.Second
	c.srv.WriteTimeout = 30 * time.Second
	go func() { _ = c.srv.Serve(ln) }()
	return c, nil
}

// Addr is the host:port the server listens on.
func (c *SMTPCapture) Addr() string { return c.ln.Addr().String() }

// Messages returns a copy of what was captured so far.
func (c *SMTPCapture) Messages() []Captured {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Captured(nil), c.msgs...)
}

// Arrived is signalled (without blocking) after each captured message.
func (c *SMTPCapture) Arrived() <-chan struct{} { return c.notify }

// Close stops the server.
func (c *SMTPCapture) Close() error { return c.srv.Close() }

type backend struct{ c *SMTPCapture }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{c: b.c}, nil }

type session struct {
	c    *SMTPCapture
	from string
	to   []string
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if len(s.to) >= 100 {
		return errors.New("too many recipients")
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, io.LimitReader(r, 50<<20)); err != nil {
		return err
	}
	s.c.mu.Lock()
	s.c.msgs = append(s.c.msgs, Captured{From: s.from, To: s.to, Data: buf.Bytes(), At: time.Now()})
	s.c.mu.Unlock()
	select {
	case s.c.notify <- struct{}{}:
	default:
	}
	return nil
}

func (s *session) Reset() { s.from, s.to = "", nil }

func (s *session) Logout() error { return nil }
