package mailin_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"switchboard/mailin"
	"switchboard/store"
)

const (
	testUser     = "support"
	testPassword = "support-pass"
	testMailbox  = "support@example.test"
	waitLimit    = 15 * time.Second
)

// TestPollerStoresEachMessageOnce: 50 messages, fetched in several batches,
// each stored exactly once, and the mailbox left as it was.
func TestPollerStoresEachMessageOnce(t *testing.T) {
	srv := startIMAP(t, imap.CapSet{imap.CapIMAP4rev2: {}})
	px := startProxy(t, srv.addr, nil)
	app := dialIMAP(t, srv.addr)
	var want [][]byte
	for i := 1; i <= 50; i++ {
		raw := testMessage(i, fmt.Sprintf("req-%d@example.org", i), "")
		want = append(want, raw)
		appendRaw(t, app, raw)
	}
	sink := newStoreSink(t)
	logs := &logRecorder{}
	cfg := testConfig(t, px.addr(), logs)
	cfg.BatchSize = 7
	startPoller(t, cfg, sink)

	waitFor(t, "50 messages stored", func() bool { return sink.count(t) == 50 })
	waitFor(t, "checkpoint at uid 50", func() bool { return sink.checkpoint(t).LastUID == 50 })
	if n := sink.sightings(t); n != 50 {
		t.Errorf("sightings = %d, want 50", n)
	}
	assertMailboxUnchanged(t, srv.addr, want)
	px.assertReadOnly(t)
	logs.assertPrivate(t)
}

