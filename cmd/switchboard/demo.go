package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"switchboard/demo"
	"switchboard/jobs"
	"switchboard/mailin"
	"switchboard/mailout"
	"switchboard/store"
	"switchboard/workflows"
)

func init() {
	commands["demo"] = command{"run the whole pipeline on sample data, with in-process mail servers", runDemo}
}

// demoFrom is the support address the demo (and ingest, without
// SWITCHBOARD_FROM) answers from.
var demoFrom = workflows.Address{Name: "Support Team", Address: "support@network.example.org"}

// demoGroupsSource names the demo's directory import in the import history.
const demoGroupsSource = "demo/data/groups.csv"

// demoMailbox names the demo's checkpoint, so that re-running the demo on
// the same database stores nothing twice.
const demoMailbox = "demo:support"

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "demo", "demo [--once] [--dir DIR]")
	once := fs.Bool("once", false, "seed, process, print the queue and exit")
	dir := fs.String("dir", "", "folder for the throwaway PostgreSQL (default: a new folder under the system temp dir)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	out := env.Stdout
	dsn, _ := env.Getenv("DATABASE_URL")
	blobURL := "" // where the demo's story files go: see demoBlobURL
	if dsn == "" {
		folder := *dir
		if folder == "" {
			var err error
			if folder, err = os.MkdirTemp("", "switchboard-demo-"); err != nil {
				return fmt.Errorf("make a folder for PostgreSQL: %w", err)
			}
		}
		folder, _ = filepath.Abs(folder)
		blobURL = "file://" + filepath.Join(folder, "blobs")
		fmt.Fprintf(out, "Starting a throwaway PostgreSQL in %s ...\n", folder)
		pg, err := demo.StartPostgres(ctx, folder)
		if err != nil {
			return fmt.Errorf("%w\n(or set DATABASE_URL to a PostgreSQL you already run)", err)
		}
		defer func() {
			_ = pg.Stop()
			_ = os.RemoveAll(folder)
			fmt.Fprintf(out, "Stopped PostgreSQL and removed %s.\n", folder)
		}()
		dsn = pg.DSN()
		dsn = dsn[:len(dsn)-len("/postgres?sslmode=disable")] + "/switchboard?sslmode=disable"
	}
	getenv := func(k string) (string, bool) {
		if k == "DATABASE_URL" {
			return dsn, true
		}
		return env.Getenv(k)
	}
	cfg, err := loadConfig(&Env{Getenv: getenv})
	if err != nil {
		return err
	}
	// The demo's own output tells the story; the log only shows problems.
	log := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := openStore(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer st.Close()

	if n, err := st.ForeignData(ctx, demoGroupsSource, demoMailbox); err != nil {
		return err
	} else if n > 0 {
		return errors.New("DATABASE_URL names a database that holds real data (groups or mail not from the demo), which the demo's sample directory would overwrite: point DATABASE_URL at an empty database, or unset it to let the demo start a throwaway PostgreSQL")
	}
	rep, err := st.ImportGroups(ctx, bytes.NewReader(demo.GroupsCSV()), demoGroupsSource, "demo")
	if err != nil {
		return fmt.Errorf("load the sample directory: %w", err)
	}
	fmt.Fprintf(out, "Loaded the sample directory: %d groups.\n", rep.Imported)

	imapSrv, err := demo.StartIMAP("support", "demo-password")
	if err != nil {
		return fmt.Errorf("start the IMAP server: %w", err)
	}
	defer imapSrv.Close()
	smtpSrv, err := demo.StartSMTPCapture()
	if err != nil {
		return fmt.Errorf("start the SMTP capture server: %w", err)
	}
	defer smtpSrv.Close()
	mails := demo.Mails()
	for _, m := range mails {
		if err := imapSrv.Deliver(m.Raw); err != nil {
			return fmt.Errorf("deliver %s: %w", m.Name, err)
		}
	}
	fmt.Fprintf(out, "IMAP server on %s holds %d sample leader emails; SMTP capture on %s.\n", imapSrv.Addr(), len(mails), smtpSrv.Addr())

	imapURL, err := mailin.ParseIMAPURL(imapSrv.URL())
	if err != nil {
		return err
	}
	smtpURL, err := mailout.ParseSMTPURL("smtp://" + smtpSrv.Addr())
	if err != nil {
		return err
	}
	sender, err := mailout.NewSender(mailout.Config{URL: smtpURL, From: demoFrom})
	if err != nil {
		return err
	}
	deps, err := newDeps(cfg, st, demoFrom, sender, log)
	if err != nil {
		return err
	}
	closeBlobs, err := withStoryDeps(ctx, cfg, &deps, demoBlobURL(env, blobURL))
	if err != nil {
		return err
	}
	defer closeBlobs()
	deps.PressTo = workflows.Address{} // the demo drafts no press digest by itself
	runner, err := jobs.NewRunner(deps)
	if err != nil {
		return err
	}
	poller := mailin.NewPoller(mailin.Config{
		URL: imapURL, Password: imapSrv.Password, Mailbox: demoMailbox,
		PollInterval: time.Second, ReconcileInterval: time.Minute, Logger: log,
	}, sink{st})

	// The demo's web UI takes any free port unless SWITCHBOARD_HTTP_ADDR says.
	httpAddr := "127.0.0.1:0"
	if a, ok := env.Getenv("SWITCHBOARD_HTTP_ADDR"); ok && a != "" {
		httpAddr = cfg.HTTPAddr
	}
	webLoop, webAddr, err := newWebLoop(st, deps, httpAddr, cfg.TrustedProxies, log)
	if err != nil {
		return err
	}
	adminEmail, adminPassword, err := demoAdmin(ctx, st)
	if err != nil {
		return err
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- runAll(runCtx, withMailboxLock(st, demoMailbox, log, poller.Run), runner.Run, webLoop) }()

	if err := waitProcessed(ctx, st, len(mails), done); err != nil {
		return err
	}
	if err := waitStories(ctx, st, done); err != nil {
		return err
	}
	if err := printQueue(ctx, env, st); err != nil {
		return err
	}
	if *once {
		stop()
		return <-done
	}
	exe := "switchboard"
	if p, err := os.Executable(); err == nil {
		exe = p
	}
	fmt.Fprintf(out, "\nApprove a reply from another terminal (ID from the list above), and the capture server prints it here:\n")
	fmt.Fprintf(out, "  DATABASE_URL='%s' %s queue show ID\n", dsn, exe)
	fmt.Fprintf(out, "  DATABASE_URL='%s' %s queue approve ID --by demo-staff\n", dsn, exe)
	fmt.Fprintf(out, "Or use the staff web UI at http://%s/ : log in as %s with the one-time password %s\n", webAddr, adminEmail, adminPassword)
	fmt.Fprintf(out, "(admins set up two-factor authentication at first login; the demo sets a new password each run).\n")
	fmt.Fprintf(out, "Press Ctrl-C to stop everything the demo started.\n")
	seen := 0
	for {
		select {
		case <-ctx.Done():
			stop()
			return <-done
		case err := <-done:
			return err
		case <-smtpSrv.Arrived():
			msgs := smtpSrv.Messages()
			for _, m := range msgs[seen:] {
				fmt.Fprintf(out, "\n===== the SMTP capture server received (MAIL FROM %s, RCPT TO %v) =====\n%s\n===== end =====\n", m.From, m.To, m.Data)
			}
			seen = len(msgs)
		}
	}
}

// waitProcessed waits until at least n requests exist, or the loops fail.
func waitProcessed(ctx context.Context, st *store.Store, n int, done <-chan error) error {
	deadline := time.After(2 * time.Minute)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		reqs, err := st.Requests(ctx, store.RequestFilter{Limit: n})
		if err != nil {
			return err
		}
		if len(reqs) >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-done:
			return fmt.Errorf("the demo stopped early: %w", err)
		case <-deadline:
			return fmt.Errorf("only %d of %d sample emails were processed after 2 minutes; see the log above", len(reqs), n)
		case <-tick.C:
		}
	}
}
