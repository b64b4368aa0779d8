package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"switchboard/jobs"
	"switchboard/mailin"
	"switchboard/store"
)

func init() {
	commands["serve"] = command{"watch the support mailbox, draft replies, send approved mail", runServe}
}

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "serve", "serve [--migrate]")
	migrate := fs.Bool("migrate", false, "apply database migrations before starting")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	if err := cfg.RequireServe(); err != nil {
		return err
	}
	log := newLogger(env, cfg)
	from, err := fromAddress(cfg)
	if err != nil {
		return err
	}
	imapURL, err := mailin.ParseIMAPURL(cfg.IMAPURL)
	if err != nil {
		return fmt.Errorf("SWITCHBOARD_IMAP_URL: %w", err)
	}
	sender, err := newSender(cfg, from)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg, log, *migrate)
	if err != nil {
		return err
	}
	defer st.Close()
	deps, err := newDeps(cfg, st, from, sender, log)
	if err != nil {
		return err
	}
	closeBlobs, err := withStoryDeps(ctx, cfg, &deps, cfg.BlobURL)
	if err != nil {
		return err
	}
	defer closeBlobs()
	runner, err := jobs.NewRunner(deps)
	if err != nil {
		return err
	}
	poller := mailin.NewPoller(mailin.Config{
		URL:               imapURL,
		Password:          cfg.IMAPPassword,
		Mailbox:           imapURL.String(),
		PollInterval:      cfg.PollInterval,
		ReconcileInterval: cfg.ReconcileInterval,
		MaxMessageSize:    cfg.MaxMessageSize,
		Logger:            log,
	}, sink{st})
	pressLoop, err := newPressLoop(ctx, st, cfg, log)
	if err != nil {
		return err
	}
	webLoop, _, err := newWebLoop(st, deps, cfg.HTTPAddr, cfg.TrustedProxies, log)
	if err != nil {
		return err
	}
	log.Info("switchboard serving", "mailbox", imapURL.Redacted())
	return runAll(ctx, withMailboxLock(st, imapURL.String(), log, poller.Run), runner.Run, webLoop, pressLoop)
}

// runAll runs each loop until ctx is done or one fails; then it cancels the
// others and waits for all of them. The first real error is returned.
func runAll(ctx context.Context, loops ...func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, len(loops))
	for i, loop := range loops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := loop(ctx); err != nil && !errors.Is(err, context.Canceled) {
				errs[i] = err
				cancel()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// withMailboxLock runs poll only while this process holds the mailbox's
// poller lock, so that one replica polls a mailbox at a time. If the lock's
// connection fails, polling stops and the lock is taken again.
func withMailboxLock(st *store.Store, mailbox string, log *slog.Logger, poll func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		for {
			lock, err := st.LockMailbox(ctx, mailbox)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			runCtx, cancel := context.WithCancel(ctx)
			go func() {
				select {
				case <-lock.Lost():
					log.Warn("lost the mailbox lock; polling stops until it is taken again", "mailbox", mailbox)
					cancel()
				case <-runCtx.Done():
				}
			}()
			err = poll(runCtx)
			cancel()
			lock.Release()
			if err != nil || ctx.Err() != nil {
				return err
			}
		}
	}
}
