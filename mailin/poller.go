package mailin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"
)

// Defaults that NewPoller fills in for zero Config fields.
const (
	// DefaultPollInterval is how often a server without IDLE is asked for new mail.
	DefaultPollInterval = time.Minute
	// DefaultReconcileInterval is how often a full UID SEARCH ALL double-checks
	// that nothing above the checkpoint was missed.
	DefaultReconcileInterval = 15 * time.Minute
	// DefaultBatchSize is how many messages one UID FETCH asks for and holds.
	DefaultBatchSize = 50
)

// RawMessage is one message exactly as fetched over IMAP, before any parsing.
// It mirrors store.RawMessage field for field so that cmd/switchboard can adapt it.
type RawMessage struct {
	Mailbox string // Config.Mailbox
	// UIDValidity and UID identify the message on the server for as long as
	// UIDVALIDITY stays the same (RFC 9051 §2.3.1.1, RFC 3501 §2.3.1.1).
	UIDValidity  uint32
	UID          uint32
	InternalDate time.Time // INTERNALDATE: when the server received it (RFC 9051 §2.3.3)
	Size         int64     // RFC822.SIZE as reported by the server
	MessageID    string    // Message-ID header without <>, "" when there is none
	Raw          []byte    // the whole message, BODY.PEEK[]
}

// Checkpoint is how far a mailbox has been stored: every message with a UID
// up to LastUID under UIDValidity is in the store. It mirrors store.Checkpoint.
type Checkpoint struct {
	Mailbox     string
	UIDValidity uint32
	LastUID     uint32
}

// Sink is where the Poller puts what it fetches; the store implements it.
type Sink interface {
	// Checkpoint returns the mailbox's checkpoint, or the zero Checkpoint
	// (UIDValidity 0, LastUID 0) for a mailbox that was never stored.
	Checkpoint(ctx context.Context, mailbox string) (Checkpoint, error)
	// SaveFetched stores m and advances the checkpoint to m.UID in one
	// transaction, deduplicating by (Mailbox, UIDValidity, UID) and by
	// Message-ID. created is false when m was already stored.
	SaveFetched(ctx context.Context, m RawMessage) (created bool, err error)
	// RecordPoll records the outcome of a poll: err nil for success.
	RecordPoll(ctx context.Context, mailbox string, err error) error
}

// Config configures a Poller.
type Config struct {
	// URL says where to connect: see ParseIMAPURL for the accepted forms.
	URL *url.URL
	// Password is the IMAP password for the URL's user.
	Password string
	// Mailbox names the checkpoint, for example the mailbox's address.
	Mailbox string
	// PollInterval is how often to look for new mail when the server has no
	// IDLE; DefaultPollInterval when zero.
	PollInterval time.Duration
	// ReconcileInterval is how often to run a full UID SEARCH ALL against the
	// checkpoint, with or without IDLE; DefaultReconcileInterval when zero.
	ReconcileInterval time.Duration
	// BatchSize is the most messages fetched and held at once;
	// DefaultBatchSize when zero.
	BatchSize int
	// MaxMessageSize is the largest message (RFC822.SIZE, bytes) fetched
	// whole; a larger one is kept as its header block, marked with
	// TooLargeField. Zero means no limit.
	MaxMessageSize int64
	// Logger receives the Poller's logs; they are discarded when it is nil.
	Logger *slog.Logger
}

// Poller copies one IMAP mailbox into a Sink. It never modifies the mailbox:
// it opens it with EXAMINE and fetches with BODY.PEEK[], so no flag is set,
// nothing is moved and nothing is expunged.
type Poller struct {
	cfg  Config
	sink Sink
	log  *slog.Logger
}

// NewPoller returns a Poller for cfg that saves into sink. Zero durations and
// batch size get their defaults; Run reports an invalid URL or empty Mailbox.
func NewPoller(cfg Config, sink Sink) *Poller {
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	if cfg.ReconcileInterval <= 0 {
		cfg.ReconcileInterval = DefaultReconcileInterval
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Poller{cfg: cfg, sink: sink, log: log.With("mailbox", cfg.Mailbox)}
}

// Run copies new mail into the sink until ctx is done, then returns nil. It
// first catches up from the checkpoint, then waits with IDLE (RFC 9051
// §6.3.13, RFC 2177) when the server offers it and polls otherwise. Any
// failure is logged, recorded with Sink.RecordPoll and followed by a
// reconnection after a capped, jittered exponential backoff. Run returns an
// error only for an invalid Config.
func (p *Poller) Run(ctx context.Context) error {
	ep, err := endpointOf(p.cfg.URL)
	if err != nil {
		return err
	}
	if p.cfg.Mailbox == "" {
		return errors.New("mailin: Config.Mailbox is empty: set it to a name for the checkpoint, such as the address")
	}
	if p.sink == nil {
		return errors.New("mailin: no Sink")
	}
	bo := newBackoff()
	for {
		progressed, err := p.session(ctx, ep)
		if ctx.Err() != nil {
			return nil
		}
		if progressed {
			bo.reset()
		}
		p.log.Warn("imap session failed", "error", err)
		if rerr := p.sink.RecordPoll(ctx, p.cfg.Mailbox, err); rerr != nil && ctx.Err() == nil {
			p.log.Error("record poll failure", "error", rerr)
		}
		if sleep(ctx, bo.next()) != nil {
			return nil
		}
	}
}

// session runs one connection until it fails or ctx is done. progressed
// reports whether it got through its first catch-up, which resets the backoff.
// A panic inside becomes an error, so one bad message cannot kill the process.
func (p *Poller) session(ctx context.Context, ep endpoint) (progressed bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("imap session: panic: %v", r)
		}
	}()
	s, err := p.connect(ctx, ep)
	if err != nil {
		return false, err
	}
	defer s.close()
	if err := s.examine(ctx); err != nil {
		return false, err
	}
	if err := s.catchUp(ctx, false); err != nil {
		return false, err
	}
	p.recordSuccess(ctx)
	return true, s.follow(ctx)
}

// recordSuccess records a successful pass; a failure to record is only logged,
// since the mail itself is safe.
func (p *Poller) recordSuccess(ctx context.Context) {
	if err := p.sink.RecordPoll(ctx, p.cfg.Mailbox, nil); err != nil && ctx.Err() == nil {
		p.log.Warn("record poll", "error", err)
	}
}
