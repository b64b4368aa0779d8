package jobs_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/demo"
	"switchboard/jobs"
	"switchboard/mailin"
	"switchboard/store"
	"switchboard/workflows"
)

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// storeSink adapts the store to the poller, as cmd/switchboard does.
type storeSink struct{ st *store.Store }

func (s storeSink) Checkpoint(ctx context.Context, mailbox string) (mailin.Checkpoint, error) {
	c, err := s.st.Checkpoint(ctx, mailbox)
	return mailin.Checkpoint(c), err
}

func (s storeSink) SaveFetched(ctx context.Context, m mailin.RawMessage) (bool, error) {
	return s.st.SaveFetched(ctx, store.RawMessage(m))
}

func (s storeSink) RecordPoll(ctx context.Context, mailbox string, err error) error {
	return s.st.RecordPoll(ctx, mailbox, err)
}

// optinWorld is the whole service in process: an IMAP server the poller
// reads, a River runner working process, send and timeout jobs, and an SMTP
// capture server, with every log line kept.
type optinWorld struct {
	h    *harness
	imap *demo.IMAPServer
	logs *syncBuffer
	sent int // captured messages already looked at
}

func startOptinWorld(t *testing.T, settings jobs.IntroSettings) *optinWorld {
	t.Helper()
	h := newHarness(t)
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h.deps.Logger = logger
	h.deps.Intro = settings
	h.p = jobs.NewPipeline(h.deps)
	srv, err := demo.StartIMAP("support", "secret")
	if err != nil {
		t.Fatalf("start IMAP: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	u, err := mailin.ParseIMAPURL(srv.URL())
	if err != nil {
		t.Fatalf("parse IMAP URL: %v", err)
	}
	runner, err := jobs.NewRunner(h.deps)
	if err != nil {
		t.Fatalf("new runner: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = runner.Run(ctx) }()
	poller := mailin.NewPoller(mailin.Config{URL: u, Password: "secret", Mailbox: "support@network.example.org",
		PollInterval: 50 * time.Millisecond, Logger: logger}, storeSink{h.st})
	go func() { defer wg.Done(); _ = poller.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		if t.Failed() {
			t.Log("logs:\n" + logs.String())
		}
	})
	return &optinWorld{h: h, imap: srv, logs: logs}
}

// deliver puts raw into the IMAP mailbox and waits for its request.
func (w *optinWorld) deliver(t *testing.T, raw string) store.RequestDetail {
	t.Helper()
	raw = strings.ReplaceAll(raw, "\n", "\r\n")
	if err := w.imap.Deliver([]byte(raw)); err != nil {
		t.Fatalf("deliver: %v", err)
	}
	mid := mailin.HeaderMessageID([]byte(raw))
	var id int64
	waitFor(t, 30*time.Second, "the request of "+mid, func() bool {
		err := w.h.st.DB().QueryRowContext(t.Context(),
			`SELECT r.id FROM requests r JOIN messages m ON m.id = r.message_id WHERE m.message_id = $1`, mid).Scan(&id)
		return err == nil
	})
	d, err := w.h.st.Request(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// request reloads request id.
func (w *optinWorld) request(t *testing.T, id int64) store.RequestDetail {
	t.Helper()
	d, err := w.h.st.Request(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// awaiting returns the request's drafts awaiting approval.
func awaiting(d store.RequestDetail) []store.Draft {
	var out []store.Draft
	for _, x := range d.Drafts {
		if x.Status == workflows.DraftAwaiting {
			out = append(out, x)
		}
	}
	return out
}

// approveAndCapture approves request id and returns the mail the SMTP
// server receives for it.
func (w *optinWorld) approveAndCapture(t *testing.T, id int64) demo.Captured {
	t.Helper()
	if err := w.h.st.Approve(t.Context(), id, "staff"); err != nil {
		t.Fatalf("approve %d: %v", id, err)
	}
	waitFor(t, 30*time.Second, "the approved mail", func() bool { return len(w.h.capture.Messages()) > w.sent })
	w.sent++
	return w.h.capture.Messages()[w.sent-1]
}

func header(t *testing.T, c demo.Captured) mail.Header {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(c.Data))
	if err != nil {
		t.Fatalf("read captured mail: %v", err)
	}
	return m.Header
}

// introRequest is a leader's introduction request naming its target.
func introRequest(n int, target string) string {
	return fmt.Sprintf(`From: Ana Lucia Ferreira <ana.requester%d@example.org>
To: support@network.example.org
Subject: Introduction to %s?
Date: Mon, 2 Nov 2026 10:00:00 -0600
Message-ID: <intro-ask-%d@mail.example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Hi,

Could you introduce me to %s? I emailed the address on your map and it bounced.
We're Pflugerville Votes and we'd like to do a joint canvass on the 1st.

Thanks!
Ana Lucia Ferreira
Pflugerville Votes
`, n, target, n, target)
}

// leaderReply is the target leader's answer in the consent thread.
func leaderReply(n int, from, consentID, answer string) string {
	return fmt.Sprintf(`From: %s
To: support@network.example.org
Subject: Re: May we introduce you to Pflugerville Votes?
Date: Tue, 3 Nov 2026 09:00:00 -0500
Message-ID: <leader-answer-%d@mail.example.net>
In-Reply-To: <%s>
References: <%s>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

%s

On Mon, Nov 2, 2026, Support Team wrote:
> Would you like us to introduce you? Just reply "yes" or "no".
`, from, n, consentID, consentID, answer)
}

// consentSent drafts, approves and sends the consent request of a fresh
// introduction request to target (leader leaderEmail) and returns the
// request and the consent mail's Message-ID.
func (w *optinWorld) consentSent(t *testing.T, n int, target, leaderEmail string) (store.RequestDetail, string) {
	t.Helper()
	req := w.deliver(t, introRequest(n, target))
	ds := awaiting(req)
	if req.Status != workflows.StatusDrafted || len(ds) != 1 || ds[0].Kind != workflows.DraftIntroConsent {
		t.Fatalf("request %d: status %s, drafts %+v; want one consent request", req.ID, req.Status, ds)
	}
	if len(ds[0].To) != 1 || !strings.EqualFold(ds[0].To[0].Address, leaderEmail) || len(ds[0].ReplyTo) != 0 {
		t.Fatalf("consent request goes to %v (reply-to %v), want only %s", ds[0].To, ds[0].ReplyTo, leaderEmail)
	}
	c := w.approveAndCapture(t, req.ID)
	if len(c.To) != 1 || !strings.EqualFold(c.To[0], leaderEmail) {
		t.Fatalf("consent mail RCPT TO %v, want only %s", c.To, leaderEmail)
	}
	mid := strings.Trim(header(t, c).Get("Message-Id"), "<>")
	return req, mid
}

// TestIntroOptIn follows the double opt-in end to end on the in-process
// IMAP and SMTP servers and a real River runner: yes (the introduction goes
// to both leaders), no and no answer (a polite note to the requester, no
// address shared), an unclear answer (left to staff). Then it scans every
// sent mail, every log line and the queue list for the private leader
// addresses of groups.csv: each appears only in an approved introduction,
// or as the sole recipient of the consent request to that same leader.
func TestIntroOptIn(t *testing.T) {
	w := startOptinWorld(t, jobs.IntroSettings{OptIn: true, Wait: time.Hour, Sweep: 100 * time.Millisecond})
	st := w.h.st

	// yes: Ann Arbor Climate Neighbors (group 8), leader ines.hargrove@example.net.
	req, consentID := w.consentSent(t, 1, "Ann Arbor Climate Neighbors", "ines.hargrove@example.net")
	ans := w.deliver(t, leaderReply(1, "Ines Hargrove <ines.hargrove@example.net>", consentID, "Yes, happy to connect!"))
	waitFor(t, 10*time.Second, "the introduction draft", func() bool { return len(awaiting(w.request(t, req.ID))) == 1 })
	d := awaiting(w.request(t, req.ID))[0]
	if d.Kind != workflows.DraftIntroduction {
		t.Fatalf("after yes: draft %s, want introduction", d.Kind)
	}
	if got := w.request(t, ans.ID).Status; got != workflows.StatusClosed {
		t.Errorf("the answer's own request is %s, want closed", got)
	}
	c := w.approveAndCapture(t, req.ID)
	hd := header(t, c)
	for _, want := range []string{"ana.requester1@example.org", "ines.hargrove@example.net"} {
		if !strings.Contains(hd.Get("To"), want) || !strings.Contains(hd.Get("Reply-To"), want) {
			t.Errorf("introduction To %q / Reply-To %q lacks %s", hd.Get("To"), hd.Get("Reply-To"), want)
		}
	}
	// Ana's address is not on file for Pflugerville Votes: the subject names
	// her, not the group she says she is with.
	if subj := hd.Get("Subject"); !strings.Contains(subj, "Ana Lucia Ferreira") || !strings.Contains(subj, "Ann Arbor Climate Neighbors") {
		t.Errorf("introduction subject %q does not name the requester and the target group", subj)
	}
	if !strings.Contains(string(c.Data), "joint canvass") {
		t.Error("the introduction does not restate why")
	}

	// no: Lakeshore Families for Democracy (group 9), leader nico.whitlock@example.net.
	req, consentID = w.consentSent(t, 2, "Lakeshore Families for Democracy", "nico.whitlock@example.net")
	w.deliver(t, leaderReply(2, "nico.whitlock@example.net", consentID, "No thanks, we can't take this on right now."))
	waitFor(t, 10*time.Second, "the note after no", func() bool { return len(awaiting(w.request(t, req.ID))) == 1 })
	if d := awaiting(w.request(t, req.ID))[0]; d.Kind != workflows.DraftIntroNote || d.To[0].Address != "ana.requester2@example.org" {
		t.Fatalf("after no: draft %s to %v, want the note to the requester", d.Kind, d.To)
	}
	w.approveAndCapture(t, req.ID)
	if i, _ := st.Introduction(t.Context(), req.ID); i.State != store.IntroDeclined {
		t.Errorf("after no: state %s", i.State)
	}

	// unclear: Springfield Indivisible (group 12) asks a question; staff decide.
	req, consentID = w.consentSent(t, 3, "Springfield Indivisible in Springfield, MO", "alma.fenwick@example.net")
	ans = w.deliver(t, leaderReply(3, "alma.fenwick@example.net", consentID, "Maybe - who are they exactly?"))
	if ans.Status != workflows.StatusNeedsTriage || len(awaiting(w.request(t, req.ID))) != 0 {
		t.Errorf("an unclear answer: answer %s, introduction drafts %d; want needs_triage and none", ans.Status,
			len(awaiting(w.request(t, req.ID))))
	}
	if i, _ := st.Introduction(t.Context(), req.ID); i.State != store.IntroAwaitingConsent {
		t.Errorf("after an unclear answer: state %s, want still awaiting consent", i.State)
	}

	// A list request for Ann Arbor, answered: public contacts only.
	lr := w.deliver(t, `From: Dana <dana.list@example.org>
To: support@network.example.org
Subject: groups in Ann Arbor
Date: Mon, 2 Nov 2026 10:00:00 -0600
Message-ID: <list-ask-1@mail.example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Hi, could you send me a list of the groups in Ann Arbor, MI?
Thanks, Dana
`)
	if lr.Status == workflows.StatusDrafted {
		w.approveAndCapture(t, lr.ID)
	}

	checkPrivacy(t, w)
}

// TestIntroOptInTimeout: with no answer within the wait, the periodic job
// drafts the note to the requester, and a late yes changes nothing.
func TestIntroOptInTimeout(t *testing.T) {
	w := startOptinWorld(t, jobs.IntroSettings{OptIn: true, Wait: time.Millisecond, Sweep: 100 * time.Millisecond})
	req, consentID := w.consentSent(t, 4, "Denver Metro Tenants Table", "nadia.moreau@example.net")
	waitFor(t, 30*time.Second, "the note after the wait", func() bool {
		return len(awaiting(w.request(t, req.ID))) == 1
	})
	d := awaiting(w.request(t, req.ID))[0]
	if d.Kind != workflows.DraftIntroNote || !strings.Contains(d.Text, "not heard back") {
		t.Fatalf("after the wait: draft %s %q, want the no-answer note", d.Kind, d.Text)
	}
	if i, _ := w.h.st.Introduction(t.Context(), req.ID); i.State != store.IntroExpired {
		t.Errorf("state %s, want expired", i.State)
	}
	w.approveAndCapture(t, req.ID)
	late := w.deliver(t, leaderReply(4, "nadia.moreau@example.net", consentID, "Yes!"))
	if late.Status != workflows.StatusNeedsTriage || len(awaiting(w.request(t, req.ID))) != 0 {
		t.Errorf("a late yes: answer %s, new drafts %d; want it left to staff", late.Status, len(awaiting(w.request(t, req.ID))))
	}
	checkPrivacy(t, w)
}

// TestIntroDirectPrivacy: without opt-in, an approved introduction is the
// only outgoing mail that carries a private leader address, strictly.
func TestIntroDirectPrivacy(t *testing.T) {
	w := startOptinWorld(t, jobs.IntroSettings{OptIn: false})
	req := w.deliver(t, introRequest(5, "Kensington Neighbors Organize in Philadelphia, PA"))
	if ds := awaiting(req); len(ds) != 1 || ds[0].Kind != workflows.DraftIntroduction {
		t.Fatalf("drafts %+v, want the introduction", ds)
	}
	w.approveAndCapture(t, req.ID)
	for _, c := range w.h.capture.Messages() {
		if !strings.HasPrefix(header(t, c).Get("Subject"), "Introduction:") {
			t.Errorf("mail %q sent besides the introduction", header(t, c).Get("Subject"))
		}
	}
	checkPrivacy(t, w)
}

// checkPrivacy scans what left the system or is shown in bulk: every mail
// the SMTP server received (envelope, headers and body), every log line,
// and the queue list (what `queue list` prints, JSON included).
func checkPrivacy(t *testing.T, w *optinWorld) {
	t.Helper()
	leaders := leaderEmails(t)
	for i, c := range w.h.capture.Messages() {
		hd := header(t, c)
		subject := hd.Get("Subject")
		found := map[string]bool{}
		for _, m := range emailRE.FindAllString(string(c.Data)+"\n"+strings.Join(c.To, "\n"), -1) {
			if leaders[strings.ToLower(m)] {
				found[strings.ToLower(m)] = true
			}
		}
		if len(found) == 0 {
			continue
		}
		if strings.HasPrefix(subject, "Introduction:") {
			continue // the approved introduction: the one place for it
		}
		// The consent request goes to that leader alone and shows the
		// address only as its recipient.
		body := string(c.Data[bytes.Index(c.Data, []byte("\r\n\r\n")):])
		for a := range found {
			alone := len(c.To) == 1 && strings.EqualFold(c.To[0], a) && strings.Contains(strings.ToLower(hd.Get("To")), a)
			if !strings.HasPrefix(subject, "May we introduce you") || !alone || strings.Contains(strings.ToLower(body), a) ||
				strings.Contains(strings.ToLower(hd.Get("Reply-To")+hd.Get("Cc")), a) {
				t.Errorf("mail %d %q carries the private address %s", i, subject, a)
			}
		}
	}
	for _, m := range emailRE.FindAllString(w.logs.String(), -1) {
		if leaders[strings.ToLower(m)] {
			t.Errorf("the logs carry the private address %s", m)
		}
	}
	reqs, err := w.h.st.Requests(t.Context(), store.RequestFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		for _, m := range emailRE.FindAllString(r.From+" "+r.FromName+" "+r.Subject, -1) {
			if leaders[strings.ToLower(m)] {
				t.Errorf("queue list shows the private address %s (request %d)", m, r.ID)
			}
		}
	}
}
