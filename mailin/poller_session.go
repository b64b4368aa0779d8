package mailin

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"slices"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// dialTimeout bounds the TCP connect and the TLS handshake.
const dialTimeout = 30 * time.Second

// errConnClosed reports a connection the server (or the network) dropped.
var errConnClosed = errors.New("imap connection closed")

// session is one logged-in IMAP connection with the mailbox examined.
type session struct {
	p       *Poller
	ep      endpoint
	c       *imapclient.Client
	stop    func() bool   // unregisters the ctx watcher that closes the connection
	newMail chan struct{} // capacity 1: EXISTS seen since the last catch-up
	log     *slog.Logger

	uidValidity uint32 // of the examined mailbox
	lastUID     uint32 // highest UID stored under uidValidity
}

// connect dials, protects the connection as the URL says, and logs in. The
// connection is closed as soon as ctx is done, which unblocks any command,
// IDLE included.
func (p *Poller) connect(ctx context.Context, ep endpoint) (*session, error) {
	s := &session{p: p, ep: ep, newMail: make(chan struct{}, 1), log: p.log}
	opts := &imapclient.Options{
		// Runs on the client's reader goroutine: only signal, never call the
		// client from here.
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(d *imapclient.UnilateralDataMailbox) {
				if d.NumMessages != nil {
					select {
					case s.newMail <- struct{}{}:
					default:
					}
				}
			},
		},
	}
	host, _, _ := net.SplitHostPort(ep.addr)
	tlsConfig := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	d := &net.Dialer{Timeout: dialTimeout}
	conn, err := d.DialContext(ctx, "tcp", ep.addr)
	if err != nil {
		return nil, fmt.Errorf("dial imap: %w", err)
	}
	s.stop = context.AfterFunc(ctx, func() { conn.Close() })
	fail := func(format string, err error) (*session, error) {
		s.stop()
		conn.Close()
		return nil, fmt.Errorf(format, err)
	}
	switch ep.security {
	case securityNone:
		s.c = imapclient.New(conn, opts)
	case securityTLS:
		tlsConfig.NextProtos = []string{"imap"}
		tc := tls.Client(conn, tlsConfig)
		hctx, cancel := context.WithTimeout(ctx, dialTimeout)
		err := tc.HandshakeContext(hctx)
		cancel()
		if err != nil {
			return fail("imap tls handshake: %w", err)
		}
		s.c = imapclient.New(tc, opts)
	case securityStartTLS:
		opts.TLSConfig = tlsConfig
		if s.c, err = imapclient.NewStartTLS(conn, opts); err != nil {
			return fail("imap starttls: %w", err)
		}
	}
	if err := s.c.Login(ep.username, p.cfg.Password).Wait(); err != nil {
		s.close()
		return nil, fmt.Errorf("imap login: %w", err)
	}
	return s, nil
}

// close drops the connection without LOGOUT: nothing is left to flush, since
// the mailbox is only read.
func (s *session) close() {
	s.stop()
	s.c.Close()
}

// examine opens the mailbox read-only (EXAMINE, RFC 9051 §6.3.3) and places
// the session after the checkpoint. When the server's UIDVALIDITY differs from
// the checkpoint's, the old UIDs mean nothing any more (RFC 9051 §2.3.1.1), so
// the session starts again from UID 1; the store's Message-ID dedupe keeps that
// from storing anything twice.
func (s *session) examine(ctx context.Context) error {
	sel, err := s.c.Select(s.ep.mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return fmt.Errorf("examine mailbox: %w", err)
	}
	if sel.UIDValidity == 0 {
		return errors.New("examine mailbox: server sent no UIDVALIDITY")
	}
	cp, err := s.p.sink.Checkpoint(ctx, s.p.cfg.Mailbox)
	if err != nil {
		return fmt.Errorf("read checkpoint: %w", err)
	}
	s.uidValidity = sel.UIDValidity
	s.log = s.p.log.With("uidvalidity", sel.UIDValidity)
	s.lastUID = cp.LastUID
	if cp.UIDValidity != sel.UIDValidity {
		if cp.UIDValidity != 0 {
			s.log.Warn("uidvalidity changed, fetching the mailbox again from uid 1")
		}
		s.lastUID = 0
	}
	return nil
}

