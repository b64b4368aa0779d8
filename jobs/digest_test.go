package jobs_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jhillyerd/enmime/v2"

	"switchboard/jobs"
	"switchboard/store"
	"switchboard/workflows"
)

// press is where the tests' digests go.
var press = workflows.Address{Name: "Press Team", Address: "press@network.example.org"}

// storyMail is a submission with one generated JPEG, a share link, a
// credit line and a permission, whose text says tag.
func storyMail(t *testing.T, tag string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 320, 200))
	for y := range 200 {
		for x := range 320 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, img, nil); err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString(jpg.Bytes())
	var wrapped strings.Builder
	for len(b64) > 76 {
		wrapped.WriteString(b64[:76] + "\r\n")
		b64 = b64[76:]
	}
	wrapped.WriteString(b64 + "\r\n")
	return []byte(strings.ReplaceAll(fmt.Sprintf(`From: Ana Ruiz <ana.ruiz@example.com>
To: support@network.example.org
Subject: Photos of our %[1]s canvass
Date: Sat, 24 Oct 2026 18:00:00 -0500
Message-ID: <story-%[1]s@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=UTF-8

Madison Rising canvassed the %[1]s neighbourhood today: 60 doors.
Video: https://youtu.be/%[1]sVid
Feel free to publish the photo.
Credit: Ana Ruiz / Madison Rising

--b1
Content-Type: image/jpeg; name="canvass-%[1]s.jpg"
Content-Disposition: attachment; filename="canvass-%[1]s.jpg"
Content-Transfer-Encoding: base64

%[2]s
--b1--
`, tag, wrapped.String()), "\n", "\r\n"))
}

// approvedStory delivers raw, builds its story and approves it.
func approvedStory(t *testing.T, e *storyEnv, raw []byte) int64 {
	t.Helper()
	ctx := context.Background()
	_, reqID := e.deliver(t, testMailbox, raw)
	id, err := e.p.BuildStory(ctx, reqID)
	if err != nil {
		t.Fatalf("build story: %v", err)
	}
	if err := e.st.ApproveStory(ctx, id, "staff"); err != nil {
		t.Fatalf("approve story: %v", err)
	}
	return id
}