// TestPollerRestartNoDuplicates kills the poller after about 20 messages,
// appends more and a second copy of an existing Message-ID with other bytes,
// restarts it, and checks that every Message-ID is stored exactly once.
func TestPollerRestartNoDuplicates(t *testing.T) {
	srv := startIMAP(t, imap.CapSet{imap.CapIMAP4rev2: {}})
	app := dialIMAP(t, srv.addr)
	for i := 1; i <= 50; i++ {
		appendRaw(t, app, testMessage(i, fmt.Sprintf("req-%d@example.org", i), ""))
	}
	sink := newStoreSink(t)
	cfg := testConfig(t, srv.addr, nil)
	cfg.BatchSize = 8

	ctx, cancel := context.WithCancel(context.Background())
	sink.afterSave = func(saved int) {
		if saved == 20 {
			cancel() // killed mid-batch, in the middle of the next save
		}
	}
	done := make(chan error, 1)
	go func() { done <- mailin.NewPoller(cfg, sink).Run(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run after cancel = %v, want nil", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("poller did not stop after cancel")
	}
	sink.afterSave = nil
	if n := sink.count(t); n < 20 || n > 21 {
		t.Fatalf("after the kill %d messages are stored, want 20 or 21", n)
	}

	for i := 51; i <= 60; i++ {
		appendRaw(t, app, testMessage(i, fmt.Sprintf("req-%d@example.org", i), ""))
	}
	// Same Message-ID as message 3, different bytes (another relay's copy).
	appendRaw(t, app, testMessage(3, "req-3@example.org", "X-Relayed-By: second.example.net\r\n"))

	startPoller(t, cfg, sink)
	waitFor(t, "checkpoint at uid 61", func() bool { return sink.checkpoint(t).LastUID == 61 })
	if n := sink.count(t); n != 60 {
		t.Errorf("stored %d messages, want 60 (one per distinct Message-ID)", n)
	}
	if n := sink.sightings(t); n != 61 {
		t.Errorf("stored %d sightings, want 61 (one per UID)", n)
	}
}

// TestPollerIdle: with IDLE (RFC 9051 §6.3.13) new mail arrives without any
// polling or reconcile.
func TestPollerIdle(t *testing.T) {
	srv := startIMAP(t, imap.CapSet{imap.CapIMAP4rev2: {}})
	app := dialIMAP(t, srv.addr)
	appendRaw(t, app, testMessage(1, "req-1@example.org", ""))
	sink := newStoreSink(t)
	logs := &logRecorder{}
	cfg := testConfig(t, srv.addr, logs)
	cfg.PollInterval, cfg.ReconcileInterval = time.Hour, time.Hour
	startPoller(t, cfg, sink)
	waitFor(t, "first message stored", func() bool { return sink.count(t) == 1 })

	for i := 2; i <= 3; i++ {
		waitFor(t, "IDLE", func() bool { return logs.countMsg("idling") >= i-1 })
		// imapmemserver answers "+ idling" before it listens for updates.
		time.Sleep(50 * time.Millisecond)
		appendRaw(t, app, testMessage(i, fmt.Sprintf("req-%d@example.org", i), ""))
		waitFor(t, fmt.Sprintf("message %d stored", i), func() bool { return sink.count(t) == i })
	}
}

// TestPollerWithoutIdle: a server that does not advertise IDLE is polled.
func TestPollerWithoutIdle(t *testing.T) {
	srv := startIMAP(t, imap.CapSet{imap.CapIMAP4rev1: {}})
	// imapserver advertises IDLE even when Caps holds IMAP4rev1 only, so a
	// proxy removes it from every CAPABILITY list.
	px := startProxy(t, srv.addr, stripIdle)
	app := dialIMAP(t, srv.addr)
	for i := 1; i <= 3; i++ {
		appendRaw(t, app, testMessage(i, fmt.Sprintf("req-%d@example.org", i), ""))
	}
	sink := newStoreSink(t)
	logs := &logRecorder{}
	cfg := testConfig(t, px.addr(), logs)
	cfg.PollInterval, cfg.ReconcileInterval = 50*time.Millisecond, time.Hour
	startPoller(t, cfg, sink)
	waitFor(t, "3 messages stored", func() bool { return sink.count(t) == 3 })
	for i := 4; i <= 5; i++ {
		appendRaw(t, app, testMessage(i, fmt.Sprintf("req-%d@example.org", i), ""))
	}
	waitFor(t, "5 messages stored", func() bool { return sink.count(t) == 5 })
	if px.sent("IDLE") {
		t.Error("the poller sent IDLE to a server that does not offer it")
	}
	px.assertReadOnly(t)
}

// TestPollerReconcile: with IDLE on but every EXISTS notice lost (a proxy
// drops them), the periodic reconcile still finds the new mail.
func TestPollerReconcile(t *testing.T) {
	srv := startIMAP(t, imap.CapSet{imap.CapIMAP4rev2: {}})
	px := startProxy(t, srv.addr, dropExists)
	app := dialIMAP(t, srv.addr)
	appendRaw(t, app, testMessage(1, "req-1@example.org", ""))
	sink := newStoreSink(t)
	cfg := testConfig(t, px.addr(), nil)
	cfg.PollInterval, cfg.ReconcileInterval = time.Hour, 200*time.Millisecond
	startPoller(t, cfg, sink)
	waitFor(t, "first message stored", func() bool { return sink.count(t) == 1 })
	for i := 2; i <= 3; i++ {
		appendRaw(t, app, testMessage(i, fmt.Sprintf("req-%d@example.org", i), ""))
	}
	waitFor(t, "3 messages stored", func() bool { return sink.count(t) == 3 })
	if !px.sent("IDLE") {
		t.Error("the poller did not IDLE")
	}
	px.assertReadOnly(t)
}

// TestPollerStopsDuringBackoff: with the server down, the failure is recorded
// and the poller, sleeping before its next try, stops at once when cancelled.
func TestPollerStopsDuringBackoff(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more: connection refused
	sink := newStoreSink(t)
	stop := startPoller(t, testConfig(t, addr, nil), sink)
	waitFor(t, "the failure recorded", sink.pollFailed)
	stop()
}

// TestPollerVerifiesTLS: imaps:// and imap+starttls:// really use TLS and
// refuse a certificate that is not trusted, recording why.
func TestPollerVerifiesTLS(t *testing.T) {
	cert := selfSignedCert(t)
	for _, scheme := range []string{"imaps", "imap+starttls"} {
		t.Run(scheme, func(t *testing.T) {
			opts := &imapserver.Options{
				NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
					return imapmemserver.New().NewSession(), nil, nil
				},
				Caps:   imap.CapSet{imap.CapIMAP4rev2: {}},
				Logger: discardLogger{},
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			tlsConfig := &tls.Config{Certificates: []tls.Certificate{cert}}
			if scheme == "imaps" {
				ln = tls.NewListener(ln, tlsConfig)
			} else {
				opts.TLSConfig = tlsConfig
			}
			srv := imapserver.New(opts)
			go srv.Serve(ln)
			t.Cleanup(func() { srv.Close() })

			u, err := mailin.ParseIMAPURL(scheme + "://" + testUser + "@" + ln.Addr().String() + "/INBOX")
			if err != nil {
				t.Fatal(err)
			}
			sink := newStoreSink(t)
			startPoller(t, mailin.Config{URL: u, Password: testPassword, Mailbox: testMailbox}, sink)
			waitFor(t, "the failure recorded", sink.pollFailed)
			if err := sink.lastPollError(); !strings.Contains(err, "certificate") {
				t.Errorf("recorded error %q, want a certificate error", err)
			}
		})
	}
}

// selfSignedCert is a certificate for 127.0.0.1 that nobody trusts.
func selfSignedCert(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "imap.test"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// TestPollerUIDValidityChange: the mailbox is recreated with a new
// UIDVALIDITY (RFC 9051 §2.3.1.1) and the same messages; nothing is stored twice.
func TestPollerUIDValidityChange(t *testing.T) {
	srv := startIMAP(t, imap.CapSet{imap.CapIMAP4rev2: {}})
	app := dialIMAP(t, srv.addr)
	for i := 1; i <= 5; i++ {
		appendRaw(t, app, testMessage(i, fmt.Sprintf("req-%d@example.org", i), ""))
	}
	sink := newStoreSink(t)
	cfg := testConfig(t, srv.addr, nil)
	stop := startPoller(t, cfg, sink)
	waitFor(t, "5 messages stored", func() bool { return sink.count(t) == 5 })
	stop()
	before := sink.checkpoint(t).UIDValidity

	if err := srv.user.Delete("INBOX"); err != nil {
		t.Fatal(err)
	}
	if err := srv.user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 6; i++ {
		appendRaw(t, app, testMessage(i, fmt.Sprintf("req-%d@example.org", i), ""))
	}
	startPoller(t, cfg, sink)
	waitFor(t, "checkpoint under the new UIDVALIDITY", func() bool {
		cp := sink.checkpoint(t)
		return cp.UIDValidity != before && cp.LastUID == 6
	})
	if n := sink.count(t); n != 6 {
		t.Errorf("stored %d messages, want 6", n)
	}
}

// TestPollerRetriesFailedSave: a message whose save fails is retried after a
// reconnection, never skipped, and the failure is recorded.
func TestPollerRetriesFailedSave(t *testing.T) {
	srv := startIMAP(t, imap.CapSet{imap.CapIMAP4rev2: {}})
	app := dialIMAP(t, srv.addr)
	for i := 1; i <= 5; i++ {
		appendRaw(t, app, testMessage(i, fmt.Sprintf("req-%d@example.org", i), ""))
	}
	sink := newStoreSink(t)
	sink.failUID = 3
	startPoller(t, testConfig(t, srv.addr, nil), sink)
	waitFor(t, "5 messages stored", func() bool { return sink.count(t) == 5 })
	if !sink.pollFailed() {
		t.Error("the failed save was not passed to RecordPoll")
	}
	if n := sink.sightings(t); n != 5 {
		t.Errorf("stored %d sightings, want 5", n)
	}
}

// TestPollerBadURL: Run refuses an invalid URL at once with a helpful error.
func TestPollerBadURL(t *testing.T) {
	_, err := mailin.ParseIMAPURL("pop3://support@mail.example.org/INBOX")
	if err == nil || !strings.Contains(err.Error(), "imaps://USER@HOST:993/MAILBOX") {
		t.Errorf("ParseIMAPURL error = %v, want one that shows the expected form", err)
	}
	u, err := mailin.ParseIMAPURL("imaps://support@mail.example.org/INBOX")
	if err != nil {
		t.Fatal(err)
	}
	u.User = nil
	err = mailin.NewPoller(mailin.Config{URL: u, Mailbox: testMailbox}, nil).Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "no user name") {
		t.Errorf("Run error = %v, want a missing user name", err)
	}
}

// imapServer is an in-process imapmemserver on 127.0.0.1.
type imapServer struct {
	addr string
	user *imapmemserver.User
}

func startIMAP(t *testing.T, caps imap.CapSet) *imapServer {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(testUser, testPassword)
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         caps,
		InsecureAuth: true,
		Logger:       discardLogger{},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return &imapServer{addr: ln.Addr().String(), user: user}
}

// discardLogger silences imapserver's "connection closed" noise.
type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}

