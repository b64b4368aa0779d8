package jobs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/riverqueue/river"

	"switchboard/mailin"
	"switchboard/mailout"
	"switchboard/media"
	"switchboard/store"
	"switchboard/stories"
	"switchboard/workflows"
)

// minStoryGroupName is the trigram similarity of the names alone (no
// boost for the place) at which a group named in a story is taken to be
// that directory group.
const minStoryGroupName = 0.8

type storyWorker struct {
	river.WorkerDefaults[store.StoryArgs]
	p *Pipeline
}

func (w *storyWorker) Work(ctx context.Context, job *river.Job[store.StoryArgs]) error {
	_, err := w.p.BuildStory(ctx, job.Args.RequestID)
	return err
}

// addStoryWorker registers the story worker and its queue when the runner
// has a blob store.
func addStoryWorker(workers *river.Workers, queues map[string]river.QueueConfig, p *Pipeline) {
	if p.deps.Blobs == nil {
		return
	}
	river.AddWorker(workers, &storyWorker{p: p})
	queues[store.QueueStories] = river.QueueConfig{MaxWorkers: 1}
}

// pendingForDrain counts the jobs Drain waits for: process jobs, and the
// story jobs they enqueue when this runner works them (it has a blob
// store), so that `ingest` ends with the stories built. A story job that
// failed and waits for a retry is not counted: Drain never waits forever.
func (r *Runner) pendingForDrain(ctx context.Context) (int, error) {
	n, err := r.deps.Store.PendingJobs(ctx, store.ProcessArgs{}.Kind())
	if err != nil || r.deps.Blobs == nil {
		return n, err
	}
	m, err := r.deps.Store.PendingJobs(ctx, store.StoryArgs{}.Kind())
	return n + m, err
}

// afterRequest is what Process does for stories once a request is stored:
// a submission gets its story job; a reply in a story's thread may answer
// our question about consent, which is recorded.
func (p *Pipeline) afterRequest(ctx context.Context, requestID, messageID int64, in *workflows.Inbound, c workflows.Classification) error {
	if slices.Contains(c.Kinds, workflows.KindSubmission) || c.Kind == workflows.KindSubmission {
		return p.deps.Store.EnqueueStory(ctx, requestID)
	}
	if c.Kind != workflows.KindFollowup {
		return nil
	}
	storyID, err := p.deps.Store.StoryForThread(ctx, append(append([]string(nil), in.InReplyTo...), in.References...))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	answer := stories.ConsentAnswer(in.Text)
	if answer.State == stories.ConsentUnknown {
		return nil
	}
	p.deps.Logger.Info("consent answer recorded", "request_id", requestID, "story_id", storyID, "consent", answer.State)
	return p.deps.Store.RecordConsent(ctx, storyID, answer.State, answer.Sentence, messageID)
}

// processTooLarge handles a message the poller kept as headers only: a
// submission request whose draft asks for a share link. handled is false
// for any other message.
func (p *Pipeline) processTooLarge(ctx context.Context, messageID int64, raw []byte, in *workflows.Inbound) (handled bool, err error) {
	size, limit, ok := mailin.TooLarge(raw)
	if !ok || in == nil {
		return false, nil
	}
	c := workflows.Classification{Kind: workflows.KindSubmission, Kinds: []workflows.Kind{workflows.KindSubmission},
		Confidence: 1, Reasons: []string{fmt.Sprintf("the message was %d bytes, over the %d-byte limit: only its headers were kept", size, limit)}}
	req := store.NewRequest{MessageID: messageID, Classification: c, Status: workflows.StatusNeedsTriage}
	if p.refuse(in) == nil {
		d, err := stories.ComposeShareLinkRequest(in, size, limit)
		if err != nil {
			return true, err
		}
		req.Status, req.Drafts = workflows.StatusDrafted, []workflows.Draft{d}
	}
	id, err := p.deps.Store.CreateRequest(ctx, req)
	if err != nil {
		return true, err
	}
	p.deps.Logger.Info("message too large; share link asked for", "message_id", messageID, "request_id", id, "size", size)
	return true, nil
}

