package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"switchboard/store"
)

// pressMail is a story sent to the press mailbox.
const pressMail = "From: Rosa Diaz <rosa.diaz@example.com>\r\nTo: press@network.example.org\r\n" +
	"Subject: Our canvass in Tucson\r\nDate: Thu, 26 Nov 2026 09:00:00 -0700\r\nMessage-ID: <press-1@example.com>\r\n" +
	"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" +
	"We knocked on 400 doors in Tucson on Saturday. Credit \"Tucson Together\".\r\n"

// TestQueueSeveralMailboxes checks the mailbox filter with a support and a
// press mailbox: one, the other, both, and the request page's mailbox line.
func TestQueueSeveralMailboxes(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	const press = "press@network.example.org"
	if err := e.st.SetMailboxRole(ctx, press, store.MailboxPress); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.SaveFetched(ctx, store.RawMessage{Mailbox: press, UIDValidity: 1, UID: 1,
		InternalDate: time.Date(2026, 11, 26, 16, 0, 0, 0, time.UTC), Raw: []byte(pressMail)}); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := e.st.DB().QueryRowContext(ctx, `SELECT max(id) FROM messages`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if err := e.pipeline.Process(ctx, id); err != nil {
		t.Fatal(err)
	}
	c := e.login("staff@example.org")
	q := func(mailboxes ...string) string {
		return c.get("/queue?" + url.Values{"mailbox": mailboxes}.Encode()).Body
	}
	support := "support@network.example.org"
	cases := []struct {
		name      string
		mailboxes []string
		tucson    bool
		boise     bool
	}{
		{"none ticked: all", nil, true, true},
		{"support only", []string{support}, false, true},
		{"press only", []string{press}, true, false},
		{"both", []string{support, press}, true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := q(tc.mailboxes...)
			if strings.Contains(body, "Our canvass in Tucson") != tc.tucson || strings.Contains(body, "Groups in Boise?") != tc.boise {
				t.Errorf("mailboxes %v: Tucson shown %v (want %v), Boise shown %v (want %v)", tc.mailboxes,
					strings.Contains(body, "Our canvass in Tucson"), tc.tucson, strings.Contains(body, "Groups in Boise?"), tc.boise)
			}
			for _, m := range tc.mailboxes {
				if !strings.Contains(body, fmt.Sprintf(`value="%s" checked>`, m)) {
					t.Errorf("mailbox %s is not ticked", m)
				}
			}
		})
	}
	if body := q(); !strings.Contains(body, `<span class="badge mailbox-press">press</span>`) {
		t.Errorf("the press mailbox is not offered with its role")
	}
	page := c.get(fmt.Sprintf("/requests/%d", e.requestID("Our canvass in Tucson"))).Body
	if !strings.Contains(page, `<dd id="mailbox">press@network.example.org <span class="badge mailbox-press">press mailbox</span>`) {
		t.Errorf("the request page does not say the message came to the press mailbox")
	}
}
