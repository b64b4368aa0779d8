package workflows

import (
	"testing"

	"switchboard/directory"
)

func TestClassifyKinds(t *testing.T) {
	tests := []struct {
		name string
		in   Inbound
		ctx  Context
		want Kind
	}{
		{"list", Inbound{Subject: "groups", Text: "Could you send a list of the groups in Austin?"}, Context{}, KindListRequest},
		{"intro", Inbound{Subject: "hi", Text: "Could you put me in touch with Denver Metro Tenants Table?"}, Context{}, KindIntroduction},
		{"submission", Inbound{Subject: "rally", Text: "Photos from our rally attached.",
			Attachments: []Attachment{{ContentType: "image/jpeg", Sent: true}}}, Context{}, KindSubmission},
		{"mixed", Inbound{Subject: "two things", Text: "Send me the list of groups in Columbus, Ohio? Also please introduce me to Clintonville Civic Circle."}, Context{}, KindMixed},
		{"followup headers", Inbound{Subject: "Re: groups", InReplyTo: []string{"x@y"}, Text: "Thanks!\n\nOn Mon, Pat wrote:\n> Could you send a list of the groups in Austin?"}, Context{}, KindFollowup},
		{"followup without headers", Inbound{Subject: "RE: groups", Text: "Thanks!\n> send a list of the groups"}, Context{}, KindFollowup},
		{"known thread", Inbound{Subject: "groups", Text: "one more: send a list of the groups"}, Context{KnownThread: true}, KindFollowup},
		{"auto-submitted beats followup", Inbound{Subject: "Re: intro", InReplyTo: []string{"x@y"},
			Header: map[string][]string{"Auto-Submitted": {"auto-replied"}}}, Context{}, KindAutoReply},
		{"auto-submitted no", Inbound{Subject: "groups", Text: "Could you send a list of the groups in Austin?",
			Header: map[string][]string{"Auto-Submitted": {"no"}}}, Context{}, KindListRequest},
		{"x-autorespond", Inbound{Subject: "Thanks", Header: map[string][]string{"X-Autorespond": {"yes"}}}, Context{}, KindAutoReply},
		{"german subject", Inbound{Subject: "Abwesenheitsnotiz: groups"}, Context{}, KindAutoReply},
		{"french subject", Inbound{Subject: "Réponse automatique : intro"}, Context{}, KindAutoReply},
		{"report", Inbound{Subject: "Delivery Status Notification (Failure)", InReplyTo: []string{"x@y"},
			ContentType: "multipart/report; report-type=delivery-status; boundary=x"}, Context{}, KindBounce},
		{"daemon subject", Inbound{From: Address{Address: "MAILER-DAEMON@mx.example.com"}, Subject: "Undelivered Mail Returned to Sender"}, Context{}, KindBounce},
		{"exchange ndr", Inbound{Subject: "Undeliverable: x", Header: map[string][]string{"X-Ms-Exchange-Message-Is-Ndr": {""}}}, Context{}, KindBounce},
		{"forwarded bounce", Inbound{From: Address{Address: "pat@example.org"}, Subject: "Fwd: Undelivered Mail Returned to Sender",
			ContentType: "multipart/mixed", Text: "Can you introduce me to their coordinator?",
			Attachments: []Attachment{{ContentType: "message/rfc822", Sent: true}}}, Context{}, KindIntroduction},
		{"newsletter", Inbound{Subject: "Weekly", Text: "Want a list of groups in your city?",
			Header: map[string][]string{"List-Id": {"<news.example.org>"}}}, Context{}, KindOther},
		{"own address", Inbound{From: Address{Address: "support@network.example.org"}, Subject: "list", Text: "send a list of the groups"},
			Context{OwnAddresses: []string{"support@network.example.org"}}, KindOther},
		{"unrelated", Inbound{Subject: "insurance?", Text: "Is there event insurance for member groups?"}, Context{}, KindOther},
	}
	geo := directory.MustGeography()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Classify(&tt.in, geo, tt.ctx)
			if c.Kind != tt.want {
				t.Errorf("kind %s, want %s (%v)", c.Kind, tt.want, c.Reasons)
			}
			if c.Confidence < 0 || c.Confidence > 1 || len(c.Kinds) == 0 {
				t.Errorf("confidence %v kinds %v", c.Confidence, c.Kinds)
			}
		})
	}
}

func TestResult(t *testing.T) {
	in := &Inbound{Attachments: []Attachment{{Sent: true}, {Sent: false}, {Sent: true}}}
	r := Result("a.eml", in, Classification{Kind: KindSubmission, Kinds: []Kind{KindSubmission}, Confidence: 0.8,
		Fields: Fields{City: "Austin", State: "TX"}})
	if r.Attachments != 2 || r.File != "a.eml" || r.City != "Austin" {
		t.Errorf("%+v", r)
	}
}

func BenchmarkClassify(b *testing.B) {
	geo := directory.MustGeography()
	in := &Inbound{From: Address{Name: "Pat Doe", Address: "pat@example.org"}, Subject: "list for Columbus + an intro",
		Text: "Hi there,\n\n1) Could you send me the list of groups in Columbus, Ohio? We're in Clintonville (43202).\n" +
			"2) I also tried to email Clintonville Civic Circle and it bounced. Could you introduce me to their leader?\n\n" +
			"Thank you!\nPat Doe\nClintonville Neighbors Act\n614-555-0100"}
	for b.Loop() {
		Classify(in, geo, Context{})
	}
}