// storyFacts reads what the sender already said about publication the way
// the story record does (BuildStory), so that the acknowledgement never asks
// for a permission or a credit line the sender gave.
func storyFacts(in *workflows.Inbound) workflows.StoryFacts {
	body := stories.StoryText(in.Text)
	return workflows.StoryFacts{Permission: stories.FindConsent(body).State == stories.ConsentGiven,
		Credit: stories.FindCredit(body)}
}

// refuse says why no automatic mail may go to the sender (an auto-reply, a
// list, our own address), or nil.
func (p *Pipeline) refuse(in *workflows.Inbound) error {
	c := workflows.Classify(in, p.deps.Geo, workflows.Context{OwnAddresses: p.deps.OwnAddresses})
	if c.Kind == workflows.KindAutoReply || c.Kind == workflows.KindBounce {
		return fmt.Errorf("the message is an automatic one (%s)", c.Kind)
	}
	return mailout.Refuse(in.ReplyAddress().Address, p.deps.OwnAddresses)
}

// BuildStory makes the story of a submission request: every file the
// sender sent goes to the blob store (once per content), images get an
// upright JPEG preview without metadata (the press copy) and a thumbnail,
// and the story record is stored with its assets. A file that cannot be
// previewed is kept with a note; it never stops the story. BuildStory is
// idempotent: a request that has its story already keeps it.
func (p *Pipeline) BuildStory(ctx context.Context, requestID int64) (int64, error) {
	if p.deps.Blobs == nil {
		return 0, errors.New("build story: no blob store configured")
	}
	if id, err := p.deps.Store.StoryIDByRequest(ctx, requestID); err == nil {
		return id, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	log := p.deps.Logger.With("request_id", requestID)
	req, err := p.deps.Store.Request(ctx, requestID)
	if err != nil {
		return 0, err
	}
	msg, err := p.deps.Store.Message(ctx, req.MessageID)
	if err != nil {
		return 0, err
	}
	in, err := mailin.Parse(msg.Raw, msg.InternalDate)
	if err != nil {
		return 0, fmt.Errorf("build story of request %d: %w", requestID, err)
	}
	f := req.Fields
	from := in.ReplyAddress()
	body := stories.StoryText(in.Text)
	st := store.Story{RequestID: requestID, MessageID: req.MessageID, SenderName: from.Name, SenderEmail: from.Address,
		Subject: in.Subject, Body: body, City: f.City, State: f.State, District: f.District,
		Credit: stories.FindCredit(body)}
	if d, phrase, ok := stories.ActionDate(body, in.Date); ok {
		st.ActionDate, st.DatePhrase = &d, phrase
	}
	consent := stories.FindConsent(body)
	st.Consent, st.ConsentSentence = consent.State, consent.Sentence
	for _, l := range stories.Links(in.Text, in.HTML) {
		st.Links = append(st.Links, store.StoryLink{URL: l.URL, Service: l.Service})
	}
	if st.Groups, err = p.storyGroups(ctx, body, f); err != nil {
		return 0, err
	}
	for _, file := range stories.Files(in) {
		a, err := p.storeAsset(ctx, file)
		if err != nil {
			return 0, fmt.Errorf("build story of request %d: %w", requestID, err)
		}
		st.Assets = append(st.Assets, a)
	}
	id, created, err := p.deps.Store.CreateStory(ctx, st)
	if err != nil {
		return 0, err
	}
	if created {
		log.Info("story built", "story_id", id, "assets", len(st.Assets), "consent", st.Consent)
	}
	return id, nil
}

// storeAsset puts one file, and for an image its preview and thumbnail, in
// the blob store.
func (p *Pipeline) storeAsset(ctx context.Context, f stories.File) (store.Asset, error) {
	key, sum, _, err := p.deps.Blobs.Put(ctx, f.Data, f.ContentType)
	if err != nil {
		return store.Asset{}, err
	}
	a := store.Asset{Position: f.Position, Kind: f.Kind(), Filename: f.Filename, ContentType: f.ContentType,
		Size: int64(len(f.Data)), SHA256: sum, OriginalKey: key, Inline: f.Inline, Container: f.Container, Note: f.Note}
	if a.Kind != "image" {
		return a, nil
	}
	r, err := media.Render(f.Data, f.ContentType)
	if err != nil {
		a.Note = joinNotes(a.Note, "no preview: the image could not be decoded ("+err.Error()+"); the original is kept")
		return a, nil
	}
	a.Width, a.Height = r.Width, r.Height
	if a.PreviewKey, _, _, err = p.deps.Blobs.Put(ctx, r.Preview.JPEG, "image/jpeg"); err != nil {
		return store.Asset{}, err
	}
	if a.ThumbKey, _, _, err = p.deps.Blobs.Put(ctx, r.Thumb.JPEG, "image/jpeg"); err != nil {
		return store.Asset{}, err
	}
	return a, nil
}

// storyGroups matches the group names in a story against the directory.
// A directory group is credited only when its name alone matches the name
// the sender wrote strongly (minStoryGroupName, or equal once case, accents
// and punctuation are folded) and, when the story's state is known, it is
// in that state: a place never makes up for a weak name. A name that looks
// like a group's but matches no directory group is kept as written, with
// no group id. Each group and each name once; a run that holds a name
// already taken ("A and B") adds nothing.
func (p *Pipeline) storyGroups(ctx context.Context, body string, f workflows.Fields) ([]store.StoryGroup, error) {
	var out []store.StoryGroup
	seen := map[int64]bool{}
	var taken []string
	holdsTaken := func(name string) bool {
		l := strings.ToLower(strings.Join(strings.Fields(name), " "))
		for _, t := range taken {
			if strings.Contains(l, t) {
				return true
			}
		}
		return false
	}
	for _, name := range stories.GroupMentions(body) {
		if holdsTaken(name) {
			continue
		}
		ms, err := p.deps.Store.StoryGroupMatches(ctx, name, f.State, f.City, 1)
		if err != nil {
			return nil, err
		}
		switch {
		case len(ms) > 0 && (ms[0].Exact || ms[0].Score >= minStoryGroupName):
			if !seen[ms[0].GroupID] {
				seen[ms[0].GroupID] = true
				out = append(out, store.StoryGroup{GroupID: ms[0].GroupID, Name: ms[0].Name, Said: name, Score: ms[0].Score})
			}
		case stories.LooksLikeGroupName(name):
			out = append(out, store.StoryGroup{Name: name, Said: name})
		default:
			continue
		}
		taken = append(taken, strings.ToLower(name))
	}
	return out, nil
}

func joinNotes(a, b string) string {
	if a == "" {
		return b
	}
	return strings.TrimSpace(a) + "; " + b
}

// pressDefault makes a message to a press mailbox a submission unless it
// is an automatic reply, a bounce or a reply in a known thread.
func (p *Pipeline) pressDefault(ctx context.Context, mailbox string, c workflows.Classification) (workflows.Classification, error) {
	switch c.Kind {
	case workflows.KindSubmission, workflows.KindAutoReply, workflows.KindBounce, workflows.KindFollowup:
		return c, nil
	}
	role, err := p.deps.Store.MailboxRole(ctx, mailbox)
	if err != nil || role != store.MailboxPress {
		return c, err
	}
	if !slices.Contains(c.Kinds, workflows.KindSubmission) {
		c.Kinds = append([]workflows.Kind{workflows.KindSubmission}, slices.DeleteFunc(c.Kinds, func(k workflows.Kind) bool { return k == workflows.KindOther })...)
	}
	if len(c.Kinds) == 1 {
		c.Kind = workflows.KindSubmission
	} else {
		c.Kind = workflows.KindMixed
	}
	c.Confidence = max(c.Confidence, workflows.MinConfidence)
	c.Reasons = append(c.Reasons, "sent to the press mailbox, so taken as a submission")
	return c, nil
}
