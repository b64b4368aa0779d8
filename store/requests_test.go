package store

import (
	"context"
	"errors"
	"testing"

	"switchboard/workflows"
)

// newRequest stores one message and a drafted request with two drafts.
func newRequest(t *testing.T, s *Store, mid string) (requestID, messageID int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.SaveFetched(ctx, RawMessage{Mailbox: "support@example.org", UIDValidity: 1, UID: uint32(len(mid)),
		MessageID: mid, Raw: []byte("Subject: hi\r\n\r\nplease\r\n")}); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Get(&messageID, `SELECT id FROM messages WHERE message_id = $1`, mid); err != nil {
		t.Fatal(err)
	}
	in := &workflows.Inbound{From: workflows.Address{Name: "Ann", Address: "ann@example.net"}, MessageID: mid,
		Subject: "Groups near Austin?", Text: "please",
		Attachments: []workflows.Attachment{{Filename: "photo.jpg", ContentType: "image/jpeg", Data: []byte("jpeg"), Sent: true}}}
	if err := s.SaveParsed(ctx, messageID, in, nil); err != nil {
		t.Fatal(err)
	}
	nr := NewRequest{
		MessageID: messageID,
		Classification: workflows.Classification{Kind: workflows.KindListRequest,
			Kinds: []workflows.Kind{workflows.KindListRequest}, Confidence: 0.9,
			Fields: workflows.Fields{City: "Austin", State: "TX"}},
		Status: workflows.StatusDrafted,
		Drafts: []NewDraft{
			{Kind: workflows.DraftListReply, To: []workflows.Address{{Address: "ann@example.net"}}, Subject: "Re: Groups",
				Text: "Here they are", InReplyTo: mid, References: []string{mid}},
			{Kind: workflows.DraftAcknowledgement, To: []workflows.Address{{Address: "ann@example.net"}}, Subject: "Thanks",
				Text: "Thank you"},
		},
	}
	id, err := s.CreateRequest(ctx, nr)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.CreateRequest(ctx, nr)
	if err != nil || again != id {
		t.Fatalf("second CreateRequest = %d, %v; want %d", again, err, id)
	}
	return id, messageID
}

func TestCreateRequestAndDetail(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	id, _ := newRequest(t, s, "req1@example.net")
	if n := countRows(t, s, `SELECT count(*) FROM drafts`); n != 2 {
		t.Errorf("drafts = %d, want 2 (idempotent create)", n)
	}
	if n := countRows(t, s, `SELECT count(*) FROM audit_log WHERE action = 'request.create'`); n != 1 {
		t.Errorf("audit rows = %d, want 1", n)
	}
	d, err := s.Request(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Fields.City != "Austin" || d.RequesterEmail != "ann@example.net" || d.Message.Subject != "Groups near Austin?" ||
		len(d.Drafts) != 2 || len(d.Attachments) != 1 || d.Attachments[0].Size != 4 || d.ThreadRoot != "req1@example.net" {
		t.Errorf("detail = %+v", d)
	}
	list, err := s.Requests(ctx, RequestFilter{Status: workflows.StatusDrafted})
	if err != nil || len(list) != 1 || list[0].ID != id || list[0].From != "ann@example.net" {
		t.Errorf("Requests = %+v, %v", list, err)
	}
	if list, _ := s.Requests(ctx, RequestFilter{Kind: workflows.KindBounce}); len(list) != 0 {
		t.Errorf("Requests(bounce) = %+v, want none", list)
	}
	if _, err := s.Request(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Request(999) error = %v, want ErrNotFound", err)
	}
	known, err := s.KnownMessageIDs(ctx, []string{"req1@example.net", "nope@x"})
	if err != nil || len(known) != 1 || known[0] != "req1@example.net" {
		t.Errorf("KnownMessageIDs = %v, %v", known, err)
	}
}

func TestApprove(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	id, _ := newRequest(t, s, "req2@example.net")
	if err := s.Approve(ctx, id, "staff@example.org"); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s, `SELECT count(*) FROM drafts WHERE status = 'approved' AND approved_by = 'staff@example.org'
		AND approved_at IS NOT NULL AND length(content_sha256) = 64`); n != 2 {
		t.Errorf("approved drafts = %d, want 2", n)
	}
	if n := countRows(t, s, `SELECT count(*) FROM river_job j JOIN drafts d ON d.id = (j.args->>'draft_id')::bigint
		WHERE j.kind = 'send'`); n != 2 {
		t.Errorf("send jobs = %d, want 2", n)
	}
	if n := countRows(t, s, `SELECT count(*) FROM audit_log WHERE action = 'request.approve'`); n != 1 {
		t.Errorf("approve audit rows = %d, want 1", n)
	}
	if err := s.Approve(ctx, id, "staff@example.org"); !errors.Is(err, ErrConflict) {
		t.Errorf("second Approve error = %v, want ErrConflict", err)
	}
	if n := countRows(t, s, `SELECT count(*) FROM river_job WHERE kind = 'send'`); n != 2 {
		t.Errorf("send jobs after second approve = %d, want 2", n)
	}
	if err := s.Reject(ctx, id, "staff@example.org", "too late"); !errors.Is(err, ErrConflict) {
		t.Errorf("Reject after approve error = %v, want ErrConflict", err)
	}
	if err := s.Approve(ctx, 999, "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Approve(999) error = %v, want ErrNotFound", err)
	}
}

