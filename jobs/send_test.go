package jobs_test

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"switchboard/store"
	"switchboard/workflows"
)

// drafted processes a demo list request and returns its request and its one
// draft, awaiting approval.
func drafted(t *testing.T, h *harness) (store.RequestDetail, store.Draft) {
	t.Helper()
	req := h.process(t, demoMail(t, "02_list_district.eml"))
	if req.Status != workflows.StatusDrafted || len(req.Drafts) != 1 {
		t.Fatalf("request is %s with %d drafts, want drafted with 1", req.Status, len(req.Drafts))
	}
	return req, req.Drafts[0]
}

// approved is drafted, then approved.
func approved(t *testing.T, h *harness) (store.RequestDetail, store.Draft) {
	t.Helper()
	req, d := drafted(t, h)
	if err := h.st.Approve(t.Context(), req.ID, "tester"); err != nil {
		t.Fatalf("Approve: %v", err)
	}
	return req, d
}

// parseCaptured reads the header of a captured message.
func parseCaptured(t *testing.T, data []byte) mail.Header {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read captured message: %v", err)
	}
	return m.Header
}

func TestSendApprovedDraft(t *testing.T) {
	h := newHarness(t)
	req, d := approved(t, h)

	if err := h.p.Send(t.Context(), d.ID); err != nil {
		t.Fatalf("Send: %v", err)
	}
	msgs := h.capture.Messages()
	if len(msgs) != 1 {
		t.Fatalf("capture received %d messages, want 1", len(msgs))
	}
	got := draft(t, h.st, req.ID, d.ID)
	if got.Status != workflows.DraftSent || got.SentAt == nil {
		t.Errorf("draft is %s (sent at %v), want sent", got.Status, got.SentAt)
	}
	if got.SMTPMessageID == "" {
		t.Fatal("the draft has no stored Message-ID")
	}
	hdr := parseCaptured(t, msgs[0].Data)
	leader := "<" + req.Message.MessageID + ">"
	for _, c := range []struct{ name, want string }{
		{"Message-Id", "<" + got.SMTPMessageID + ">"},
		{"In-Reply-To", leader},
		{"Auto-Submitted", "auto-replied"},
		{"Subject", d.Subject},
	} {
		v := hdr.Get(c.name)
		if c.name == "Subject" {
			v, _ = new(mime.WordDecoder).DecodeHeader(v)
		}
		if v != c.want {
			t.Errorf("%s = %q, want %q", c.name, v, c.want)
		}
	}
	if refs := strings.Fields(hdr.Get("References")); !slices.Contains(refs, leader) {
		t.Errorf("References = %q, want it to hold %s", hdr.Get("References"), leader)
	}
	if want := []string{d.To[0].Address}; !slices.Equal(msgs[0].To, want) {
		t.Errorf("RCPT TO %v, want %v", msgs[0].To, want)
	}
	if r, _ := h.st.Request(t.Context(), req.ID); r.Status != workflows.StatusSent {
		t.Errorf("request is %s, want sent", r.Status)
	}

	t.Run("second send sends nothing", func(t *testing.T) {
		if err := h.p.Send(t.Context(), d.ID); err != nil {
			t.Fatalf("second Send: %v", err)
		}
		if n := len(h.capture.Messages()); n != 1 {
			t.Errorf("capture holds %d messages after a second Send, want 1", n)
		}
		if got := draft(t, h.st, req.ID, d.ID); got.Status != workflows.DraftSent || got.Attempts != 1 {
			t.Errorf("draft is %s after %d attempts, want sent after 1", got.Status, got.Attempts)
		}
	})
}

