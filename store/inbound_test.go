package store

import (
	"context"
	"testing"
	"time"
)

func countRows(t *testing.T, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.Get(&n, query, args...); err != nil {
		t.Fatalf("count %q: %v", query, err)
	}
	return n
}

func TestSaveFetched(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	raw := func(id string) []byte { return []byte("Message-ID: <" + id + ">\r\nSubject: hi\r\n\r\nbody\r\n") }
	msg := func(uidv, uid uint32, mid string, body []byte) RawMessage {
		return RawMessage{Mailbox: "support@example.org", UIDValidity: uidv, UID: uid,
			InternalDate: time.Now(), MessageID: mid, Raw: body}
	}

	cp, err := s.Checkpoint(ctx, "support@example.org")
	if err != nil || cp.LastUID != 0 || cp.UIDValidity != 0 {
		t.Fatalf("new checkpoint = %+v, %v; want zero", cp, err)
	}

	steps := []struct {
		name        string
		m           RawMessage
		wantCreated bool
		wantMsgs    int
		wantJobs    int
		wantCP      Checkpoint
	}{
		{"first", msg(7, 10, "a@x", raw("a@x")), true, 1, 1, Checkpoint{"support@example.org", 7, 10}},
		{"same uid again", msg(7, 10, "a@x", raw("a@x")), false, 1, 1, Checkpoint{"support@example.org", 7, 10}},
		{"same message-id, other uid", msg(7, 12, "a@x", raw("a@x")), false, 1, 1, Checkpoint{"support@example.org", 7, 12}},
		{"older uid keeps checkpoint", msg(7, 5, "b@x", raw("b@x")), true, 2, 2, Checkpoint{"support@example.org", 7, 12}},
		{"no message-id", msg(7, 13, "", []byte("Subject: x\r\n\r\nno id\r\n")), true, 3, 3, Checkpoint{"support@example.org", 7, 13}},
		{"no message-id, same bytes", msg(7, 14, "", []byte("Subject: x\r\n\r\nno id\r\n")), false, 3, 3, Checkpoint{"support@example.org", 7, 14}},
		{"no message-id, other bytes", msg(7, 15, "", []byte("Subject: y\r\n\r\nno id\r\n")), true, 4, 4, Checkpoint{"support@example.org", 7, 15}},
		{"uidvalidity change resets", msg(8, 2, "a@x", raw("a@x")), false, 4, 4, Checkpoint{"support@example.org", 8, 2}},
		{"new message after reset", msg(8, 3, "c@x", raw("c@x")), true, 5, 5, Checkpoint{"support@example.org", 8, 3}},
	}
	for _, st := range steps {
		created, err := s.SaveFetched(ctx, st.m)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if created != st.wantCreated {
			t.Errorf("%s: created = %v, want %v", st.name, created, st.wantCreated)
		}
		if n := countRows(t, s, `SELECT count(*) FROM messages`); n != st.wantMsgs {
			t.Errorf("%s: messages = %d, want %d", st.name, n, st.wantMsgs)
		}
		if n := countRows(t, s, `SELECT count(*) FROM river_job WHERE kind = 'process'`); n != st.wantJobs {
			t.Errorf("%s: process jobs = %d, want %d", st.name, n, st.wantJobs)
		}
		cp, err := s.Checkpoint(ctx, "support@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if cp != st.wantCP {
			t.Errorf("%s: checkpoint = %+v, want %+v", st.name, cp, st.wantCP)
		}
	}
	if n := countRows(t, s, `SELECT count(*) FROM message_sightings`); n != len(steps)-1 {
		t.Errorf("sightings = %d, want %d", n, len(steps)-1)
	}
	// The job points at the stored message.
	if n := countRows(t, s, `SELECT count(*) FROM river_job j JOIN messages m ON m.id = (j.args->>'message_id')::bigint`); n != 5 {
		t.Errorf("jobs joined to messages = %d, want 5", n)
	}
}

func TestSaveFetchedOtherMailboxIsSeparate(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	for _, mb := range []string{"support@example.org", "press@example.org"} {
		created, err := s.SaveFetched(ctx, RawMessage{Mailbox: mb, UIDValidity: 1, UID: 1, MessageID: "same@x", Raw: []byte("x")})
		if err != nil || !created {
			t.Fatalf("%s: created = %v, %v", mb, created, err)
		}
	}
}

func TestSaveFetchedBatch(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	var batch []RawMessage
	for i := uint32(1); i <= 50; i++ {
		batch = append(batch, RawMessage{Mailbox: "support@example.org", UIDValidity: 3, UID: i,
			MessageID: "m" + string(rune('A'+i%26)) + "@x", Raw: []byte{byte(i)}})
	}
	n, err := s.SaveFetchedBatch(ctx, batch)
	if err != nil {
		t.Fatal(err)
	}
	if n != 26 {
		t.Errorf("created = %d, want 26 distinct Message-IDs", n)
	}
	if got := countRows(t, s, `SELECT count(*) FROM river_job`); got != 26 {
		t.Errorf("jobs = %d, want 26", got)
	}
	cp, _ := s.Checkpoint(ctx, "support@example.org")
	if cp.LastUID != 50 {
		t.Errorf("LastUID = %d, want 50", cp.LastUID)
	}
}

func TestSaveFetchedRollsBackJob(t *testing.T) {
	s := MustOpenTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.SaveFetched(ctx, RawMessage{Mailbox: "a", UIDValidity: 1, UID: 1, Raw: []byte("x")}); err == nil {
		t.Fatal("SaveFetched with cancelled context succeeded")
	}
	if n := countRows(t, s, `SELECT count(*) FROM river_job`) + countRows(t, s, `SELECT count(*) FROM messages`); n != 0 {
		t.Errorf("rows after failed save = %d, want 0", n)
	}
}

func TestRecordPoll(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	if err := s.RecordPoll(ctx, "support@example.org", context.DeadlineExceeded); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordPoll(ctx, "support@example.org", nil); err != nil {
		t.Fatal(err)
	}
	h, err := s.MailboxHealth(ctx)
	if err != nil || len(h) != 1 {
		t.Fatalf("MailboxHealth = %v, %v", h, err)
	}
	if h[0].LastPollAt == nil || h[0].LastError != "" || h[0].LastErrorAt == nil {
		t.Errorf("health = %+v", h[0])
	}
}
