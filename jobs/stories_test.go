package jobs_test

import (
	"bytes"
	"context"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"switchboard/blobstore"
	"switchboard/demo"
	"switchboard/directory"
	"switchboard/internal/testcorpus"
	"switchboard/jobs"
	"switchboard/mailin"
	"switchboard/media"
	"switchboard/store"
	"switchboard/templates"
	"switchboard/workflows"
)

// storyEnv is a pipeline with a real database and a blob store in a
// temporary folder.
type storyEnv struct {
	st    *store.Store
	blobs *blobstore.Store
	p     *jobs.Pipeline
	deps  jobs.Deps
	uid   uint32
}

func newStoryEnv(t testing.TB) *storyEnv {
	t.Helper()
	ctx := context.Background()
	st := store.MustOpenTest(t)
	geo, err := directory.LoadGeography()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportGroups(ctx, bytes.NewReader(demo.GroupsCSV()), "test", "groups.csv"); err != nil {
		t.Fatal(err)
	}
	blobs, err := blobstore.Open(ctx, "file://"+t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	from := workflows.Address{Name: "Support", Address: "support@network.example.org"}
	deps := jobs.Deps{Store: st, Geo: geo, Templates: templates.MustLoad(), From: from,
		OwnAddresses: []string{from.Address}, Blobs: blobs}
	return &storyEnv{st: st, blobs: blobs, p: jobs.NewPipeline(deps), deps: deps}
}

// deliver stores raw as the next message of mailbox and processes it.
func (e *storyEnv) deliver(t *testing.T, mailbox string, raw []byte) (messageID, requestID int64) {
	t.Helper()
	ctx := context.Background()
	e.uid++
	if _, err := e.st.SaveFetched(ctx, store.RawMessage{Mailbox: mailbox, UIDValidity: 1, UID: e.uid,
		InternalDate: time.Now(), MessageID: mailin.HeaderMessageID(raw), Raw: raw}); err != nil {
		t.Fatal(err)
	}
	db := e.st.DB()
	if err := db.QueryRow(`SELECT message_id FROM message_sightings s JOIN mailboxes b ON b.id = s.mailbox_id
		WHERE b.address = $1 AND s.uid = $2`, mailbox, int64(e.uid)).Scan(&messageID); err != nil {
		t.Fatal(err)
	}
	if err := e.p.Process(ctx, messageID); err != nil {
		t.Fatalf("process: %v", err)
	}
	if err := db.QueryRow(`SELECT id FROM requests WHERE message_id = $1`, messageID).Scan(&requestID); err != nil {
		t.Fatal(err)
	}
	return messageID, requestID
}

// TestStoriesFromCorpus builds the story of every submission and mixed
// message of the corpus and checks what the press team gets.
func TestStoriesFromCorpus(t *testing.T) {
	dir, labels := testcorpus.Labels(t)
	e := newStoryEnv(t)
	ctx := context.Background()
	byFile := map[string]store.Story{}
	for _, l := range labels {
		if l.Category != "submission" && l.Category != "mixed" {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, l.File))
		if err != nil {
			t.Fatal(err)
		}
		_, reqID := e.deliver(t, "support@network.example.org", raw)
		req, err := e.st.Request(ctx, reqID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(req.Kinds, " "), "submission") {
			if l.Expected.Attachments > 0 {
				t.Errorf("%s: classified %v, not a submission; its %d files have no story", l.File, req.Kinds, l.Expected.Attachments)
			}
			continue
		}
		id, err := e.p.BuildStory(ctx, reqID)
		if err != nil {
			t.Fatalf("%s: build story: %v", l.File, err)
		}
		s, err := e.st.Story(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		byFile[l.File[:3]] = s
		if len(s.Assets) != l.Expected.Attachments {
			t.Errorf("%s: %d assets, labels say %d", l.File, len(s.Assets), l.Expected.Attachments)
		}
		for _, a := range s.Assets {
			if _, err := e.blobs.Get(ctx, a.OriginalKey); err != nil {
				t.Errorf("%s: original of %s: %v", l.File, a.Filename, err)
			}
			if a.Kind == "image" && a.PreviewKey == "" && !strings.Contains(a.Note, "no preview") {
				t.Errorf("%s: %s has neither a preview nor a note", l.File, a.Filename)
			}
			if a.PreviewKey != "" {
				checkPressCopy(t, e, l.File+" "+a.Filename, a)
			}
		}
	}

	// s45: real HEIC photos and a JPEG, orientation 6, GPS: upright
	// previews of 480×640 with no location left.
	s45 := byFile["s45"]
	for _, a := range s45.Assets {
		if a.PreviewKey == "" || a.Width != 480 || a.Height != 640 {
			t.Errorf("s45 %s: preview %q at %d×%d, want an upright 480×640", a.Filename, a.PreviewKey, a.Width, a.Height)
		}
		orig, _ := e.blobs.Get(ctx, a.OriginalKey)
		if !media.ReadMeta(orig).GPS {
			t.Errorf("s45 %s: the original lost its GPS tags; staff keep originals as sent", a.Filename)
		}
	}
	if s45.Consent != "given" || s45.Credit == "" {
		t.Errorf("s45 consent %q %q, credit %q", s45.Consent, s45.ConsentSentence, s45.Credit)
	}
	if names := storyGroupNames(s45); !strings.Contains(names, "Indivisible Austin") || !strings.Contains(names, "Austin Eastside Action") {
		t.Errorf("s45 groups = %s", names)
	}
	if s45.ActionDate == nil {
		t.Errorf("s45: no action date (the text says Saturday)")
	}
	// s17: HEIC placeholders are kept, with a note, and the story stands.
	for _, a := range byFile["s17"].Assets {
		if a.PreviewKey != "" || !strings.Contains(a.Note, "no preview") {
			t.Errorf("s17 %s: preview %q, note %q", a.Filename, a.PreviewKey, a.Note)
		}
	}
	// s22: the photo inside winmail.dat, previewed.
	if as := byFile["s22"].Assets; len(as) != 1 || as[0].Filename != "IMG_0412.JPG" || as[0].PreviewKey == "" {
		t.Errorf("s22 assets = %+v", as)
	}
	// s19: share links only.
	var services []string
	for _, l := range byFile["s19"].Links {
		services = append(services, l.Service)
	}
	if got := strings.Join(services, " "); !strings.Contains(got, "google_drive") || !strings.Contains(got, "google_photos") || !strings.Contains(got, "youtube") {
		t.Errorf("s19 links = %v", byFile["s19"].Links)
	}
	// The same photos sent again in another message: new assets, but the
	// blob store gains nothing.
	before, err := e.blobs.Count(ctx, "sha256/")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "s18_submission_gmail_three_jpegs.eml"))
	if err != nil {
		t.Fatal(err)
	}
	mid := mailin.HeaderMessageID(raw)
	_, reqID := e.deliver(t, "support@network.example.org", bytes.Replace(raw, []byte(mid), []byte("again-"+mid), 1))
	id, err := e.p.BuildStory(ctx, reqID)
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.st.Story(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Assets) != 3 || again.ID == byFile["s18"].ID {
		t.Fatalf("resent s18: story %d with %d assets", again.ID, len(again.Assets))
	}
	for i, a := range again.Assets {
		if a.OriginalKey != byFile["s18"].Assets[i].OriginalKey {
			t.Errorf("resent photo %d stored under %s, first under %s", i, a.OriginalKey, byFile["s18"].Assets[i].OriginalKey)
		}
	}
	if after, _ := e.blobs.Count(ctx, "sha256/"); after != before {
		t.Errorf("blob store grew from %d to %d objects for photos it had", before, after)
	}
	var unique = map[string]bool{}
	for _, s := range byFile {
		for _, a := range s.Assets {
			for _, k := range []string{a.OriginalKey, a.PreviewKey, a.ThumbKey} {
				if k != "" {
					unique[k] = true
				}
			}
		}
	}
	if n, err := e.blobs.Count(ctx, "sha256/"); err != nil || n != len(unique) {
		t.Errorf("blob store holds %d objects (%v), want one per distinct content: %d", n, err, len(unique))
	}
}

