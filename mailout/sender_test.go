package mailout

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jhillyerd/enmime/v2"

	"switchboard/workflows"
)

// captured is one message the sink accepted.
type captured struct {
	From string
	UTF8 bool // MAIL FROM carried SMTPUTF8
	To   []string
	Data []byte
}

// sink is an in-process SMTP server (go-smtp) that keeps what it receives,
// counts connections, and rejects RCPT TO for addresses in reject.
type sink struct {
	mu     sync.Mutex
	msgs   []captured
	conns  atomic.Int32
	reject map[string]*smtp.SMTPError
}

func (s *sink) NewSession(*smtp.Conn) (smtp.Session, error) {
	s.conns.Add(1)
	return &session{s: s}, nil
}

type session struct {
	s   *sink
	cur captured
}

func (ss *session) Reset()        { ss.cur = captured{} }
func (ss *session) Logout() error { return nil }
func (ss *session) Mail(from string, opts *smtp.MailOptions) error {
	ss.cur.From, ss.cur.UTF8 = from, opts != nil && opts.UTF8
	return nil
}
func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := ss.s.reject[to]; err != nil {
		return err
	}
	ss.cur.To = append(ss.cur.To, to)
	return nil
}
func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.cur.Data = b
	ss.s.mu.Lock()
	ss.s.msgs = append(ss.s.msgs, ss.cur)
	ss.s.mu.Unlock()
	return nil
}