// catchUp fetches and saves every message above lastUID, in ascending UID
// order and in batches of Config.BatchSize, so a crash at any point re-fetches
// at most one batch. UIDs only grow: a new message gets a UID of at least
// UIDNEXT (RFC 9051 §2.3.1.1), so all new mail is above the checkpoint.
// With full set it searches ALL, otherwise UID lastUID+1:*.
// Both results are filtered, because "n:*" always includes the highest UID in
// the mailbox even when that is below n (RFC 9051 §6.4.9, RFC 3501 §6.4.8).
func (s *session) catchUp(ctx context.Context, full bool) error {
	// Any EXISTS before this point is covered by the search below.
	select {
	case <-s.newMail:
	default:
	}
	if !full && s.lastUID == math.MaxUint32 {
		return nil
	}
	var criteria imap.SearchCriteria // no key: ALL
	if !full {
		criteria.UID = []imap.UIDSet{{imap.UIDRange{Start: imap.UID(s.lastUID + 1)}}} // Stop 0 is "*"
	}
	data, err := s.c.UIDSearch(&criteria, nil).Wait()
	if err != nil {
		return fmt.Errorf("uid search: %w", err)
	}
	uids := slices.DeleteFunc(data.AllUIDs(), func(u imap.UID) bool { return uint32(u) <= s.lastUID })
	slices.Sort(uids)
	for batch := range slices.Chunk(uids, s.p.cfg.BatchSize) {
		if err := s.fetchBatch(ctx, batch); err != nil {
			return err
		}
	}
	return nil
}

// fetchBatch fetches the given UIDs (never empty: an empty set kills the
// go-imap connection) with BODY.PEEK[], which leaves \Seen alone (RFC 9051
// §6.4.5), and saves them in ascending UID order. A message that fails to save
// fails the pass, so it is retried rather than skipped.
func (s *session) fetchBatch(ctx context.Context, uids []imap.UID) error {
	msgs, err := s.fetchSized(uids)
	if err != nil {
		return err
	}
	for i, m := range msgs {
		msgs[i] = fetched{} // let the garbage collector have each body once it is saved
		if uint32(m.UID) <= s.lastUID {
			continue // a server answering twice for one UID
		}
		raw := m.Raw
		created, err := s.p.sink.SaveFetched(ctx, RawMessage{
			Mailbox:      s.p.cfg.Mailbox,
			UIDValidity:  s.uidValidity,
			UID:          uint32(m.UID),
			InternalDate: m.InternalDate,
			Size:         m.Size,
			MessageID:    HeaderMessageID(raw),
			Raw:          raw,
		})
		if err != nil {
			return fmt.Errorf("save uid %d: %w", m.UID, err)
		}
		s.lastUID = uint32(m.UID)
		if created {
			s.log.Debug("saved message", "uid", m.UID)
		} else {
			s.log.Debug("message already stored", "uid", m.UID)
		}
	}
	return nil
}

// follow waits for new mail and fetches it until the connection fails or ctx
// is done. With IDLE (RFC 9051 §6.3.13, RFC 2177) an EXISTS response wakes it;
// without, it polls every Config.PollInterval. Either way a full reconcile
// runs every Config.ReconcileInterval, after a fresh EXAMINE and checkpoint
// read, in case a notice was lost or UIDVALIDITY changed.
func (s *session) follow(ctx context.Context) error {
	idle := s.c.Caps().Has(imap.CapIdle)
	reconcile := time.NewTicker(s.p.cfg.ReconcileInterval)
	defer reconcile.Stop()
	var poll <-chan time.Time
	if !idle {
		t := time.NewTicker(s.p.cfg.PollInterval)
		defer t.Stop()
		poll = t.C
	}
	for {
		var full bool
		var err error
		if idle {
			full, err = s.idle(ctx, reconcile.C)
		} else {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-s.c.Closed():
				return errConnClosed
			case <-poll:
			case <-reconcile.C:
				full = true
			}
		}
		if err != nil {
			return err
		}
		if full {
			if err := s.examine(ctx); err != nil {
				return err
			}
		}
		if err := s.catchUp(ctx, full); err != nil {
			return err
		}
		s.p.recordSuccess(ctx)
	}
}

// idle runs one IDLE command until new mail arrives or a reconcile is due
// (full), then ends it with DONE and waits for the server's OK, after which
// the client may send commands again (RFC 9051 §6.3.13).
func (s *session) idle(ctx context.Context, reconcile <-chan time.Time) (full bool, err error) {
	cmd, err := s.c.Idle()
	if err != nil {
		return false, fmt.Errorf("start idle: %w", err)
	}
	s.log.Debug("idling")
	select {
	case <-ctx.Done():
		return false, ctx.Err() // the connection is closing; no DONE needed
	case <-s.c.Closed():
		return false, errConnClosed
	case <-s.newMail:
	case <-reconcile:
		full = true
	}
	if err := cmd.Close(); err != nil {
		return false, fmt.Errorf("stop idle: %w", err)
	}
	if err := cmd.Wait(); err != nil {
		return false, fmt.Errorf("stop idle: %w", err)
	}
	return full, nil
}