// TestPressDigestEndToEnd drafts the digest with the periodic job of a
// running River client, approves it as `queue approve` does, and checks
// the mail the send job delivers to the SMTP capture: story text, credits,
// inline thumbnails referenced by cid:, share links. A second digest
// carries only the story approved after the first.
func TestPressDigestEndToEnd(t *testing.T) {
	e := newStoryEnv(t)
	ctx := t.Context()
	capture := startCapture(t)
	s1 := approvedStory(t, e, demoMail(t, "04_story_photo.eml"))
	s2 := approvedStory(t, e, storyMail(t, "eastside"))

	deps := e.deps
	deps.Sender = newSender(t, capture.Addr())
	deps.PressTo = press
	deps.DigestInterval = 24 * time.Hour
	runner, err := jobs.NewRunner(deps)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- runner.Run(runCtx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("runner: %v", err)
		}
	})

	// The periodic job runs at start: approved stories wait, no digest yet.
	var reqs []store.RequestSummary
	waitFor(t, 20*time.Second, "the digest request", func() bool {
		reqs, err = e.st.Requests(ctx, store.RequestFilter{Kind: workflows.KindDigest})
		return err == nil && len(reqs) == 1
	})
	r := reqs[0]
	if r.Status != workflows.StatusDrafted || r.MessageID != 0 || !strings.HasPrefix(r.Subject, "Press digest") {
		t.Fatalf("digest summary = %+v", r)
	}
	d, err := e.st.Request(ctx, r.ID)
	if err != nil {
		t.Fatalf("queue show of the digest: %v", err)
	}
	if len(d.Drafts) != 1 || d.Drafts[0].Kind != workflows.DraftPressDigest || d.Drafts[0].To[0].Address != press.Address {
		t.Fatalf("digest drafts = %+v", d.Drafts)
	}
	if got := len(d.Drafts[0].Attachments); got != 2 {
		t.Fatalf("digest has %d inline thumbnails, want 2", got)
	}
	g, err := e.st.DigestByRequest(ctx, r.ID)
	if err != nil || len(g.StoryIDs) != 2 || g.StoryIDs[0] != s1 || g.StoryIDs[1] != s2 {
		t.Fatalf("digest = %+v, %v; want stories %d, %d", g, err, s1, s2)
	}

	if err := e.st.Approve(ctx, r.ID, "staff"); err != nil {
		t.Fatalf("approve digest: %v", err)
	}
	waitFor(t, 20*time.Second, "the digest to be sent", func() bool { return len(capture.Messages()) == 1 })
	m := capture.Messages()[0]
	if len(m.To) != 1 || m.To[0] != press.Address {
		t.Errorf("RCPT TO %v", m.To)
	}
	env, err := enmime.ReadEnvelope(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatalf("parse the sent digest: %v", err)
	}
	if !bytes.Contains(m.Data, []byte("multipart/related")) {
		t.Errorf("the digest is not multipart/related:\n%s", head(m.Data))
	}
	for _, want := range []string{
		"Madison Rising and Lakeshore Families for Democracy held a joint rally", // story 1 text
		"Credit: Madison Rising",                   // story 1 credit, as asked
		"canvassed the eastside neighbourhood",     // story 2 text
		"Credit: Ana Ruiz / Madison Rising",        // story 2 credit line
		"https://youtu.be/eastsideVid",             // story 2 share link
		"Permission to publish: given",             // consent for the press team
		fmt.Sprintf("stories export %d --zip", s1), // how to get the press copies
	} {
		if !strings.Contains(env.Text, want) {
			t.Errorf("digest text lacks %q:\n%s", want, env.Text)
		}
	}
	cids := regexp.MustCompile(`src="cid:([^"]+)"`).FindAllStringSubmatch(env.HTML, -1)
	if len(cids) != 2 {
		t.Fatalf("digest HTML references %d cid: images, want 2:\n%s", len(cids), env.HTML)
	}
	inline := map[string]string{}
	for _, p := range append(env.Inlines, env.OtherParts...) {
		inline[p.ContentID] = p.ContentType
	}
	for _, c := range cids {
		if inline[c[1]] != "image/jpeg" {
			t.Errorf("cid:%s has no image/jpeg part (parts %v)", c[1], inline)
		}
	}
	if !strings.Contains(env.HTML, `href="https://youtu.be/eastsideVid"`) {
		t.Errorf("digest HTML lacks the share link:\n%s", env.HTML)
	}
	waitFor(t, 10*time.Second, "the digest request to be sent", func() bool {
		d, err := e.st.Request(ctx, r.ID)
		return err == nil && d.Status == workflows.StatusSent
	})

	// A story approved later goes into the next digest, alone; the job
	// does not make one before the interval has passed.
	s3 := approvedStory(t, e, storyMail(t, "northside"))
	p := jobs.NewPipeline(deps)
	if id, err := p.DigestIfDue(ctx, time.Now()); err != nil || id != 0 {
		t.Fatalf("DigestIfDue within the interval = %d, %v; want none", id, err)
	}
	id2, err := p.CreateDigest(ctx, "staff", time.Now())
	if err != nil {
		t.Fatalf("second digest: %v", err)
	}
	g2, err := e.st.DigestByRequest(ctx, id2)
	if err != nil || len(g2.StoryIDs) != 1 || g2.StoryIDs[0] != s3 {
		t.Fatalf("second digest = %+v, %v; want only story %d", g2, err, s3)
	}
	d2, err := e.st.Request(ctx, id2)
	if err != nil {
		t.Fatal(err)
	}
	if txt := d2.Drafts[0].Text; strings.Contains(txt, "Lakeshore Families") || strings.Contains(txt, "eastside") {
		t.Errorf("second digest repeats earlier stories:\n%s", txt)
	}
	if _, err := p.CreateDigest(ctx, "staff", time.Now()); err != jobs.ErrNothingToDigest {
		t.Errorf("third digest: %v, want ErrNothingToDigest", err)
	}
}

// TestDigestRejectedGivesStoriesBack checks that a rejected digest's
// stories go into the next one, and that a message request can never be
// made a digest (the CHECK of 00050_digests.sql).
func TestDigestRejectedGivesStoriesBack(t *testing.T) {
	e := newStoryEnv(t)
	ctx := t.Context()
	s1 := approvedStory(t, e, storyMail(t, "southside"))
	deps := e.deps
	deps.PressTo = press
	p := jobs.NewPipeline(deps)
	id, err := p.CreateDigest(ctx, "staff", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.Reject(ctx, id, "staff", "not this week"); err != nil {
		t.Fatal(err)
	}
	id2, err := p.CreateDigest(ctx, "staff", time.Now())
	if err != nil {
		t.Fatalf("digest after a rejected one: %v", err)
	}
	if g, err := e.st.DigestByRequest(ctx, id2); err != nil || len(g.StoryIDs) != 1 || g.StoryIDs[0] != s1 {
		t.Fatalf("digest after rejection = %+v, %v", g, err)
	}
	if _, err := e.st.DB().ExecContext(ctx, `UPDATE requests SET kind = 'digest' WHERE message_id IS NOT NULL`); err == nil {
		t.Error("a request with a message became a digest")
	}
	if _, err := e.st.DB().ExecContext(ctx, `UPDATE requests SET kind = 'list_request' WHERE id = $1`, id2); err == nil {
		t.Error("a digest became a list request")
	}
}

// head is the start of a message, for failure output.
func head(b []byte) string {
	if len(b) > 2000 {
		b = b[:2000]
	}
	return string(b)
}