// startSink serves a sink on 127.0.0.1:0 until the test ends and returns it
// with a Sender pointed at it.
func startSink(t *testing.T, utf8 bool) (*sink, *Sender) {
	t.Helper()
	s := &sink{reject: map[string]*smtp.SMTPError{}}
	srv := smtp.NewServer(s)
	srv.Domain = "sink.test"
	srv.EnableSMTPUTF8 = utf8
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	u, err := ParseSMTPURL("smtp://" + ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	snd, err := NewSender(Config{URL: u, From: workflows.Address{Name: "Support Team", Address: "support@switchboard.test"},
		HeloName: "switchboard.test", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s, snd
}

func outgoing() Outgoing {
	return Outgoing{
		MessageID:  NewMessageID("switchboard.test"),
		To:         []workflows.Address{{Name: "José Núñez", Address: "josé.núñez@example.org"}},
		Cc:         []workflows.Address{{Address: "dana@example.org"}},
		ReplyTo:    []workflows.Address{{Address: "support@switchboard.test"}},
		Subject:    "Re: groupes à Austin?",
		Text:       "Hi José,\n\nHere are the groups.\n",
		HTML:       "<p>Hi José,</p><p>Here are the groups.</p>\n",
		InReplyTo:  "m3@example.org",
		References: []string{"m1@example.org", "m2@example.org", "m3@example.org"},
		Attachments: []OutAttachment{{Filename: "groups.csv", ContentType: "text/csv",
			Data: []byte("name,city\nIndivisible Austin,Austin\n")}},
	}
}

func TestSend(t *testing.T) {
	s, snd := startSink(t, true)
	m := outgoing()
	if err := snd.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if len(s.msgs) != 1 {
		t.Fatalf("sink got %d messages, want 1", len(s.msgs))
	}
	c := s.msgs[0]
	if c.From != "support@switchboard.test" || !c.UTF8 {
		t.Errorf("MAIL FROM = %q, SMTPUTF8 = %v", c.From, c.UTF8)
	}
	if want := []string{"josé.núñez@example.org", "dana@example.org"}; strings.Join(c.To, ",") != strings.Join(want, ",") {
		t.Errorf("RCPT TO = %q, want %q", c.To, want)
	}
	env, err := enmime.ReadEnvelope(bytes.NewReader(c.Data))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range env.Errors {
		t.Errorf("parse error: %v", e)
	}
	headers := map[string]string{
		"Message-ID":     "<" + m.MessageID + ">",
		"In-Reply-To":    "<m3@example.org>",
		"References":     "<m1@example.org> <m2@example.org> <m3@example.org>",
		"Auto-Submitted": "auto-replied",
		"Subject":        "Re: groupes à Austin?",
		"From":           `"Support Team" <support@switchboard.test>`,
		"Reply-To":       "<support@switchboard.test>",
	}
	for k, want := range headers {
		if got := env.GetHeader(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if d, err := env.Date(); err != nil || time.Since(d) > time.Minute {
		t.Errorf("Date = %v, %v", d, err)
	}
	to, err := env.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "josé.núñez@example.org" || to[0].Name != "José Núñez" {
		t.Errorf("To = %v, %v", to, err)
	}
	if !strings.Contains(string(c.Data), "josé.núñez@example.org") {
		t.Error("the To address is not raw UTF-8 in the header (RFC 6532)")
	}
	crlf := strings.NewReplacer("\r\n", "\n") // QP bodies travel with CRLF line ends
	if crlf.Replace(env.Text) != m.Text || crlf.Replace(env.HTML) != m.HTML {
		t.Errorf("text = %q, html = %q", env.Text, env.HTML)
	}
	if !strings.Contains(string(c.Data), "multipart/alternative") {
		t.Error("no multipart/alternative part")
	}
	if len(env.Attachments) != 1 || env.Attachments[0].FileName != "groups.csv" ||
		!bytes.Equal(env.Attachments[0].Content, m.Attachments[0].Data) {
		t.Errorf("attachments = %+v", env.Attachments)
	}
}

func TestSendNoSMTPUTF8(t *testing.T) {
	s, snd := startSink(t, false)
	err := snd.Send(context.Background(), outgoing())
	if !errors.Is(err, ErrNoSMTPUTF8) || !IsPermanent(err) {
		t.Fatalf("error = %v, want permanent ErrNoSMTPUTF8", err)
	}
	if len(s.msgs) != 0 {
		t.Error("message sent anyway")
	}
	m := outgoing()
	m.To = []workflows.Address{{Name: "José Núñez", Address: "jose@example.org"}}
	if err := snd.Send(context.Background(), m); err != nil {
		t.Fatalf("ASCII addresses with a UTF-8 name: %v", err)
	}
}

func TestSendPermanentRejection(t *testing.T) {
	s, snd := startSink(t, true)
	s.reject["dana@example.org"] = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	err := snd.Send(context.Background(), outgoing())
	if err == nil || !IsPermanent(err) {
		t.Fatalf("error = %v, want permanent", err)
	}
	s.reject["dana@example.org"] = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
	if err := snd.Send(context.Background(), outgoing()); err == nil || IsPermanent(err) {
		t.Fatalf("error = %v, want temporary", err)
	}
}

func TestSendNetworkErrorIsTemporary(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now
	snd, err := NewSender(Config{URL: &url.URL{Scheme: "smtp", Host: addr},
		From: workflows.Address{Address: "support@switchboard.test"}, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = snd.Send(context.Background(), outgoing())
	if err == nil || IsPermanent(err) {
		t.Fatalf("error = %v, want temporary", err)
	}
}

func TestSendRefusedIsNeverDialed(t *testing.T) {
	s, snd := startSink(t, true)
	for _, addr := range []string{"", "no-reply@example.org", "MAILER-DAEMON@example.org", "support@switchboard.test"} {
		t.Run(addr, func(t *testing.T) {
			m := outgoing()
			m.Cc = []workflows.Address{{Address: addr}}
			err := snd.Send(context.Background(), m)
			if !errors.Is(err, ErrRefused) || !IsPermanent(err) {
				t.Fatalf("error = %v, want permanent ErrRefused", err)
			}
		})
	}
	if n := s.conns.Load(); n != 0 {
		t.Errorf("sink saw %d connections, want 0", n)
	}
}

func TestSendBadMessage(t *testing.T) {
	s, snd := startSink(t, true)
	for name, edit := range map[string]func(*Outgoing){
		"no message-id":    func(m *Outgoing) { m.MessageID = "" },
		"bracketed id":     func(m *Outgoing) { m.MessageID = "<a@b>" },
		"bad reference":    func(m *Outgoing) { m.References = []string{"a b@c"} },
		"no to":            func(m *Outgoing) { m.To = nil },
		"header injection": func(m *Outgoing) { m.To[0].Name = "x\r\nBcc: evil@example.org" },
		"bad reply-to":     func(m *Outgoing) { m.ReplyTo = []workflows.Address{{Address: "not an address"}} },
	} {
		t.Run(name, func(t *testing.T) {
			m := outgoing()
			edit(&m)
			if err := snd.Send(context.Background(), m); err == nil || !IsPermanent(err) {
				t.Fatalf("error = %v, want permanent", err)
			}
		})
	}
	if n := s.conns.Load(); n != 0 {
		t.Errorf("sink saw %d connections, want 0", n)
	}
}

func TestRefuse(t *testing.T) {
	own := []string{"support@switchboard.test", "Press@Switchboard.test"}
	tests := []struct {
		addr   string
		refuse bool
	}{
		{"dana@example.org", false},
		{"josé.núñez@example.org", false},
		{"noreply.fan@example.org", true},
		{"norene@example.org", false},
		{"postmasters-guild@example.org", true},
		{"", true},
		{"   ", true},
		{"not-an-address", true},
		{"Dana <dana@example.org>", true},
		{"no-reply@example.org", true},
		{"NoReply@example.org", true},
		{"no_reply+x@example.org", true},
		{"do-not-reply@example.org", true},
		{"noreply-billing@example.org", true},
		{"mailer-daemon@example.org", true},
		{"Postmaster@example.org", true},
		{"SUPPORT@switchboard.test", true},
		{"press@switchboard.test", true},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			err := Refuse(tt.addr, own)
			if (err != nil) != tt.refuse {
				t.Fatalf("Refuse(%q) = %v, want refused %v", tt.addr, err, tt.refuse)
			}
			if err != nil && !errors.Is(err, ErrRefused) {
				t.Errorf("error %v does not wrap ErrRefused", err)
			}
		})
	}
}

func TestParseSMTPURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"smtp://127.0.0.1:2525", "smtp://127.0.0.1:2525"},
		{"smtp://localhost", "smtp://localhost:25"},
		{"smtp+starttls://user@mail.example.org", "smtp+starttls://user@mail.example.org:587"},
		{"smtps://mail.example.org", "smtps://mail.example.org:465"},
		{"smtps://[::1]", "smtps://[::1]:465"},
		{"http://mail.example.org", ""},
		{"smtp://", ""},
		{"smtp://relay.example.org", ""}, // plaintext off this machine
		{"smtp://user:secret@mail.example.org", ""},
		{"smtp://mail.example.org:99999", ""},
		{"smtp://mail.example.org/INBOX", ""},
		{"::", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			u, err := ParseSMTPURL(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("ParseSMTPURL(%q) = %v, want an error", tt.in, u)
				}
				return
			}
			if err != nil || u.String() != tt.want {
				t.Fatalf("ParseSMTPURL(%q) = %v, %v, want %s", tt.in, u, err, tt.want)
			}
		})
	}
}

