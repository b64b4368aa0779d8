package jobs_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"switchboard/internal/testcorpus"
	"switchboard/store"
	"switchboard/workflows"
)

// TestProcessCorpus stores every corpus message as the poller would, runs
// Process on each new one in file order (so threads are known), and checks
// each outcome against labels.json and the invariants every draft keeps.
func TestProcessCorpus(t *testing.T) {
	dir, labels := testcorpus.Labels(t)
	h := newHarness(t)
	leaders := leaderEmails(t)

	type outcome struct {
		raw     []byte
		created bool
		req     store.RequestDetail
	}
	outcomes := map[string]outcome{}
	stored := map[int64]string{} // message id -> first file stored as it
	for _, l := range labels {
		raw, err := os.ReadFile(filepath.Join(dir, l.File))
		if err != nil {
			t.Fatalf("read %s: %v", l.File, err)
		}
		id, created := h.save(t, raw)
		o := outcome{raw: raw, created: created}
		if created {
			if err := h.p.Process(t.Context(), id); err != nil {
				t.Errorf("Process %s: %v", l.File, err)
				continue
			}
			stored[id] = l.File
			o.req = requestFor(t, h.st, id)
		} else if first, ok := stored[id]; ok {
			o.req = outcomes[first].req
		}
		outcomes[l.File] = o
	}

	for _, l := range labels {
		t.Run(strings.TrimSuffix(l.File, ".eml"), func(t *testing.T) {
			o, ok := outcomes[l.File]
			if !ok {
				t.Fatal("not processed")
			}
			if strings.Contains(l.File, "duplicate") {
				if o.created {
					t.Error("a second copy of a stored Message-ID created a new message")
				}
				return
			}
			if !o.created {
				t.Fatal("SaveFetched did not create the message")
			}
			checkOutcome(t, l, o.req)
			for _, d := range o.req.Drafts {
				checkDraft(t, o.raw, o.req, d, leaders)
			}
		})
	}
}

// checkOutcome checks a request's status and drafts against its label.
func checkOutcome(t *testing.T, l testcorpus.Label, req store.RequestDetail) {
	t.Helper()
	e := l.Expected
	switch l.Category {
	case "list_request":
		if e.State == "" {
			wantStatusKinds(t, req, workflows.StatusDrafted, workflows.DraftQuestion)
			if d := req.Drafts; len(d) == 1 && len(d[0].GroupIDs) != 0 {
				t.Errorf("the question for an ambiguous place lists groups %v", d[0].GroupIDs)
			}
			return
		}
		// Which groups: TestListRepliesMatchDirectory checks them against an
		// independent filter of groups.csv.
		wantStatusKinds(t, req, workflows.StatusDrafted, workflows.DraftListReply)
	case "mixed":
		kinds := []workflows.DraftKind{workflows.DraftListReply}
		if e.TargetGroup != "" {
			kinds = append(kinds, workflows.DraftIntroduction)
		}
		if e.Attachments > 0 {
			kinds = append(kinds, workflows.DraftAcknowledgement)
		}
		wantStatusKinds(t, req, workflows.StatusDrafted, kinds...)
	case "submission":
		wantStatusKinds(t, req, workflows.StatusDrafted, workflows.DraftAcknowledgement)
	case "introduction":
		// An introduction is drafted only when the named group is in the
		// directory; otherwise a person picks it.
		if req.Status == workflows.StatusNeedsTriage {
			wantStatusKinds(t, req, workflows.StatusNeedsTriage)
			return
		}
		wantStatusKinds(t, req, workflows.StatusDrafted, workflows.DraftIntroduction)
		if d := req.Drafts; len(d) == 1 && (len(d[0].GroupIDs) < 1 || len(d[0].GroupIDs) > 2) {
			t.Errorf("introduction names groups %v, want the target, after the requester's group when known", d[0].GroupIDs)
		}
	case "auto_reply", "bounce":
		wantStatusKinds(t, req, workflows.StatusClosed)
	case "followup", "other":
		wantStatusKinds(t, req, workflows.StatusNeedsTriage)
	default:
		t.Fatalf("unknown category %q", l.Category)
	}
}

// wantStatusKinds checks the request's status and the kinds of its drafts
// (in any order; none when kinds is empty).
func wantStatusKinds(t *testing.T, req store.RequestDetail, status workflows.Status, kinds ...workflows.DraftKind) {
	t.Helper()
	if req.Status != status {
		t.Errorf("status = %s, want %s (kind %s, reasons %v)", req.Status, status, req.Kind, req.Reasons)
	}
	var got []string
	for _, d := range req.Drafts {
		got = append(got, string(d.Kind))
	}
	var want []string
	for _, k := range kinds {
		want = append(want, string(k))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("draft kinds = %v, want %v", got, want)
	}
}

var emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+`)

// checkDraft checks what every draft keeps: threading, subject, recipient,
// and no leader's private address outside an introduction.
func checkDraft(t *testing.T, raw []byte, req store.RequestDetail, d store.Draft, leaders map[string]bool) {
	t.Helper()
	if d.InReplyTo != req.Message.MessageID || d.InReplyTo == "" {
		t.Errorf("draft %s: In-Reply-To = %q, want the leader's Message-ID %q", d.Kind, d.InReplyTo, req.Message.MessageID)
	}
	if d.Kind == workflows.DraftIntroduction {
		if !strings.HasPrefix(d.Subject, "Introduction:") {
			t.Errorf("introduction subject = %q, want it to start \"Introduction:\"", d.Subject)
		}
		return
	}
	if !strings.HasPrefix(d.Subject, "Re: ") {
		t.Errorf("draft %s subject = %q, want it to start \"Re: \"", d.Kind, d.Subject)
	}
	reply, from := headerReplyAddress(t, raw)
	if len(d.To) != 1 || !strings.EqualFold(d.To[0].Address, reply) {
		t.Errorf("draft %s goes to %v, want only %s", d.Kind, d.To, reply)
	}
	if reply != from {
		for _, a := range append(append([]workflows.Address(nil), d.To...), d.Cc...) {
			if strings.EqualFold(a.Address, from) {
				t.Errorf("draft %s goes to the From address %s; the message has Reply-To %s", d.Kind, from, reply)
			}
		}
	}
	var addrs []string
	for _, as := range []store.Addresses{d.To, d.Cc, d.ReplyTo} {
		for _, a := range as {
			addrs = append(addrs, a.Address)
		}
	}
	text := strings.Join(append(addrs, d.Subject, d.Text, d.HTML), "\n")
	for _, m := range emailRE.FindAllString(text, -1) {
		if leaders[strings.ToLower(m)] {
			t.Errorf("draft %s contains the leader address %s", d.Kind, m)
		}
	}
}

// TestProcessIsIdempotent processes one message twice: one request, with
// the drafts of the first run.
func TestProcessIsIdempotent(t *testing.T) {
	h := newHarness(t)
	id, created := h.save(t, demoMail(t, "02_list_district.eml"))
	if !created {
		t.Fatal("SaveFetched did not create the message")
	}
	if err := h.p.Process(t.Context(), id); err != nil {
		t.Fatalf("first Process: %v", err)
	}
	first := requestFor(t, h.st, id)
	if err := h.p.Process(t.Context(), id); err != nil {
		t.Fatalf("second Process: %v", err)
	}
	if n := requestCount(t, h.st, id); n != 1 {
		t.Fatalf("%d requests for one message, want 1", n)
	}
	second := requestFor(t, h.st, id)
	if second.ID != first.ID || len(second.Drafts) != len(first.Drafts) {
		t.Errorf("second run changed the request: id %d→%d, drafts %d→%d", first.ID, second.ID, len(first.Drafts), len(second.Drafts))
	}
	if _, created := h.save(t, demoMail(t, "02_list_district.eml")); created {
		t.Error("a second copy of the same message was stored again")
	}
}

// TestProcessBadInput stores input that is not a good email and checks each
// ends as a stored message with a request needing a person, and that a good
// message after them is still processed (DESIGN.md invariant 7).
func TestProcessBadInput(t *testing.T) {
	h := newHarness(t)
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rng.UintN(256))
	}
	cases := []struct {
		name string
		raw  []byte
	}{
		{"random bytes", random},
		{"empty", []byte{}},
		{"header only", []byte("From: Someone <someone@example.org>\r\nSubject: hello\r\nMessage-ID: <header-only@example.org>\r\n")},
		{"NUL and invalid UTF-8 in headers", []byte("From: \xff\xfe <x@example.org>\r\nSubject: \x00\x01bad\r\n\r\nbody \xc3\x28\r\n")},
		{"unterminated multipart", []byte("From: a@example.org\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!notbase64")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id, created := h.save(t, c.raw)
			if !created {
				t.Fatal("SaveFetched did not store the message")
			}
			if err := h.p.Process(t.Context(), id); err != nil {
				t.Fatalf("Process: %v", err)
			}
			req := requestFor(t, h.st, id)
			wantStatusKinds(t, req, workflows.StatusNeedsTriage)
			if _, err := h.st.Message(t.Context(), id); err != nil {
				t.Errorf("the message is not kept: %v", err)
			}
		})
	}
	t.Run("good message after bad ones", func(t *testing.T) {
		req := h.process(t, demoMail(t, "02_list_district.eml"))
		wantStatusKinds(t, req, workflows.StatusDrafted, workflows.DraftListReply)
	})
}