func dialIMAP(t *testing.T, addr string) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := c.Login(testUser, testPassword).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

func appendRaw(t *testing.T, c *imapclient.Client, raw []byte) {
	t.Helper()
	a := c.Append("INBOX", int64(len(raw)), nil)
	if _, err := a.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Wait(); err != nil {
		t.Fatal(err)
	}
}

// testMessage is a small support request; extra is more header lines.
func testMessage(n int, messageID, extra string) []byte {
	return []byte(fmt.Sprintf("From: Requester %d <requester%d@example.org>\r\n"+
		"To: %s\r\nSubject: Help request %d\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n"+
		"Message-ID: <%s>\r\n%sMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+
		"Body of request %d: is there a group near 10115?\r\n", n, n, testMailbox, n, messageID, extra, n))
}

// assertMailboxUnchanged checks that INBOX still holds exactly want, in
// order, and that no message has \Seen or any other flag.
func assertMailboxUnchanged(t *testing.T, addr string, want [][]byte) {
	t.Helper()
	c := dialIMAP(t, addr)
	if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	body := &imap.FetchItemBodySection{Peek: true}
	msgs, err := c.Fetch(imap.SeqSet{imap.SeqRange{Start: 1}}, &imap.FetchOptions{
		Flags: true, BodySection: []*imap.FetchItemBodySection{body},
	}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != len(want) {
		t.Fatalf("mailbox holds %d messages, want %d", len(msgs), len(want))
	}
	for i, m := range msgs {
		if len(m.Flags) != 0 {
			t.Errorf("message %d has flags %v, want none", m.SeqNum, m.Flags)
		}
		if !bytes.Equal(m.FindBodySection(body), want[i]) {
			t.Errorf("message %d changed", m.SeqNum)
		}
	}
}

func testConfig(t *testing.T, addr string, logs *logRecorder) mailin.Config {
	t.Helper()
	u, err := mailin.ParseIMAPURL("imap://" + testUser + "@" + addr + "/INBOX")
	if err != nil {
		t.Fatal(err)
	}
	cfg := mailin.Config{URL: u, Password: testPassword, Mailbox: testMailbox}
	if logs != nil {
		cfg.Logger = slog.New(logs)
	}
	return cfg
}

// startPoller runs a Poller until the returned stop (also run at cleanup),
// which checks that Run returns nil promptly.
func startPoller(t *testing.T, cfg mailin.Config, sink mailin.Sink) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mailin.NewPoller(cfg, sink).Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run = %v, want nil after cancel", err)
				}
			case <-time.After(2 * time.Second):
				t.Error("poller did not stop within 2s of cancel")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// waitFor polls cond until it holds or waitLimit passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// storeSink adapts a real store.Store to mailin.Sink, as cmd/switchboard
