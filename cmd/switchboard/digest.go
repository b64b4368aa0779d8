package main

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"time"

	"switchboard/blobstore"
	"switchboard/config"
	"switchboard/jobs"
	"switchboard/store"
	"switchboard/stories"
	"switchboard/workflows"
)

// runStoriesDigest is `stories digest`: it drafts the press digest of the
// approved stories no digest carries yet, now, for staff to approve with
// `queue approve` like any reply.
func runStoriesDigest(ctx context.Context, env *Env, by string) error {
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	if cfg.PressTo == "" {
		return errors.New("SWITCHBOARD_PRESS_TO is not set: give the press team's address, e.g. press@network.example.org")
	}
	log := newLogger(env, cfg)
	st, err := openStore(ctx, cfg, log, false)
	if err != nil {
		return err
	}
	defer st.Close()
	from, err := supportAddress(cfg)
	if err != nil {
		return err
	}
	deps := jobs.Deps{Store: st, From: from, Logger: log}
	closeBlobs, err := withStoryDeps(ctx, cfg, &deps, cfg.BlobURL)
	if err != nil {
		return err
	}
	defer closeBlobs()
	id, err := jobs.NewPipeline(deps).CreateDigest(ctx, by, time.Now())
	if errors.Is(err, jobs.ErrNothingToDigest) {
		fmt.Fprintln(env.Stdout, "No approved story waits for a press digest.")
		return nil
	}
	if err != nil {
		return err
	}
	g, err := st.DigestByRequest(ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Press digest drafted as request %d (%d stories, to %s).\n", id, len(g.StoryIDs), cfg.PressTo)
	fmt.Fprintf(env.Stdout, "Review it with \"switchboard queue show %d\"; send it with \"switchboard queue approve %d --by NAME\".\n", id, id)
	return nil
}

// withStoryDeps opens the blob store at blobURL into deps, so that story
// jobs are worked, and sets the press digest settings from cfg. The
// returned function closes the blob store.
func withStoryDeps(ctx context.Context, cfg *config.Config, deps *jobs.Deps, blobURL string) (func(), error) {
	if cfg.PressTo != "" {
		a, err := mail.ParseAddress(cfg.PressTo)
		if err != nil {
			return nil, fmt.Errorf("SWITCHBOARD_PRESS_TO: %w", err)
		}
		deps.PressTo = workflows.Address{Name: a.Name, Address: a.Address}
		deps.DigestInterval = cfg.DigestInterval
	}
	blobs, err := blobstore.Open(ctx, blobURL)
	if err != nil {
		return nil, fmt.Errorf("blob store %s: %w", blobURL, err)
	}
	deps.Blobs = blobs
	return func() { _ = blobs.Close() }, nil
}

// checkConsent refuses to approve or export a story whose sender has not
// given permission to publish, unless force; forced, it warns.
func checkConsent(env *Env, s store.Story, verb string, force bool) error {
	if s.Consent == stories.ConsentGiven {
		return nil
	}
	what := "has not said whether it may be published (consent unknown)"
	if s.Consent == stories.ConsentRefused {
		what = "refused publication"
		if s.ConsentSentence != "" {
			what += fmt.Sprintf(" (%q)", s.ConsentSentence)
		}
	}
	if !force {
		return fmt.Errorf("story %d: its sender %s: ask them first, or %s it anyway with --force", s.ID, what, verb)
	}
	fmt.Fprintf(env.Stderr, "warning: story %d: its sender %s; %s it anyway (--force)\n", s.ID, what, verb)
	return nil
}

// demoBlobURL is where the demo keeps story files: a "blobs" folder in the
// throwaway PostgreSQL's folder (removed with it), else
// SWITCHBOARD_BLOB_URL when set, else a fixed folder under the system temp
// dir, kept across runs like the database it goes with (content-addressed,
// so a re-run adds nothing).
func demoBlobURL(env *Env, inTempDir string) string {
	if inTempDir != "" {
		return inTempDir
	}
	if u, ok := env.Getenv("SWITCHBOARD_BLOB_URL"); ok && u != "" {
		return u
	}
	return "file://" + filepath.Join(os.TempDir(), "switchboard-demo-blobs")
}

// waitStories waits until no process or story job is waiting or running, so that the
// demo's story has its files when the queue is printed, or the loops fail.
func waitStories(ctx context.Context, st *store.Store, done <-chan error) error {
	deadline := time.After(2 * time.Minute)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		// A process job enqueues its story job before it completes, so
		// both counts at zero mean every story is built.
		n, err := st.PendingJobs(ctx, store.ProcessArgs{}.Kind())
		if err != nil {
			return err
		}
		m, err := st.PendingJobs(ctx, store.StoryArgs{}.Kind())
		if err != nil {
			return err
		}
		n += m
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-done:
			return fmt.Errorf("the demo stopped early: %w", err)
		case <-deadline:
			return fmt.Errorf("%d story jobs still pending after 2 minutes; see the log above", n)
		case <-tick.C:
		}
	}
}
