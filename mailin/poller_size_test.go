package mailin_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"switchboard/mailin"
)

// TestPollerKeepsTooLargeAsHeaders puts a message over the size limit
// between two small ones: all three are stored in UID order, the large one
// as its header block with the too-large mark, and the checkpoint passes it.
func TestPollerKeepsTooLargeAsHeaders(t *testing.T) {
	srv := startIMAP(t, imap.CapSet{imap.CapIMAP4rev2: {}})
	app := dialIMAP(t, srv.addr)
	big := testMessage(2, "big-2@example.org", "X-Video: yes\r\n")
	big = append(big, bytes.Repeat([]byte("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n"), 4000)...) // ~150 KB
	want := [][]byte{testMessage(1, "small-1@example.org", ""), big, testMessage(3, "small-3@example.org", "")}
	for _, raw := range want {
		appendRaw(t, app, raw)
	}
	sink := newStoreSink(t)
	cfg := testConfig(t, srv.addr, nil)
	cfg.MaxMessageSize = 64 << 10
	startPoller(t, cfg, sink)

	waitFor(t, "3 messages stored", func() bool { return sink.count(t) == 3 })
	waitFor(t, "checkpoint at uid 3", func() bool { return sink.checkpoint(t).LastUID == 3 })
	var raw []byte
	var size int64
	if err := sink.st.DB().QueryRowContext(context.Background(),
		`SELECT raw, size FROM messages WHERE message_id = 'big-2@example.org'`).Scan(&raw, &size); err != nil {
		t.Fatal(err)
	}
	got, limit, ok := mailin.TooLarge(raw)
	if !ok || got != int64(len(big)) || limit != cfg.MaxMessageSize || size != int64(len(big)) {
		t.Fatalf("too-large mark = %d/%d %v (stored size %d), want %d/%d", got, limit, ok, size, len(big), cfg.MaxMessageSize)
	}
	if !strings.Contains(string(raw), "Subject: Help request 2") || !strings.Contains(string(raw), "X-Video: yes") {
		t.Errorf("headers lost: %q", raw)
	}
	if strings.Contains(string(raw), "QUJDREVG") || len(raw) > 1024 {
		t.Errorf("body fetched: %d bytes stored", len(raw))
	}
	if in, err := mailin.Parse(raw, time.Now()); err != nil || in.MessageID != "big-2@example.org" {
		t.Errorf("stored headers do not parse: %v", err)
	}
	var small []byte
	if err := sink.st.DB().QueryRow(`SELECT raw FROM messages WHERE message_id = 'small-3@example.org'`).Scan(&small); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(small, want[2]) {
		t.Errorf("small message after the large one changed")
	}
	assertMailboxUnchanged(t, srv.addr, want)
}

func TestTooLargeMark(t *testing.T) {
	if _, _, ok := mailin.TooLarge([]byte("Received: x\r\nX-Switchboard-Too-Large: 5; limit=1\r\n\r\n")); ok {
		t.Error("a mark below the first line was read")
	}
	raw := fmt.Appendf(nil, "%s: 123; limit=100\r\nSubject: s\r\n\r\n", mailin.TooLargeField)
	if size, limit, ok := mailin.TooLarge(raw); !ok || size != 123 || limit != 100 {
		t.Errorf("TooLarge = %d %d %v", size, limit, ok)
	}
}
