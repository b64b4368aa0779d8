package jobs_test

import (
	"strings"
	"testing"

	"switchboard/internal/testcorpus"
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
		"s19":        {func(t *testing.T) []byte { return testcorpus.File(t, "s19") }, "Vine City Votes"},
		"s45":        {func(t *testing.T) []byte { return testcorpus.File(t, "s45") }, "Indivisible Austin & Austin Eastside Action"},
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