func TestNewSenderChecks(t *testing.T) {
	u, _ := ParseSMTPURL("smtp://127.0.0.1:25")
	for name, cfg := range map[string]Config{
		"no url":  {From: workflows.Address{Address: "a@b.test"}},
		"no from": {URL: u},
		"bad url": {URL: &url.URL{Scheme: "imap", Host: "x"}, From: workflows.Address{Address: "a@b.test"}},
	} {
		if _, err := NewSender(cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestNewMessageID(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := NewMessageID("Switchboard.Test")
		if err := checkMsgID(id); err != nil || !strings.HasSuffix(id, "@switchboard.test") {
			t.Fatalf("NewMessageID = %q (%v)", id, err)
		}
		if seen[id] {
			t.Fatalf("duplicate %q", id)
		}
		seen[id] = true
	}
	for _, d := range []string{"", "bücher.example", "a b"} {
		if id := NewMessageID(d); !strings.HasSuffix(id, "@localhost") {
			t.Errorf("NewMessageID(%q) = %q", d, id)
		}
	}
}

func TestIsPermanent(t *testing.T) {
	if IsPermanent(nil) || IsPermanent(errors.New("x")) || IsPermanent(context.DeadlineExceeded) {
		t.Error("plain errors are not permanent")
	}
	if !IsPermanent(permanent(errors.New("x"))) {
		t.Error("marked error is not permanent")
	}
}

// TestSendNewMailIsAutoGenerated checks RFC 3834 §5: mail that answers
// nothing (a digest) is "auto-generated", not "auto-replied".
func TestSendNewMailIsAutoGenerated(t *testing.T) {
	s, snd := startSink(t, true)
	m := outgoing()
	m.InReplyTo, m.References, m.Subject = "", nil, "Press digest"
	if err := snd.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	env, err := enmime.ReadEnvelope(bytes.NewReader(s.msgs[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if got := env.GetHeader("Auto-Submitted"); got != "auto-generated" {
		t.Errorf("Auto-Submitted = %q, want auto-generated", got)
	}
}
