package jobs_test

import (
	"slices"
	"strings"
	"testing"

	"switchboard/workflows"
)

// TestAnswerToPlaceQuestion checks the whole round: a bare "Springfield"
// gets a question; once it is sent, the leader's threaded answer naming the
// state becomes a drafted list reply for Springfield, MO on the answer's own
// request, threaded to it; an answer that names no place stays for triage.
func TestAnswerToPlaceQuestion(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	ask := h.process(t, []byte("From: Ana Leader <ana@example.net>\r\nTo: support@network.example.org\r\n"+
		"Subject: Groups\r\nMessage-ID: <ask-1@example.net>\r\nDate: Mon, 2 Mar 2026 10:00:00 -0500\r\n\r\n"+
		"Hi, can you send me a list of all the groups in Springfield?\r\n\r\nThanks,\r\nAna\r\n"))
	if ask.Status != workflows.StatusDrafted || len(ask.Drafts) != 1 || ask.Drafts[0].Kind != workflows.DraftQuestion {
		t.Fatalf("the ask: %s with %d drafts, want one question", ask.Status, len(ask.Drafts))
	}
	q := ask.Drafts[0]
	if err := h.st.Approve(ctx, ask.ID, "staff"); err != nil {
		t.Fatal(err)
	}
	const sentID = "question-1@network.example.org"
	if _, err := h.st.ClaimDraftForSend(ctx, q.ID, sentID); err != nil {
		t.Fatal(err)
	}
	if err := h.st.MarkDraftSent(ctx, q.ID); err != nil {
		t.Fatal(err)
	}

	answer := func(id, text string) []byte {
		return []byte("From: Ana Leader <ana@example.net>\r\nTo: support@network.example.org\r\n" +
			"Subject: Re: Which Springfield did you mean?\r\nMessage-ID: <" + id + ">\r\n" +
			"In-Reply-To: <" + sentID + ">\r\nReferences: <ask-1@example.net> <" + sentID + ">\r\n" +
			"Date: Mon, 2 Mar 2026 12:00:00 -0500\r\n\r\n" + text +
			"\r\n\r\nOn Mon, Mar 2, 2026 at 11:00 AM Support Team <support@network.example.org> wrote:\r\n" +
			"> * Springfield, MO: 3 groups\r\n> * Springfield, IL: 1 group\r\n> * also: Springfield in 15 other states\r\n")
	}
	got := h.process(t, answer("answer-1@example.net", "Springfield, Missouri please!"))
	if got.Kind != workflows.KindListRequest || got.Status != workflows.StatusDrafted || len(got.Drafts) != 1 {
		t.Fatalf("the answer: %s, %s with %d drafts (%v), want a drafted list request", got.Kind, got.Status, len(got.Drafts), got.Reasons)
	}
	if got.Fields.City != "Springfield" || got.Fields.State != "MO" || len(got.Fields.Candidates) != 0 {
		t.Errorf("fields %+v, want Springfield, MO", got.Fields)
	}
	d := got.Drafts[0]
	if d.Kind != workflows.DraftListReply || d.InReplyTo != "answer-1@example.net" || len(d.To) != 1 || d.To[0].Address != "ana@example.net" {
		t.Errorf("draft %s to %v in reply to %q, want a list reply to ana@ threaded to her answer", d.Kind, d.To, d.InReplyTo)
	}
	groups, err := h.st.GroupsInCity(ctx, "Springfield", "MO")
	if err != nil || len(groups) == 0 {
		t.Fatalf("Springfield, MO groups: %d, %v", len(groups), err)
	}
	var want []int64
	for _, g := range groups {
		want = append(want, g.ID)
	}
	slices.Sort(want)
	if ids := slices.Sorted(slices.Values(d.GroupIDs)); !slices.Equal(ids, want) {
		t.Errorf("groups %v, want Springfield, MO's %v", ids, want)
	}
	if !strings.Contains(d.Text, "in Springfield, MO") || strings.Contains(d.Text, "Springfield, IL") {
		t.Errorf("reply text:\n%s", d.Text)
	}
	if !slices.ContainsFunc(got.Reasons, func(r string) bool { return strings.Contains(r, "answers our question") }) {
		t.Errorf("reasons %v do not say it answers the question", got.Reasons)
	}

	unclear := h.process(t, answer("answer-2@example.net", "The big one, I think?"))
	if unclear.Kind != workflows.KindFollowup || unclear.Status != workflows.StatusNeedsTriage || len(unclear.Drafts) != 0 {
		t.Errorf("an unclear answer: %s, %s with %d drafts, want a follow-up for triage", unclear.Kind, unclear.Status, len(unclear.Drafts))
	}
	if !slices.ContainsFunc(unclear.Reasons, func(r string) bool { return strings.Contains(r, "names no state or ZIP") }) {
		t.Errorf("reasons %v do not say why", unclear.Reasons)
	}
}
