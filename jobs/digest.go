package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"switchboard/store"
	"switchboard/stories"
)

// ErrNothingToDigest means no approved story waits for a press digest.
var ErrNothingToDigest = errors.New("no approved story waits for a press digest")

// maxDigestCheck is the longest wait between two checks of whether a digest
// is due, so that a restart delays a daily digest by minutes, not a day.
const maxDigestCheck = 15 * time.Minute

type digestWorker struct {
	river.WorkerDefaults[store.DigestArgs]
	p *Pipeline
}

func (w *digestWorker) Work(ctx context.Context, _ *river.Job[store.DigestArgs]) error {
	_, err := w.p.DigestIfDue(ctx, time.Now())
	return err
}

// digestEnabled says whether this runner drafts digests: it needs the press
// address, an interval and the blob store (for the thumbnails).
func (p *Pipeline) digestEnabled() bool {
	return p.deps.PressTo.Address != "" && p.deps.DigestInterval > 0 && p.deps.Blobs != nil
}

// addDigestWorker registers the digest worker, its queue and the periodic
// job that checks, every min(interval, 15m) and at start, whether a digest
// is due.
func addDigestWorker(workers *river.Workers, queues map[string]river.QueueConfig, p *Pipeline) []*river.PeriodicJob {
	if !p.digestEnabled() {
		return nil
	}
	river.AddWorker(workers, &digestWorker{p: p})
	queues[store.QueueDigest] = river.QueueConfig{MaxWorkers: 1}
	every := min(p.deps.DigestInterval, maxDigestCheck)
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return store.DigestArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})}
}

// DigestIfDue drafts a press digest when the last one was made at least
// DigestInterval before now (or there is none) and approved stories wait
// for one. It returns the digest's request id, or 0 when none was due.
func (p *Pipeline) DigestIfDue(ctx context.Context, now time.Time) (int64, error) {
	last, ok, err := p.deps.Store.LastDigestAt(ctx)
	if err != nil {
		return 0, err
	}
	if ok && now.Sub(last) < p.deps.DigestInterval {
		return 0, nil
	}
	id, err := p.CreateDigest(ctx, "digest job", now)
	if errors.Is(err, ErrNothingToDigest) {
		return 0, nil
	}
	if errors.Is(err, store.ErrConflict) { // another replica's digest took the stories
		p.deps.Logger.Info("digest not drafted: its stories were taken meanwhile", "error", err)
		return 0, nil
	}
	return id, err
}

// CreateDigest drafts the press digest of every approved story that no
// digest carries yet, with their thumbnails inline, to PressTo. It becomes
// a request (kind digest) with one draft awaiting approval: staff approve
// it like any reply, and the send job sends it. by is recorded as its
// maker. ErrNothingToDigest means there was nothing to put in it.
func (p *Pipeline) CreateDigest(ctx context.Context, by string, now time.Time) (int64, error) {
	if p.deps.PressTo.Address == "" {
		return 0, errors.New("create digest: SWITCHBOARD_PRESS_TO is not set")
	}
	if p.deps.Blobs == nil {
		return 0, errors.New("create digest: no blob store configured")
	}
	sts, err := p.deps.Store.StoriesForDigest(ctx)
	if err != nil {
		return 0, err
	}
	if len(sts) == 0 {
		return 0, ErrNothingToDigest
	}
	items := make([]stories.DigestStory, len(sts))
	ids := make([]int64, len(sts))
	for i, s := range sts {
		ids[i] = s.ID
		if items[i], err = p.digestStory(ctx, s); err != nil {
			return 0, fmt.Errorf("create digest: %w", err)
		}
	}
	d, err := stories.ComposeDigest(p.deps.PressTo, items, domainOf(p.deps.From.Address), now)
	if err != nil {
		return 0, err
	}
	id, err := p.deps.Store.CreateDigest(ctx, store.NewDigest{StoryIDs: ids, Draft: d, By: by})
	if err != nil {
		return 0, err
	}
	p.deps.Logger.Info("press digest drafted", "request_id", id, "stories", len(ids))
	return id, nil
}

// digestStory is story s as the digest shows it, with the thumbnails of
// its first images read from the blob store.
func (p *Pipeline) digestStory(ctx context.Context, s store.Story) (stories.DigestStory, error) {
	place := strings.Trim(strings.Join([]string{s.City, s.State}, ", "), ", ")
	if s.District != "" {
		place = strings.TrimSpace(place + " (" + s.District + ")")
	}
	ds := stories.DigestStory{ID: s.ID, Subject: s.Subject, Body: s.Body, Credit: s.Credit, SenderName: s.SenderName,
		Place: place, Consent: s.Consent, ConsentSentence: s.ConsentSentence, Files: len(s.Assets)}
	if ds.Subject == "" {
		ds.Subject = fmt.Sprintf("Story %d", s.ID)
	}
	if s.ActionDate != nil {
		ds.When = s.ActionDate.Format("Monday 2 January 2006")
	}
	for _, g := range s.Groups {
		ds.Groups = append(ds.Groups, g.Name)
	}
	for _, l := range s.Links {
		ds.Links = append(ds.Links, stories.Link{URL: l.URL, Service: l.Service})
	}
	for _, a := range s.Assets {
		if a.ThumbKey == "" || len(ds.Thumbs) == stories.MaxDigestThumbs {
			continue
		}
		jpeg, err := p.deps.Blobs.Get(ctx, a.ThumbKey)
		if err != nil {
			return stories.DigestStory{}, fmt.Errorf("thumbnail of story %d: %w", s.ID, err)
		}
		ds.Thumbs = append(ds.Thumbs, stories.DigestThumb{Filename: a.Filename, JPEG: jpeg})
	}
	return ds, nil
}
