package demo

import (
	"bytes"
	"fmt"
	"net"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// IMAPServer is an in-memory IMAP server on loopback (go-imap's
// imapmemserver) with one user whose INBOX plays the support mailbox.
type IMAPServer struct {
	User, Password string
	srv            *imapserver.Server
	ln             net.Listener
	user           *imapmemserver.User
}

// StartIMAP listens on 127.0.0.1 at a free port. Plaintext LOGIN is allowed
// because the server only listens on loopback.
func StartIMAP(user, password string) (*IMAPServer, error) {
	mem := imapmemserver.New()
	u := imapmemserver.NewUser(user, password)
	if err := u.Create("INBOX", nil); err != nil {
		return nil, fmt.Errorf("create INBOX: %w", err)
	}
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	go func() { _ = srv.Serve(ln) }()
	return &IMAPServer{User: user, Password: password, srv: srv, ln: ln, user: u}, nil
}

// Addr is the host:port the server listens on.
func (s *IMAPServer) Addr() string { return s.ln.Addr().String() }

// URL is the SWITCHBOARD_IMAP_URL for the INBOX of this server.
func (s *IMAPServer) URL() string { return "imap://" + s.User + "@" + s.Addr() + "/INBOX" }

// Deliver appends raw to INBOX, as a mail server delivering a message would.
func (s *IMAPServer) Deliver(raw []byte) error {
	_, err := s.user.Append("INBOX", literal{bytes.NewReader(raw)}, &imap.AppendOptions{})
	return err
}

// Close stops the server.
func (s *IMAPServer) Close() error { return s.srv.Close() }

type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return l.Reader.Size() }
