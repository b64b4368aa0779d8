package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"

	"github.com/lib/pq"

	"switchboard/config"
	"switchboard/directory"
	"switchboard/jobs"
	"switchboard/mailin"
	"switchboard/mailout"
	"switchboard/store"
	"switchboard/templates"
	"switchboard/workflows"
)

// newLogger builds the process logger: text for a terminal, JSON in production.
func newLogger(env *Env, cfg *config.Config) *slog.Logger {
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(env.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(env.Stderr, nil))
}

// loadConfig reads the configuration, with an error that says what to fix.
func loadConfig(env *Env) (*config.Config, error) {
	cfg, err := config.Load(env.Getenv)
	if err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	return cfg, nil
}

// openStore connects to DATABASE_URL. With migrate, it creates a missing
// database and applies migrations; without, it refuses an old schema.
func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger, migrate bool) (*store.Store, error) {
	if migrate {
		if err := store.CreateDatabase(ctx, cfg.DatabaseURL); err != nil {
			return nil, err
		}
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, log)
	if err != nil {
		var pqErr *pq.Error
		if errors.As(err, &pqErr) && pqErr.Code == "3D000" {
			return nil, fmt.Errorf("%w: create it with \"switchboard migrate\"", err)
		}
		return nil, fmt.Errorf("%w: check DATABASE_URL and that PostgreSQL is running", err)
	}
	if migrate {
		if err := st.Migrate(ctx); err != nil {
			st.Close()
			return nil, err
		}
		return st, nil
	}
	ok, err := st.SchemaCurrent(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	if !ok {
		st.Close()
		return nil, errors.New("the database schema is not current: run \"switchboard migrate\" first")
	}
	return st, nil
}

// supportAddress is the address our mail comes from: SWITCHBOARD_FROM, or
// the demo's when it is unset (commands that only draft need not configure
// sending).
func supportAddress(cfg *config.Config) (workflows.Address, error) {
	if cfg.From == "" {
		return demoFrom, nil
	}
	return fromAddress(cfg)
}

// cliPipeline is the pipeline a staff command re-drafts with: the support
// address, no SMTP sender (a running serve sends), and no log (the command
// prints what it did).
func cliPipeline(env *Env, st *store.Store) (*jobs.Pipeline, error) {
	cfg, err := loadConfig(env)
	if err != nil {
		return nil, err
	}
	from, err := supportAddress(cfg)
	if err != nil {
		return nil, err
	}
	deps, err := newDeps(cfg, st, from, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, err
	}
	return jobs.NewPipeline(deps), nil
}

// openStoreEnv opens the store of the environment's DATABASE_URL for a
// command that needs the schema current, and returns the configuration too.
func openStoreEnv(ctx context.Context, env *Env) (*store.Store, *config.Config, error) {
	cfg, err := loadConfig(env)
	if err != nil {
		return nil, nil, err
	}
	st, err := openStore(ctx, cfg, newLogger(env, cfg), false)
	return st, cfg, err
}

// fromAddress parses SWITCHBOARD_FROM.
func fromAddress(cfg *config.Config) (workflows.Address, error) {
	a, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return workflows.Address{}, fmt.Errorf("SWITCHBOARD_FROM: %w", err)
	}
	return workflows.Address{Name: a.Name, Address: a.Address}, nil
}

// newDeps builds what the jobs need. sender may be nil.
func newDeps(cfg *config.Config, st *store.Store, from workflows.Address, sender *mailout.Sender, log *slog.Logger) (jobs.Deps, error) {
	geo, err := directory.LoadGeography()
	if err != nil {
		return jobs.Deps{}, err
	}
	tpl, err := templates.Load()
	if err != nil {
		return jobs.Deps{}, err
	}
	own := []string{strings.ToLower(from.Address)}
	return jobs.Deps{Store: st, Geo: geo, Templates: tpl, Sender: sender, From: from, OwnAddresses: own, Logger: log,
		RadiusMiles: cfg.ListRadiusMiles, Intro: jobs.IntroSettings{OptIn: cfg.IntroOptIn, Wait: cfg.IntroOptInWait}}, nil
}

// newSender builds the SMTP sender from SWITCHBOARD_SMTP_URL.
func newSender(cfg *config.Config, from workflows.Address) (*mailout.Sender, error) {
	u, err := mailout.ParseSMTPURL(cfg.SMTPURL)
	if err != nil {
		return nil, fmt.Errorf("SWITCHBOARD_SMTP_URL: %w", err)
	}
	mc := mailout.Config{URL: u, Password: cfg.SMTPPassword, From: from}
	if u.User != nil {
		mc.Username = u.User.Username()
	}
	return mailout.NewSender(mc)
}

// sink adapts the store to the poller's interface.
type sink struct{ st *store.Store }

func (s sink) Checkpoint(ctx context.Context, mailbox string) (mailin.Checkpoint, error) {
	c, err := s.st.Checkpoint(ctx, mailbox)
	return mailin.Checkpoint(c), err
}

func (s sink) SaveFetched(ctx context.Context, m mailin.RawMessage) (bool, error) {
	return s.st.SaveFetched(ctx, store.RawMessage(m))
}

func (s sink) RecordPoll(ctx context.Context, mailbox string, err error) error {
	return s.st.RecordPoll(ctx, mailbox, err)
}
