package jobs_test

import (
	"strings"
	"testing"
	"time"

	"switchboard/internal/testcorpus"
	"switchboard/mailin"
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

// ackOf processes raw and returns its acknowledgement draft.
func ackOf(t *testing.T, h *harness, raw []byte) workflows.Draft {
	t.Helper()
	d := h.process(t, raw)
	for _, x := range d.Drafts {
		if x.Kind == workflows.DraftAcknowledgement {
			return x.Mail()
		}
	}
	t.Fatalf("no acknowledgement among %d drafts", len(d.Drafts))
	return workflows.Draft{}
}

// TestAcknowledgementReadsConsentByKind checks corpus s18 ("Photos are ours
// to share, everyone in them said OK."): the thank-you does not ask for
// the permission given.
func TestAcknowledgementReadsConsentByKind(t *testing.T) {
	ack := ackOf(t, newHarness(t), testcorpus.File(t, "s18"))
	if strings.Contains(ack.Text, "your permission to publish") {
		t.Errorf("the acknowledgement asks for the permission s18 gave:\n%s", ack.Text)
	}
	if !strings.Contains(ack.Text, "the credit line you would like") {
		t.Errorf("s18 gave no credit line, but the acknowledgement does not ask for one:\n%s", ack.Text)
	}
}

// TestAcknowledgementAsksAgainForIncompleteFile checks corpus s43, whose
// second photo was cut off in transit: the thank-you names that file and
// asks for it again, and names no file that arrived whole.
func TestAcknowledgementAsksAgainForIncompleteFile(t *testing.T) {
	raw := testcorpus.File(t, "s43")
	in, err := mailin.Parse(raw, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var whole, cut []string
	for _, a := range in.Attachments {
		if a.Sent && a.Damaged() {
			cut = append(cut, a.Filename)
		} else if a.Sent {
			whole = append(whole, a.Filename)
		}
	}
	if len(cut) != 1 || len(whole) != 1 {
		t.Fatalf("s43: whole %v, cut %v; want one of each", whole, cut)
	}
	ack := ackOf(t, newHarness(t), raw)
	for _, body := range []string{ack.Text, ack.HTML} {
		if !strings.Contains(body, cut[0]) || !strings.Contains(body, "incomplete") || !strings.Contains(body, "send it again") {
			t.Errorf("the acknowledgement does not name %q as incomplete and ask for it again:\n%s", cut[0], body)
		}
		if strings.Contains(body, whole[0]) {
			t.Errorf("the acknowledgement names %q, which arrived whole:\n%s", whole[0], body)
		}
	}
	// A story whose files all arrived says nothing of the kind.
	if ack := ackOf(t, newHarness(t), testcorpus.File(t, "s45")); strings.Contains(ack.Text, "incomplete") {
		t.Errorf("s45 acknowledgement speaks of incomplete files:\n%s", ack.Text)
	}
}
