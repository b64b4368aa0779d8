package jobs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchboard/workflows"
)

// TestAcknowledgementUsesWhatTheSenderGave checks that the thank-you for a
// story asks for neither the permission nor the credit line the sender
// already gave, as package stories reads them (corpus s19 says "You have
// permission to use any of it. Photo credit "Vine City Votes"", which the
// acknowledgement's own patterns missed).
func TestAcknowledgementUsesWhatTheSenderGave(t *testing.T) {
	h := newHarness(t)
	cases := map[string]struct {
		raw    func(t *testing.T) []byte
		credit string
	}{
		"demo story": {func(t *testing.T) []byte { return demoMail(t, "04_story_photo.eml") }, "Madison Rising"},
		"s19":        {func(t *testing.T) []byte { return corpusMail(t, "s19") }, "Vine City Votes"},
		"s45":        {func(t *testing.T) []byte { return corpusMail(t, "s45") }, "Indivisible Austin & Austin Eastside Action"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			d := h.process(t, c.raw(t))
			var ack *workflows.Draft
			for _, x := range d.Drafts {
				if x.Kind == workflows.DraftAcknowledgement {
					m := x.Mail()
					ack = &m
				}
			}
			if ack == nil {
				t.Fatalf("no acknowledgement among %d drafts", len(d.Drafts))
			}
			if strings.Contains(ack.Text, "your permission to publish") || strings.Contains(ack.Text, "the credit line you would like") {
				t.Errorf("the acknowledgement asks for what was given:\n%s", ack.Text)
			}
			if !strings.Contains(ack.Text, `credited to "`+c.credit+`"`) {
				t.Errorf("the acknowledgement does not confirm the credit %q:\n%s", c.credit, ack.Text)
			}
		})
	}
}

// corpusMail reads the corpus message whose name starts with prefix_.
func corpusMail(t *testing.T, prefix string) []byte {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(corpusDir(t), prefix+"_*.eml"))
	if len(files) != 1 {
		t.Fatalf("no corpus file %s", prefix)
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
