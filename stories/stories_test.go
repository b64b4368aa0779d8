package stories

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchboard/internal/testcorpus"
	"switchboard/mailin"
	"switchboard/workflows"
)

func parseCorpus(t *testing.T, prefix string) *workflows.Inbound {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(testcorpus.Dir(t), prefix+"_*.eml"))
	if len(files) != 1 {
		t.Fatalf("no corpus file %s", prefix)
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	in, err := mailin.Parse(raw, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// TestFilesMatchLabels checks that every submission and mixed message yields
// as many files as labels.json counts, winmail.dat opened.
func TestFilesMatchLabels(t *testing.T) {
	dir := testcorpus.Dir(t)
	b, err := os.ReadFile(filepath.Join(dir, "labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	var labels []struct {
		File     string
		Category string
		Expected struct{ Attachments int }
	}
	if err := json.Unmarshal(b, &labels); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range labels {
		if l.Category != "submission" && l.Category != "mixed" {
			continue
		}
		n++
		raw, err := os.ReadFile(filepath.Join(dir, l.File))
		if err != nil {
			t.Fatal(err)
		}
		in, err := mailin.Parse(raw, time.Now())
		if err != nil {
			t.Fatalf("%s: %v", l.File, err)
		}
		if got := len(Files(in)); got != l.Expected.Attachments {
			t.Errorf("%s: %d files, labels say %d", l.File, got, l.Expected.Attachments)
		}
	}
	if n < 12 {
		t.Errorf("only %d submission/mixed labels read", n)
	}
}

func TestWinmailOpened(t *testing.T) {
	fs := Files(parseCorpus(t, "s22"))
	if len(fs) != 1 || fs[0].Filename != "IMG_0412.JPG" || fs[0].ContentType != "image/jpeg" || fs[0].Container != "winmail.dat" {
		t.Fatalf("files = %+v", fs)
	}
}

func TestLinks(t *testing.T) {
	want := map[string][]string{
		"s19": {"google_drive", "google_photos", "youtube"},
		"s20": {"google_drive"},
		"s23": {"dropbox", "google_photos"},
	}
	for id, services := range want {
		in := parseCorpus(t, id)
		var got []string
		for _, l := range Links(in.Text, in.HTML) {
			got = append(got, l.Service)
		}
		for _, s := range services {
			if !strings.Contains(strings.Join(got, " "), s) {
				t.Errorf("%s: services %v lack %s", id, got, s)
			}
		}
	}
	got := Links("album https://www.icloud.com/sharedalbum/#B0aGWZuqDGGLVz and https://youtu.be/abc123. Also https://example.org/x", "")
	if len(got) != 2 || got[0].Service != "icloud" || got[1].URL != "https://youtu.be/abc123" {
		t.Errorf("links = %+v", got)
	}
}

func TestConsentAndCredit(t *testing.T) {
	in := parseCorpus(t, "s45")
	c := FindConsent(StoryText(in.Text))
	if c.State != ConsentGiven || !strings.Contains(c.Sentence, "share") {
		t.Errorf("s45 consent = %+v", c)
	}
	if cr := FindCredit(in.Text); cr != "Indivisible Austin & Austin Eastside Action" {
		t.Errorf("s45 credit = %q", cr)
	}
	if c := FindConsent("Photos attached. Please don't share the one with the kids."); c.State != ConsentRefused {
		t.Errorf("refusal read as %+v", c)
	}
	for reply, want := range map[string]string{
		"Yes, go ahead!\n\nOn Mon, Support wrote:\n> May we share your photos?": ConsentGiven,
		"No thanks, keep them internal.\n> May we share?":                       ConsentRefused,
		"You can publish them, credit Ana.":                                     ConsentGiven,
		"What time is the training?":                                            ConsentUnknown,
	} {
		if got := ConsentAnswer(reply); got.State != want {
			t.Errorf("ConsentAnswer(%q) = %+v, want %s", reply, got, want)
		}
	}
}

func TestStoryTextTrims(t *testing.T) {
	text := "We marched.\nIt was great.\n\n-- \nDana\nPhoenix AZ-03\n"
	if got := StoryText(text); got != "We marched.\nIt was great." {
		t.Errorf("signature kept: %q", got)
	}
	text = "Thanks!\n\nOn Tue, Oct 21, 2025 at 9:00 AM Support <s@x> wrote:\n> old text\n"
	if got := StoryText(text); got != "Thanks!" {
		t.Errorf("quote kept: %q", got)
	}
	in := parseCorpus(t, "s17")
	if got := StoryText(in.Text); strings.Contains(got, "Sent from my iPhone") || got == "" {
		t.Errorf("s17 story = %q", got)
	}
}

func TestActionDate(t *testing.T) {
	sent := time.Date(2026, 10, 19, 9, 14, 0, 0, time.UTC) // a Monday
	for text, want := range map[string]string{
		"on Saturday at the market": "2026-10-17",
		"the rally on October 11th": "2026-10-11",
		"last 10/4 we canvassed":    "2026-10-04",
		"yesterday's town hall":     "2026-10-18",
		"in December we will march": "",
	} {
		d, _, ok := ActionDate(text, sent)
		got := ""
		if ok {
			got = d.Format(time.DateOnly)
		}
		if got != want {
			t.Errorf("ActionDate(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestGroupMentions(t *testing.T) {
	in := parseCorpus(t, "s45")
	got := strings.Join(GroupMentions(in.Text), "|")
	for _, g := range []string{"Indivisible Austin", "Austin Eastside Action"} {
		if !strings.Contains(got, g) {
			t.Errorf("mentions %q lack %q", got, g)
		}
	}
}

// TestFindConsentKinds checks consent by kind of sentence, with refusals,
// conditions and questions that must not read as permission.
func TestFindConsentKinds(t *testing.T) {
	for text, want := range map[string]string{
		// a right the sender holds
		"Photos are ours to share, everyone in them said OK.": ConsentGiven,
		"They're yours to use.":                               ConsentGiven,
		"All photos are free to use.":                         ConsentGiven,
		"These are cleared for publication.":                  ConsentGiven,
		// a permission
		"You can share them.":                         ConsentGiven,
		"Feel free to publish in the newsletter.":     ConsentGiven,
		"It's OK to post these on social media.":      ConsentGiven,
		"You have permission to use any of it.":       ConsentGiven,
		"We give you our permission for the flyer.":   ConsentGiven,
		"Happy for you to use them however you like.": ConsentGiven,
		// an instruction
		"Share away!":                       ConsentGiven,
		"Please share them with the press.": ConsentGiven,
		"Use them however you want.":        ConsentGiven,
		"Use these as you see fit.":         ConsentGiven,
		// the people in them agreed
		"Everyone agreed to be photographed.":        ConsentGiven,
		"Everybody pictured in the photos said yes.": ConsentGiven,
		"All the people in them were fine with it.":  ConsentGiven,
		// refusals and conditions
		"Please don't share these yet.":                      ConsentRefused,
		"Do not post the one with the kids.":                 ConsentRefused,
		"Ask before sharing, some of us are not out.":        ConsentRefused,
		"Please check with me before publishing.":            ConsentRefused,
		"Not for publication, just for you.":                 ConsentRefused,
		"You can share them. Please don't use the last one.": ConsentRefused,
		"Keep them private please.":                          ConsentRefused,
		// questions ask, they neither give nor refuse
		"Is it OK to share these?":                     ConsentUnknown,
		"Can you share them with the other groups?":    ConsentUnknown,
		"Should we ask everyone before you post them?": ConsentUnknown,
		// neither
		"I'll share them with my group later.": ConsentUnknown,
		"We used the park pavilion.":           ConsentUnknown,
		"Here are the photos from Saturday.":   ConsentUnknown,
	} {
		if got := FindConsent(text); got.State != want {
			t.Errorf("FindConsent(%q) = %+v, want %s", text, got, want)
		}
	}
}