// does, with hooks for the tests.
type storeSink struct {
	st        *store.Store
	failUID   uint32          // fail the first save of this UID
	afterSave func(saved int) // called after each successful save

	mu       sync.Mutex
	saved    int
	failed   bool
	pollErrs int
	lastErr  string
}

func newStoreSink(t *testing.T) *storeSink { return &storeSink{st: store.MustOpenTest(t)} }

func (s *storeSink) Checkpoint(ctx context.Context, mailbox string) (mailin.Checkpoint, error) {
	cp, err := s.st.Checkpoint(ctx, mailbox)
	return mailin.Checkpoint(cp), err
}

func (s *storeSink) SaveFetched(ctx context.Context, m mailin.RawMessage) (bool, error) {
	s.mu.Lock()
	if m.UID == s.failUID && !s.failed {
		s.failed = true
		s.mu.Unlock()
		return false, errors.New("injected save failure")
	}
	s.mu.Unlock()
	created, err := s.st.SaveFetched(ctx, store.RawMessage(m))
	if err != nil {
		return false, err
	}
	s.mu.Lock()
	s.saved++
	saved, hook := s.saved, s.afterSave
	s.mu.Unlock()
	if hook != nil {
		hook(saved)
	}
	return created, nil
}

func (s *storeSink) RecordPoll(ctx context.Context, mailbox string, err error) error {
	if err != nil {
		s.mu.Lock()
		s.pollErrs++
		s.lastErr = err.Error()
		s.mu.Unlock()
	}
	return s.st.RecordPoll(ctx, mailbox, err)
}

func (s *storeSink) lastPollError() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastErr
}

func (s *storeSink) pollFailed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pollErrs > 0
}

func (s *storeSink) checkpoint(t *testing.T) mailin.Checkpoint {
	t.Helper()
	cp, err := s.Checkpoint(context.Background(), testMailbox)
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

func (s *storeSink) count(t *testing.T) int { return s.queryInt(t, `SELECT count(*) FROM messages`) }

func (s *storeSink) sightings(t *testing.T) int {
	return s.queryInt(t, `SELECT count(*) FROM message_sightings`)
}

func (s *storeSink) queryInt(t *testing.T, q string) int {
	t.Helper()
	var n int
	if err := s.st.DB().QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// logRecorder is a slog.Handler that keeps every record as text.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
	msgs  map[string]int
	attrs []slog.Attr
}

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	for _, a := range l.attrs {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
	}
	r.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.msgs == nil {
		l.msgs = map[string]int{}
	}
	l.msgs[r.Message]++
	l.lines = append(l.lines, b.String())
	return nil
}