func TestSendCrashMidSendIsUnknown(t *testing.T) {
	h := newHarness(t)
	req, d := approved(t, h)
	// A send that claimed the draft and then died: Message-ID stored, no outcome.
	if _, err := h.st.ClaimDraftForSend(t.Context(), d.ID, "crashed-attempt@network.example.org"); err != nil {
		t.Fatalf("ClaimDraftForSend: %v", err)
	}
	if err := h.p.Send(t.Context(), d.ID); err != nil {
		t.Fatalf("Send after a crash: %v", err)
	}
	if n := len(h.capture.Messages()); n != 0 {
		t.Errorf("capture received %d messages, want none: the outcome was unknown", n)
	}
	got := draft(t, h.st, req.ID, d.ID)
	if got.Status != workflows.DraftUnknown {
		t.Errorf("draft is %s, want unknown", got.Status)
	}
	if got.SMTPMessageID != "crashed-attempt@network.example.org" {
		t.Errorf("stored Message-ID = %q, want the crashed attempt's", got.SMTPMessageID)
	}
	// And it stays that way: a person decides.
	if err := h.p.Send(t.Context(), d.ID); err != nil {
		t.Fatalf("third Send: %v", err)
	}
	if n := len(h.capture.Messages()); n != 0 {
		t.Errorf("capture received %d messages for an unknown draft", n)
	}
}

func TestSendUnapprovedDraftSendsNothing(t *testing.T) {
	h := newHarness(t)
	req, d := drafted(t, h)
	if err := h.p.Send(t.Context(), d.ID); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if n := len(h.capture.Messages()); n != 0 {
		t.Errorf("capture received %d messages for a draft never approved", n)
	}
	if got := draft(t, h.st, req.ID, d.ID); got.Status != workflows.DraftAwaiting || got.SMTPMessageID != "" {
		t.Errorf("draft is %s with Message-ID %q, want untouched awaiting approval", got.Status, got.SMTPMessageID)
	}
}

func TestSendFailures(t *testing.T) {
	cases := []struct {
		name       string
		addr       func(t *testing.T) string
		wantStatus workflows.DraftStatus
		wantReq    workflows.Status
	}{
		{"permanent 550 rejection", func(t *testing.T) string { return startRejecting(t, 550) }, workflows.DraftFailed, workflows.StatusFailed},
		{"temporary 451 rejection", func(t *testing.T) string { return startRejecting(t, 451) }, workflows.DraftApproved, workflows.StatusApproved},
		{"server down", unusedAddr, workflows.DraftApproved, workflows.StatusApproved},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			req, d := approved(t, h)
			p := h.withSender(t, c.addr(t))
			if err := p.Send(t.Context(), d.ID); err == nil {
				t.Fatal("Send succeeded against a failing server")
			}
			got := draft(t, h.st, req.ID, d.ID)
			if got.Status != c.wantStatus || got.LastError == "" {
				t.Errorf("draft is %s (last error %q), want %s with the error", got.Status, got.LastError, c.wantStatus)
			}
			if r, _ := h.st.Request(t.Context(), req.ID); r.Status != c.wantReq {
				t.Errorf("request is %s, want %s", r.Status, c.wantReq)
			}
			if c.wantStatus != workflows.DraftApproved {
				return
			}
			// A retry on a working server sends it, with the Message-ID
			// stored before the first attempt.
			if err := h.p.Send(t.Context(), d.ID); err != nil {
				t.Fatalf("retry: %v", err)
			}
			msgs := h.capture.Messages()
			if len(msgs) != 1 {
				t.Fatalf("capture received %d messages on retry, want 1", len(msgs))
			}
			if mid := parseCaptured(t, msgs[0].Data).Get("Message-Id"); mid != "<"+got.SMTPMessageID+">" {
				t.Errorf("retry sent Message-ID %s, want the stored <%s>", mid, got.SMTPMessageID)
			}
		})
	}
}

// unusedAddr returns a loopback address nothing listens on.
func unusedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startRejecting serves an SMTP server that answers every RCPT TO with code
// until the test ends, and returns its address.
func startRejecting(t *testing.T, code int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	srv := smtp.NewServer(rejectBackend{code})
	srv.Domain = "reject.localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

type rejectBackend struct{ code int }

func (b rejectBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return rejectSession(b), nil }

type rejectSession struct{ code int }

func (s rejectSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s rejectSession) Rcpt(string, *smtp.RcptOptions) error {
	class := s.code / 100
	return &smtp.SMTPError{Code: s.code, EnhancedCode: smtp.EnhancedCode{class, 1, 1}, Message: "rejected by test server"}
}
func (s rejectSession) Data(io.Reader) error {
	return errors.New("unreachable: every recipient is rejected")
}
func (s rejectSession) Reset()        {}
func (s rejectSession) Logout() error { return nil }