// checkPressCopy checks a preview: a JPEG with no EXIF, GPS or XMP, and of
// the asset's upright size (or smaller, same shape).
func checkPressCopy(t *testing.T, e *storyEnv, what string, a store.Asset) {
	t.Helper()
	data, err := e.blobs.Get(context.Background(), a.PreviewKey)
	if err != nil {
		t.Errorf("%s: preview: %v", what, err)
		return
	}
	if m := media.ReadMeta(data); m.EXIF || m.GPS || m.XMP {
		t.Errorf("%s: press copy carries metadata %+v", what, m)
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Errorf("%s: press copy is not a viewable JPEG: %v", what, err)
		return
	}
	bnd := img.Bounds()
	if (bnd.Dx() > bnd.Dy()) != (a.Width > a.Height) {
		t.Errorf("%s: press copy %d×%d, upright original %d×%d", what, bnd.Dx(), bnd.Dy(), a.Width, a.Height)
	}
}

func storyGroupNames(s store.Story) string {
	var names []string
	for _, g := range s.Groups {
		names = append(names, g.Name)
	}
	return strings.Join(names, ", ")
}

// TestConsentAnsweredInThread checks that a reply to our acknowledgement
// records the sender's answer on the story.
func TestConsentAnsweredInThread(t *testing.T) {
	e := newStoryEnv(t)
	ctx := context.Background()
	story := "From: Ana Ruiz <ana@example.com>\r\nTo: support@network.example.org\r\nSubject: Photos from our canvass\r\n" +
		"Message-ID: <story-1@example.com>\r\nDate: Mon, 19 Oct 2026 10:00:00 -0500\r\n\r\n" +
		"Hi! Indivisible Austin knocked on 300 doors on Saturday. Photos to follow.\r\n"
	_, reqID := e.deliver(t, "support@network.example.org", []byte(story))
	id, err := e.p.BuildStory(ctx, reqID)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := e.st.Story(ctx, id); s.Consent != "unknown" {
		t.Fatalf("consent before the answer = %q", s.Consent)
	}
	reply := "From: Ana Ruiz <ana@example.com>\r\nTo: support@network.example.org\r\nSubject: Re: Photos from our canvass\r\n" +
		"Message-ID: <reply-1@example.com>\r\nIn-Reply-To: <story-1@example.com>\r\nReferences: <story-1@example.com>\r\n" +
		"Date: Tue, 20 Oct 2026 10:00:00 -0500\r\n\r\nYes, go ahead and share them!\r\n\r\n> May we share your story?\r\n"
	msgID, _ := e.deliver(t, "support@network.example.org", []byte(reply))
	s, err := e.st.Story(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if s.Consent != "given" || s.ConsentMessageID == nil || *s.ConsentMessageID != msgID {
		t.Errorf("consent = %q %q from %v, want given from message %d", s.Consent, s.ConsentSentence, s.ConsentMessageID, msgID)
	}
}

// TestPressMailboxDefaultsToSubmission checks that a message to the press
// mailbox that the rules cannot place becomes a submission.
func TestPressMailboxDefaultsToSubmission(t *testing.T) {
	e := newStoryEnv(t)
	if err := e.st.SetMailboxRole(context.Background(), "press@network.example.org", store.MailboxPress); err != nil {
		t.Fatal(err)
	}
	raw := "From: Lee <lee@example.com>\r\nTo: press@network.example.org\r\nSubject: hello\r\n" +
		"Message-ID: <p-1@example.com>\r\nDate: Mon, 19 Oct 2026 10:00:00 -0500\r\n\r\nA note for you.\r\n"
	_, reqID := e.deliver(t, "press@network.example.org", []byte(raw))
	req, err := e.st.Request(context.Background(), reqID)
	if err != nil {
		t.Fatal(err)
	}
	if req.Kind != workflows.KindSubmission {
		t.Errorf("press mail classified %s, want submission", req.Kind)
	}
	raw = strings.ReplaceAll(strings.ReplaceAll(raw, "p-1@", "p-2@"), "press@", "support@")
	_, reqID = e.deliver(t, "support@network.example.org", []byte(raw))
	if req, _ := e.st.Request(context.Background(), reqID); req.Kind == workflows.KindSubmission {
		t.Errorf("support mail classified %s", req.Kind)
	}
}

// TestTooLargeAsksForShareLink checks that a message the poller kept as
// headers only becomes a request whose draft asks for a share link.
func TestTooLargeAsksForShareLink(t *testing.T) {
	e := newStoryEnv(t)
	raw := "X-Switchboard-Too-Large: 41943040; limit=26214400\r\nFrom: Kim <kim@example.com>\r\n" +
		"To: support@network.example.org\r\nSubject: Rally video\r\nMessage-ID: <big-1@example.com>\r\n\r\n"
	_, reqID := e.deliver(t, "support@network.example.org", []byte(raw))
	req, err := e.st.Request(context.Background(), reqID)
	if err != nil {
		t.Fatal(err)
	}
	if req.Status != workflows.StatusDrafted || len(req.Drafts) != 1 || req.Message.Subject != "Rally video" {
		t.Fatalf("request %s with %d drafts, subject %q", req.Status, len(req.Drafts), req.Message.Subject)
	}
	d := req.Drafts[0]
	if !strings.Contains(d.Text, "share link") || !strings.Contains(d.Text, "40.0 MB") || d.InReplyTo != "big-1@example.com" {
		t.Errorf("draft = %q (in reply to %q)", d.Text, d.InReplyTo)
	}
}

// foldName lower-cases s and keeps only its letters and digits, for
// comparing a group's name with what a message says.
func foldName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestStoryGroupsAreNamed builds the story of every corpus submission and
// checks that each directory group a story credits is one the message
// names (its name is in the text) and is in the story's state, and that
// the names the directory does not know stay as the sender wrote them
// (QA found "Park Hills Neighbors United", Park Hills MO, credited for
// "Park Hill Neighbors" in Denver, and "Conyers Votes" for "Vine City
// Votes").
func TestStoryGroupsAreNamed(t *testing.T) {
	dir, labels := testcorpus.Labels(t)
	e := newStoryEnv(t)
	ctx := context.Background()
	got := map[string]store.Story{}
	for _, l := range labels {
		if l.Category != "submission" && l.Category != "mixed" {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, l.File))
		if err != nil {
			t.Fatal(err)
		}
		_, reqID := e.deliver(t, "support@network.example.org", raw)
		id, err := e.p.BuildStory(ctx, reqID)
		if err != nil {
			continue // not a submission (s39): no story
		}
		s, err := e.st.Story(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		got[l.File[:3]] = s
		body := foldName(s.Body)
		for _, g := range s.Groups {
			if g.GroupID == 0 {
				if !strings.Contains(strings.Join(strings.Fields(s.Body), " "), g.Said) || g.Name != g.Said {
					t.Errorf("%s: unmatched name %q (said %q) is not as the sender wrote it", l.File, g.Name, g.Said)
				}
				continue
			}
			if !strings.Contains(body, foldName(g.Name)) {
				t.Errorf("%s: credits %q (group %d) for %q, a group the message does not name", l.File, g.Name, g.GroupID, g.Said)
			}
			if s.State != "" {
				var state string
				if err := e.st.DB().QueryRow(`SELECT state FROM groups WHERE id = $1`, g.GroupID).Scan(&state); err != nil || state != s.State {
					t.Errorf("%s: credits %q of %s (%v) in a story from %s", l.File, g.Name, state, err, s.State)
				}
			}
		}
	}
	for file, want := range map[string]struct{ credited, asWritten string }{
		"s17": {"Pflugerville Votes", "Cedar Park Civic Club"},
		"s18": {"Five Points Civic Huddle, Denver Metro Tenants Table", "Park Hill Neighbors"},
		"s19": {"Westside Voters Alliance, Cascade Heights Civic", "Vine City Votes"},
		"s20": {"", "Roosevelt Row Rising, Phoenix Eastside Neighbors, Garfield Block Club"},
		"s23": {"Buckman Block Talk", "Hawthorne Commons"},
		"s24": {"", "Anchorage Neighbors Rising"},
		"s43": {"", "Black Belt Votes, Dallas County Neighbors, Selma Civic Forward"},
		"s45": {"Indivisible Austin, Austin Eastside Action", ""},
	} {
		var credited, written []string
		for _, g := range got[file].Groups {
			if g.GroupID != 0 {
				credited = append(credited, g.Name)
			} else {
				written = append(written, g.Name)
			}
		}
		if c, w := strings.Join(credited, ", "), strings.Join(written, ", "); c != want.credited || w != want.asWritten {
			t.Errorf("%s: credited [%s], as written [%s]; want [%s], [%s]", file, c, w, want.credited, want.asWritten)
		}
	}
}