func (l *logRecorder) WithAttrs(as []slog.Attr) slog.Handler {
	return &derivedHandler{root: l, attrs: as}
}

func (l *logRecorder) WithGroup(string) slog.Handler { return l }

func (l *logRecorder) countMsg(msg string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.msgs[msg]
}

// assertPrivate checks that no log line carries a body or a requester's address.
func (l *logRecorder) assertPrivate(t *testing.T) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		if strings.Contains(line, "example.org") || strings.Contains(line, "Body of") {
			t.Errorf("log line leaks message content: %s", line)
		}
	}
}

// derivedHandler is a logRecorder with attributes added by With.
type derivedHandler struct {
	root  *logRecorder
	attrs []slog.Attr
}

func (d *derivedHandler) Enabled(ctx context.Context, lv slog.Level) bool {
	return d.root.Enabled(ctx, lv)
}

func (d *derivedHandler) Handle(ctx context.Context, r slog.Record) error {
	r = r.Clone()
	r.AddAttrs(d.attrs...)
	return d.root.Handle(ctx, r)
}

func (d *derivedHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &derivedHandler{root: d.root, attrs: append(append([]slog.Attr(nil), d.attrs...), as...)}
}

func (d *derivedHandler) WithGroup(string) slog.Handler { return d }

// proxy sits between the poller and the server, records the commands the
// poller sends and passes each server line through filter, if any.
type proxy struct {
	ln     net.Listener
	filter func(line []byte) []byte

	mu   sync.Mutex
	cmds []string
}

var (
	idleCap    = regexp.MustCompile(` IDLE\b`)
	existsLine = regexp.MustCompile(`^\* \d+ EXISTS\r?\n$`)
)

// stripIdle hides IDLE from every CAPABILITY list.
func stripIdle(line []byte) []byte {
	if bytes.Contains(line, []byte("CAPABILITY")) {
		return idleCap.ReplaceAll(line, nil)
	}
	return line
}

// dropExists loses every EXISTS notice.
func dropExists(line []byte) []byte {
	if existsLine.Match(line) {
		return nil
	}
	return line
}

func startProxy(t *testing.T, target string, filter func([]byte) []byte) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, filter: filter}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", target)
			if err != nil {
				client.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, client, server)
			mu.Unlock()
			wg.Add(2)
			go func() { defer wg.Done(); defer server.Close(); p.pipe(server, client, p.recordCommand) }()
			go func() { defer wg.Done(); defer client.Close(); p.pipe(client, server, p.filterLine) }()
		}
	}()
	return p
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

// pipe copies src to dst line by line through f.
func (p *proxy) pipe(dst io.Writer, src io.Reader, f func([]byte) []byte) {
	br := bufio.NewReader(src)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			if _, werr := dst.Write(f(line)); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// recordCommand notes the command name of a client line ("UID FETCH", "IDLE").
func (p *proxy) recordCommand(line []byte) []byte {
	fields := strings.Fields(strings.ToUpper(string(line)))
	var cmd string
	switch {
	case len(fields) == 1:
		cmd = fields[0] // DONE
	case len(fields) >= 3 && fields[1] == "UID":
		cmd = "UID " + fields[2]
	case len(fields) >= 2:
		cmd = fields[1]
	}
	p.mu.Lock()
	p.cmds = append(p.cmds, cmd)
	p.mu.Unlock()
	return line
}

func (p *proxy) filterLine(line []byte) []byte {
	if p.filter == nil {
		return line
	}
	return p.filter(line)
}

func (p *proxy) sent(cmd string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.cmds {
		if c == cmd {
			return true
		}
	}
	return false
}

// assertReadOnly checks that the poller sent only commands that cannot change
// the mailbox: EXAMINE, never SELECT, STORE, COPY, MOVE or EXPUNGE.
func (p *proxy) assertReadOnly(t *testing.T) {
	t.Helper()
	allowed := map[string]bool{
		"CAPABILITY": true, "LOGIN": true, "EXAMINE": true, "UID SEARCH": true,
		"UID FETCH": true, "IDLE": true, "DONE": true, "NOOP": true, "LOGOUT": true,
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.cmds) == 0 {
		t.Fatal("the proxy saw no command")
	}
	for _, c := range p.cmds {
		if !allowed[c] {
			t.Errorf("the poller sent %q", c)
		}
	}
}
