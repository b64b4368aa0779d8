// Package jobs runs Switchboard's background work on River: "process" turns a
// stored inbound message into a classified request with drafts, and "send"
// sends one approved draft. Both jobs are enqueued by the store in the same
// transaction as the change that causes them.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"switchboard/blobstore"
	"switchboard/directory"
	"switchboard/mailout"
	"switchboard/store"
	"switchboard/templates"
	"switchboard/workflows"
)

// Deps is what the jobs need. Sender may be nil for a runner that only
// processes (e.g. `switchboard ingest`); send jobs then wait for a runner
// that has one.
type Deps struct {
	Store     *store.Store
	Geo       *directory.Geography
	Templates *templates.Set
	Sender    *mailout.Sender
	// From is the support address replies are sent from; OwnAddresses are
	// every address of ours (never answered automatically).
	From         workflows.Address
	OwnAddresses []string
	Logger       *slog.Logger
	// RadiusMiles is the radius of a "groups near X" request that gives
	// none; 0 means workflows.DefaultRadiusMiles.
	RadiusMiles float64
	// Blobs keeps the files of stories; without it no story job is worked.
	Blobs *blobstore.Store
	// PressTo receives the press digest, drafted at most once per
	// DigestInterval; without both (and Blobs) no digest job runs.
	PressTo        workflows.Address
	DigestInterval time.Duration
	// Intro configures introductions: double opt-in and how long to wait.
	Intro IntroSettings
}

// Runner owns a River client with the process and send workers.
type Runner struct {
	deps   Deps
	client *river.Client[*sql.Tx]
}

// NewRunner builds the River client on the store's *sql.DB. FetchPollInterval
// is short because riverdatabasesql has no LISTEN/NOTIFY (MAILSTACK.md §8).
func NewRunner(d Deps) (*Runner, error) {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	workers := river.NewWorkers()
	p := &Pipeline{deps: d}
	river.AddWorker(workers, &processWorker{p: p})
	queues := map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}}
	if d.Sender != nil {
		river.AddWorker(workers, &sendWorker{p: p})
		queues[store.QueueSend] = river.QueueConfig{MaxWorkers: 2}
	}
	addStoryWorker(workers, queues, p)
	periodic := addDigestWorker(workers, queues, p)
	periodic = append(periodic, addIntroWorker(workers, p)...)
	client, err := river.NewClient(d.Store.RiverDriver(), &river.Config{
		PeriodicJobs:      periodic,
		Queues:            queues,
		Workers:           workers,
		FetchCooldown:     20 * time.Millisecond,
		FetchPollInterval: 50 * time.Millisecond,
		Logger:            d.Logger,
		JobTimeout:        2 * time.Minute,
	})
	if err != nil {
		return nil, fmt.Errorf("create job runner: %w", err)
	}
	return &Runner{deps: d, client: client}, nil
}

// Run works jobs until ctx is done, then stops gracefully, letting running
// jobs finish for up to 10 seconds.
func (r *Runner) Run(ctx context.Context) error {
	if err := r.client.Start(ctx); err != nil {
		return fmt.Errorf("start job runner: %w", err)
	}
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.client.Stop(stopCtx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("stop job runner: %w", err)
	}
	return nil
}

// Drain works jobs until no process job (nor, with a blob store, story
// job) is waiting or running, then stops.
// It is how `ingest` finishes a backlog without a long-running server.
func (r *Runner) Drain(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return err
		case <-tick.C:
			n, err := r.pendingForDrain(ctx)
			if err != nil {
				cancel()
				<-done
				return err
			}
			if n == 0 {
				cancel()
				return <-done
			}
		}
	}
}
