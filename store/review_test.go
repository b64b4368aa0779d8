package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"switchboard/workflows"
)

// reviewFixture stores a message in mailbox with subject, sender and body,
// and a drafted request of kind with one reply draft; it returns the
// request id.
func reviewFixture(t *testing.T, s *Store, mailbox string, uid uint32, kind workflows.Kind, from, subject, body string) int64 {
	t.Helper()
	ctx := context.Background()
	mid := fmt.Sprintf("review-%d@example.net", uid)
	raw := fmt.Sprintf("From: %s\r\nSubject: %s\r\nMessage-ID: <%s>\r\n\r\n%s\r\n", from, subject, mid, body)
	if _, err := s.SaveFetched(ctx, RawMessage{Mailbox: mailbox, UIDValidity: 1, UID: uid, MessageID: mid, Raw: []byte(raw)}); err != nil {
		t.Fatal(err)
	}
	var messageID int64
	if err := s.db.Get(&messageID, `SELECT id FROM messages WHERE message_id = $1`, mid); err != nil {
		t.Fatal(err)
	}
	in := &workflows.Inbound{From: workflows.Address{Address: from}, MessageID: mid, Subject: subject, Text: body}
	if err := s.SaveParsed(ctx, messageID, in, nil); err != nil {
		t.Fatal(err)
	}
	id, err := s.CreateRequest(ctx, NewRequest{MessageID: messageID,
		Classification: workflows.Classification{Kind: kind, Kinds: []workflows.Kind{kind}, Confidence: 0.9},
		Status:         workflows.StatusDrafted,
		Drafts: []NewDraft{{Kind: workflows.DraftListReply, To: []workflows.Address{{Address: from}},
			Subject: "Re: " + subject, Text: "Here they are", InReplyTo: mid, References: []string{mid}}}})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestEditDraft(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	id := reviewFixture(t, s, "support@example.org", 1, workflows.KindListRequest, "ann@example.net", "Groups near Austin?", "please")
	r, _ := s.Request(ctx, id)
	draftID := r.Drafts[0].ID
	if err := s.EditDraft(ctx, draftID, "Re: Austin groups", "Here are the groups in Austin.", "<p>Here</p>", "Sam"); err != nil {
		t.Fatal(err)
	}
	d, err := s.Draft(ctx, draftID)
	if err != nil || d.Subject != "Re: Austin groups" || d.Text != "Here are the groups in Austin." || d.HTML != "<p>Here</p>" {
		t.Fatalf("after edit: %+v, %v", d, err)
	}
	audit, _ := s.RequestAudit(ctx, id)
	last := audit[len(audit)-1]
	if last.Action != "draft.edit" || last.Actor != "Sam" || last.SubjectID != draftID ||
		!strings.Contains(last.Before, "Here they are") || !strings.Contains(last.After, "groups in Austin") {
		t.Errorf("audit row %+v", last)
	}
	// The approval hashes the edited content, and an approved draft is
	// not editable any more.
	if err := s.Approve(ctx, id, "Sam"); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Draft(ctx, draftID); d.ContentSHA256 == "" {
		t.Errorf("approved draft has no content hash")
	}
	if err := s.EditDraft(ctx, draftID, "x", "y", "", "Sam"); !errors.Is(err, ErrConflict) {
		t.Errorf("edit of an approved draft: %v, want ErrConflict", err)
	}
	if err := s.EditDraft(ctx, 999999, "x", "y", "", "Sam"); !errors.Is(err, ErrNotFound) {
		t.Errorf("edit of a missing draft: %v, want ErrNotFound", err)
	}
}

func TestRetrySend(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	id := reviewFixture(t, s, "support@example.org", 1, workflows.KindListRequest, "ann@example.net", "Groups near Austin?", "please")
	r, _ := s.Request(ctx, id)
	draftID := r.Drafts[0].ID
	if err := s.RetrySend(ctx, draftID, "Sam"); !errors.Is(err, ErrConflict) {
		t.Errorf("retry of a draft awaiting approval: %v, want ErrConflict", err)
	}
	if err := s.Approve(ctx, id, "Sam"); err != nil {
		t.Fatal(err)
	}
	// Really failed: claimed for sending, then a permanent SMTP error.
	if _, err := s.ClaimDraftForSend(ctx, draftID, "try1@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkDraftFailed(ctx, draftID, errors.New("554 relay refused"), true); err != nil {
		t.Fatal(err)
	}
	failed, err := s.FailedDrafts(ctx, 10)
	if err != nil || len(failed) != 1 || failed[0].DraftID != draftID || failed[0].LastError != "554 relay refused" {
		t.Fatalf("failed drafts = %+v, %v", failed, err)
	}
	jobs := func() int {
		return countRows(t, s, fmt.Sprintf(`SELECT count(*) FROM river_job WHERE kind = 'send' AND (args->>'draft_id')::bigint = %d`, draftID))
	}
	before := jobs()
	if err := s.RetrySend(ctx, draftID, "Sam"); err != nil {
		t.Fatal(err)
	}
	d, _ := s.Draft(ctx, draftID)
	if d.Status != workflows.DraftApproved || d.LastError != "" || d.ApprovedBy != "Sam" || d.ContentSHA256 == "" {
		t.Errorf("after retry: %+v", d)
	}
	if r, _ := s.Request(ctx, id); r.Status != workflows.StatusApproved {
		t.Errorf("request after retry is %s, want approved", r.Status)
	}
	if got := jobs(); got != before+1 {
		t.Errorf("send jobs %d → %d, want one more", before, got)
	}
	if failed, _ := s.FailedDrafts(ctx, 10); len(failed) != 0 {
		t.Errorf("still failed: %+v", failed)
	}
	audit, _ := s.RequestAudit(ctx, id)
	if last := audit[len(audit)-1]; last.Action != "draft.retry" || !strings.Contains(last.Before, "554 relay refused") {
		t.Errorf("audit row %+v", last)
	}
	// The same content is sent, keeping its Message-ID; a second retry
	// while approved is refused.
	c, err := s.ClaimDraftForSend(ctx, draftID, "try2@example.org")
	if err != nil || c.SMTPMessageID != "try1@example.org" {
		t.Errorf("claim after retry = %+v, %v", c, err)
	}
	if err := s.RetrySend(ctx, draftID, "Sam"); !errors.Is(err, ErrConflict) {
		t.Errorf("retry of a sending draft: %v, want ErrConflict", err)
	}
}

func TestReclassify(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	id := reviewFixture(t, s, "support@example.org", 1, workflows.KindListRequest, "ann@example.net", "Photos from our rally", "a story")
	old, _ := s.Request(ctx, id)
	rc := Reclassification{RequestID: id, By: "Sam", Status: workflows.StatusDrafted,
		Classification: workflows.Classification{Kind: workflows.KindSubmission, Kinds: []workflows.Kind{workflows.KindSubmission},
			Confidence: 1, Reasons: []string{"a person said so"}},
		Drafts: []NewDraft{{Kind: workflows.DraftAcknowledgement, To: []workflows.Address{{Address: "ann@example.net"}},
			Subject: "Thank you", Text: "Thank you for your story"}}}
	if err := s.Reclassify(ctx, rc); err != nil {
		t.Fatal(err)
	}
	r, _ := s.Request(ctx, id)
	if r.Kind != workflows.KindSubmission || r.Status != workflows.StatusDrafted || r.ClassifiedBy != "person:Sam" {
		t.Errorf("after reclassify: kind %s, status %s, by %s", r.Kind, r.Status, r.ClassifiedBy)
	}
	if len(r.Drafts) != 2 || r.Drafts[0].ID != old.Drafts[0].ID || r.Drafts[0].Status != workflows.DraftRejected ||
		r.Drafts[1].Status != workflows.DraftAwaiting || r.Drafts[1].Subject != "Thank you" {
		t.Errorf("drafts after reclassify: %+v", r.Drafts)
	}
	if n := countRows(t, s, fmt.Sprintf(`SELECT count(*) FROM classifier_examples WHERE request_id = %d
		AND old_kind = 'list_request' AND new_kind = 'submission' AND labelled_by = 'Sam'`, id)); n != 1 {
		t.Errorf("classifier examples: %d, want 1", n)
	}
	audit, _ := s.RequestAudit(ctx, id)
	if last := audit[len(audit)-1]; last.Action != "request.reclassify" || !strings.Contains(last.After, "submission") {
		t.Errorf("audit row %+v", last)
	}
	if err := s.Reject(ctx, id, "Sam", "duplicate"); err != nil {
		t.Fatal(err)
	}
	if err := s.Reclassify(ctx, rc); !errors.Is(err, ErrConflict) {
		t.Errorf("reclassify of a rejected request: %v, want ErrConflict", err)
	}
	rc.Classification.Kind = "nonsense"
	if err := s.Reclassify(ctx, rc); err == nil {
		t.Errorf("reclassify to an unknown kind succeeded")
	}
}

func TestQueueSearch(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	const support, press = "support@example.org", "press@example.org"
	if err := s.SetMailboxRole(ctx, press, MailboxPress); err != nil {
		t.Fatal(err)
	}
	austin := reviewFixture(t, s, support, 1, workflows.KindListRequest, "ann@example.net", "Groups near Austin?", "We canvass every weekend.")
	dallas := reviewFixture(t, s, support, 2, workflows.KindListRequest, "bo@example.net", "Groups in Dallas", "Looking for a phone bank.")
	rally := reviewFixture(t, s, press, 3, workflows.KindSubmission, "cy@example.net", "Rally photos", "Our canvass in Austin went well.")
	if err := s.Reject(ctx, dallas, "Sam", "spam"); err != nil {
		t.Fatal(err)
	}
	ids := func(f QueueFilter) []int64 {
		t.Helper()
		items, err := s.Queue(ctx, f)
		if err != nil {
			t.Fatalf("queue %+v: %v", f, err)
		}
		var out []int64
		for _, it := range items {
			out = append(out, it.ID)
		}
		return out
	}
	cases := []struct {
		name string
		f    QueueFilter
		want []int64
	}{
		{"all, newest first", QueueFilter{}, []int64{rally, dallas, austin}},
		{"word in body or subject (stemmed)", QueueFilter{Query: "canvassing"}, []int64{rally, austin}},
		{"phrase", QueueFilter{Query: `"phone bank"`}, []int64{dallas}},
		{"word and not", QueueFilter{Query: "austin -rally"}, []int64{austin}},
		{"or", QueueFilter{Query: "dallas or rally"}, []int64{rally, dallas}},
		{"sender address", QueueFilter{Query: "bo@example.net"}, []int64{dallas}},
		{"status", QueueFilter{Status: workflows.StatusRejected}, []int64{dallas}},
		{"kind", QueueFilter{Kind: workflows.KindSubmission}, []int64{rally}},
		{"one mailbox", QueueFilter{Mailbox: press}, []int64{rally}},
		{"several mailboxes", QueueFilter{Mailboxes: []string{support, press}}, []int64{rally, dallas, austin}},
		{"mailboxes and query", QueueFilter{Mailboxes: []string{support}, Query: "austin"}, []int64{austin}},
		{"unknown mailbox", QueueFilter{Mailboxes: []string{"nobody@example.org"}}, nil},
		{"page before", QueueFilter{BeforeID: rally}, []int64{dallas, austin}},
		{"limit", QueueFilter{Limit: 1}, []int64{rally}},
		{"nothing matches", QueueFilter{Query: "zeppelin"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids(tc.f); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	items, _ := s.Queue(ctx, QueueFilter{Query: "rally"})
	if len(items) != 1 || items[0].Mailbox != press {
		t.Errorf("queue item mailbox: %+v", items)
	}
}

func TestAcceptTOTPStep(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	id, err := s.CreateUser(ctx, "ada@example.org", "Ada", "hash", RoleAdmin, "test")
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.CreateUser(ctx, "bob@example.org", "Bob", "hash", RoleStaff, "test")
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		user int64
		step int64
		want bool
	}{
		{id, 59000000, true},      // first code
		{id, 59000000, false},     // the same code again
		{id, 58999999, false},     // an earlier step
		{other, 59000000, true},   // another user, same step
		{id, 59000001, true},      // the next step
		{id, 59000001, false},     // … once
		{999999, 59000002, false}, // no such user
	}
	for i, st := range steps {
		got, err := s.AcceptTOTPStep(ctx, st.user, st.step)
		if err != nil || got != st.want {
			t.Errorf("%d: AcceptTOTPStep(%d, %d) = %v, %v; want %v", i, st.user, st.step, got, err, st.want)
		}
	}
}