func TestReject(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	id, _ := newRequest(t, s, "req3@example.net")
	if err := s.Reject(ctx, id, "staff@example.org", "spam"); err != nil {
		t.Fatal(err)
	}
	d, _ := s.Request(ctx, id)
	if d.Status != workflows.StatusRejected || d.Drafts[0].Status != workflows.DraftRejected {
		t.Errorf("after reject: request %s, draft %s", d.Status, d.Drafts[0].Status)
	}
	if err := s.Approve(ctx, id, "staff@example.org"); !errors.Is(err, ErrConflict) {
		t.Errorf("Approve after reject error = %v, want ErrConflict", err)
	}
}

func TestSendTransitions(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	id, _ := newRequest(t, s, "req4@example.net")
	// Not approved yet: cannot be claimed.
	d0, _ := s.Request(ctx, id)
	a, b := d0.Drafts[0].ID, d0.Drafts[1].ID
	if _, err := s.ClaimDraftForSend(ctx, a, "out1@example.org"); !errors.Is(err, ErrConflict) {
		t.Fatalf("claim before approval error = %v, want ErrConflict", err)
	}
	if err := s.Approve(ctx, id, "staff@example.org"); err != nil {
		t.Fatal(err)
	}

	// Draft a: claimed, fails once (retryable), claimed again keeping its
	// Message-ID, then sent.
	d, err := s.ClaimDraftForSend(ctx, a, "out1@example.org")
	if err != nil || d.Status != workflows.DraftSending || d.Attempts != 1 || d.SMTPMessageID != "out1@example.org" {
		t.Fatalf("claim = %+v, %v", d, err)
	}
	if err := s.MarkDraftFailed(ctx, a, errors.New("connection refused"), false); err != nil {
		t.Fatal(err)
	}
	d, err = s.ClaimDraftForSend(ctx, a, "out2@example.org")
	if err != nil || d.Attempts != 2 || d.SMTPMessageID != "out1@example.org" {
		t.Fatalf("second claim = %+v, %v", d, err)
	}
	if err := s.MarkDraftSent(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimDraftForSend(ctx, a, "out3@example.org"); !errors.Is(err, ErrAlreadySent) {
		t.Errorf("claim of sent draft error = %v, want ErrAlreadySent", err)
	}
	if r, _ := s.Request(ctx, id); r.Status != workflows.StatusSending {
		t.Errorf("request with one of two sent = %s, want sending", r.Status)
	}

	// Draft b: claimed, then the process dies; the retry finds it sending.
	if _, err := s.ClaimDraftForSend(ctx, b, "out4@example.org"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClaimDraftForSend(ctx, b, "out5@example.org"); !errors.Is(err, ErrSendUnknown) {
		t.Fatalf("claim of sending draft error = %v, want ErrSendUnknown", err)
	}
	if _, err := s.ClaimDraftForSend(ctx, b, "out6@example.org"); !errors.Is(err, ErrSendUnknown) {
		t.Fatalf("claim of unknown draft error = %v, want ErrSendUnknown", err)
	}
	r, _ := s.Request(ctx, id)
	if r.Drafts[1].Status != workflows.DraftUnknown || r.Status != workflows.StatusFailed {
		t.Errorf("after crash: draft %s, request %s; want unknown, failed", r.Drafts[1].Status, r.Status)
	}
	// A person confirms it went out.
	if err := s.MarkDraftSent(ctx, b); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Request(ctx, id); r.Status != workflows.StatusSent {
		t.Errorf("request with all sent = %s, want sent", r.Status)
	}
	known, _ := s.KnownMessageIDs(ctx, []string{"out1@example.org", "out4@example.org", "out2@example.org"})
	if len(known) != 2 {
		t.Errorf("KnownMessageIDs of sent drafts = %v, want out1 and out4", known)
	}
}

func TestSendFinalFailure(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	id, _ := newRequest(t, s, "req5@example.net")
	if err := s.Approve(ctx, id, "staff@example.org"); err != nil {
		t.Fatal(err)
	}
	d0, _ := s.Request(ctx, id)
	a := d0.Drafts[0].ID
	if _, err := s.ClaimDraftForSend(ctx, a, "f1@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkDraftFailed(ctx, a, errors.New("550 no such user"), true); err != nil {
		t.Fatal(err)
	}
	r, _ := s.Request(ctx, id)
	if r.Drafts[0].Status != workflows.DraftFailed || r.Drafts[0].LastError != "550 no such user" || r.Status != workflows.StatusFailed {
		t.Errorf("after final failure: draft %s %q, request %s", r.Drafts[0].Status, r.Drafts[0].LastError, r.Status)
	}
}

func TestClaimRefusesEditedDraft(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	id, _ := newRequest(t, s, "req6@example.net")
	if err := s.Approve(ctx, id, "staff@example.org"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE drafts SET text_body = 'changed' WHERE request_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	d0, _ := s.Request(ctx, id)
	if _, err := s.ClaimDraftForSend(ctx, d0.Drafts[0].ID, "e1@example.org"); !errors.Is(err, ErrConflict) {
		t.Errorf("claim of edited draft error = %v, want ErrConflict", err)
	}
}
