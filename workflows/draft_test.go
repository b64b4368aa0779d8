package workflows

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"switchboard/directory"
	"switchboard/templates"
)

func TestReplySubject(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Groups in Austin?", "Re: Groups in Austin?"},
		{"Re: Groups in Austin?", "Re: Groups in Austin?"},
		{"Re: Re: RE: groups", "Re: groups"},
		{"RE: Aw: AW:Fwd: FW: groups", "Re: groups"},
		{"Fwd: photos from the march", "Re: photos from the march"},
		{"Re[2]: Re(3): list", "Re: list"},
		{"RE : réunion à Paris", "Re: réunion à Paris"},
		{"SV: Antw: WG: hej", "Re: hej"},
		{"  Re:   folded\r\n   subject  ", "Re: folded subject"},
		{"Reading group list", "Re: Reading group list"},
		{"Regarding: Austin", "Re: Regarding: Austin"},
		{"Re: Fwd: Re: ", "Re: Your message to the Support Team"},
		{"", "Re: Your message to the Support Team"},
		{"   ", "Re: Your message to the Support Team"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := ReplySubject(tt.in); got != tt.want {
				t.Errorf("ReplySubject(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// inbound is a list request from a leader with a non-ASCII address who asks
// that replies go to her Reply-To.
func inbound() *Inbound {
	return &Inbound{
		From:       Address{Name: "José Núñez", Address: "jose@example.org"},
		ReplyTo:    []Address{{Name: "José Núñez", Address: "josé.núñez@example.org"}},
		MessageID:  "m3@example.org",
		References: []string{"m1@example.org", "m2@example.org"},
		Subject:    "RE: Fwd: groups near Austin?",
	}
}

var austin = []directory.Group{
	{ID: 1, Name: "Indivisible Austin", City: "Austin", State: "TX", PublicEmail: "hello@ia.example",
		Website: "https://ia.example", LeaderName: "Pat Secret", LeaderEmail: "pat.private@leader.example", Status: "active"},
	{ID: 2, Name: "Gone Group", City: "Austin", State: "TX", LeaderEmail: "gone.private@leader.example", Status: "inactive"},
	{ID: 3, Name: "Round Rock Rising", City: "Round Rock", State: "TX", Twitter: "@rrr",
		LeaderName: "Sam Hidden", LeaderEmail: "sam.private@leader.example", Status: "active"},
}

func checkThreaded(t *testing.T, d Draft) {
	t.Helper()
	if d.InReplyTo != "m3@example.org" {
		t.Errorf("InReplyTo = %q", d.InReplyTo)
	}
	if want := []string{"m1@example.org", "m2@example.org", "m3@example.org"}; !reflect.DeepEqual(d.References, want) {
		t.Errorf("References = %q, want %q", d.References, want)
	}
}

func TestComposeListReply(t *testing.T) {
	set := templates.MustLoad()
	in := inbound()
	d, err := ComposeListReply(in, Fields{City: "Austin", State: "TX"}, "Austin, TX", austin, set)
	if err != nil {
		t.Fatal(err)
	}
	checkThreaded(t, d)
	if d.Kind != DraftListReply || d.Subject != "Re: groups near Austin?" {
		t.Errorf("Kind, Subject = %q, %q", d.Kind, d.Subject)
	}
	if want := []Address{in.ReplyTo[0]}; !reflect.DeepEqual(d.To, want) {
		t.Errorf("To = %v, want %v", d.To, want)
	}
	if want := []int64{1, 3}; !reflect.DeepEqual(d.GroupIDs, want) {
		t.Errorf("GroupIDs = %v, want %v", d.GroupIDs, want)
	}
	all := d.Subject + d.Text + d.HTML
	for _, private := range []string{"private", "Pat Secret", "Sam Hidden", "Gone Group"} {
		if strings.Contains(all, private) {
			t.Errorf("list reply contains %q", private)
		}
	}
	for _, public := range []string{"hello@ia.example", "https://ia.example", "@rrr", "2 active groups"} {
		if !strings.Contains(d.Text, public) || !strings.Contains(d.HTML, public) {
			t.Errorf("list reply lacks %q", public)
		}
	}
	// The draft's References must not alias the inbound's slice.
	if len(in.References) != 2 {
		t.Errorf("ComposeListReply changed in.References: %q", in.References)
	}
}

func TestComposeListReplyNoneAndEmptySubject(t *testing.T) {
	in := inbound()
	in.Subject = ""
	in.MessageID = ""
	d, err := ComposeListReply(in, Fields{City: "Marfa", State: "TX"}, "", nil, templates.MustLoad())
	if err != nil {
		t.Fatal(err)
	}
	if d.Subject != "About groups in Marfa, TX" {
		t.Errorf("Subject = %q", d.Subject)
	}
	if d.InReplyTo != "" || len(d.References) != 2 {
		t.Errorf("InReplyTo, References = %q, %q", d.InReplyTo, d.References)
	}
	if !strings.Contains(d.Text, "don't have an active group listed in Marfa, TX") {
		t.Errorf("no polite variant:\n%s", d.Text)
	}
}

func TestComposeListQuestion(t *testing.T) {
	f := Fields{City: "Springfield", Candidates: []string{"Springfield, IL", "Springfield, MO"}}
	d, err := ComposeListQuestion(inbound(), f, map[string]int{"MO": 3}, templates.MustLoad())
	if err != nil {
		t.Fatal(err)
	}
	checkThreaded(t, d)
	if d.Kind != DraftQuestion || !strings.Contains(d.Text, "* Springfield, MO") {
		t.Errorf("Kind = %q, text:\n%s", d.Kind, d.Text)
	}
}

func TestComposeIntroduction(t *testing.T) {
	set := templates.MustLoad()
	in := inbound()
	f := Fields{TargetGroup: "Round Rock Rising", Evidence: []string{"email_bounced", "unknown_code"}}
	d, err := ComposeIntroduction(in, f, &austin[0], austin[2], IntroOptions{Support: testSupport}, set)
	if err != nil {
		t.Fatal(err)
	}
	checkThreaded(t, d)
	want := []Address{in.ReplyTo[0], {Name: "Sam Hidden", Address: "sam.private@leader.example"}}
	if !reflect.DeepEqual(d.To, want) || !reflect.DeepEqual(d.ReplyTo, want) {
		t.Errorf("To, ReplyTo = %v, %v, want %v", d.To, d.ReplyTo, want)
	}
	if d.Subject != "Introduction: Indivisible Austin and Round Rock Rising" {
		t.Errorf("Subject = %q", d.Subject)
	}
	if !strings.Contains(d.Text, "public email address bounced") || strings.Contains(d.Text, "unknown_code") {
		t.Errorf("reasons wrong:\n%s", d.Text)
	}
	if strings.Contains(d.Text+d.HTML, "pat.private") {
		t.Error("introduction shows the requester group's private address")
	}
	if !reflect.DeepEqual(d.GroupIDs, []int64{1, 3}) {
		t.Errorf("GroupIDs = %v", d.GroupIDs)
	}
	// A reply goes to the two leaders only (Reply-To): new contact details
	// must be sent to the support address, which the mail names.
	if !strings.Contains(d.Text, "please write to us at support@network.example.org with the new ones") ||
		strings.Contains(d.Text, "just reply with the new ones") {
		t.Errorf("the introduction does not send new contact details to the support address:\n%s", d.Text)
	}
}

var testSupport = Address{Name: "Support Team", Address: "support@network.example.org"}

// TestIntroClaimedAndContradicted: a requesting group found only by name is
// worded as a claim, and a "Facebook only" claim about a group whose public
// email the directory lists is reported, not asserted.
func TestIntroClaimedAndContradicted(t *testing.T) {
	set := templates.MustLoad()
	springfield := directory.Group{ID: 5, Name: "Springfield Families for Democracy", City: "Springfield", State: "IL"}
	target := directory.Group{ID: 8, Name: "Ann Arbor Climate Neighbors", PublicEmail: "aacn@example.org",
		LeaderName: "Ines Hargrove", LeaderEmail: "ines@example.net"}
	f := Fields{TargetGroup: target.Name, Evidence: []string{"facebook_only"}}
	if !DirectoryContradicts(target, f.Evidence) || DirectoryContradicts(target, []string{"email_bounced"}) ||
		DirectoryContradicts(directory.Group{Name: "FB only"}, f.Evidence) {
		t.Error("DirectoryContradicts is wrong")
	}
	o := IntroOptions{RequesterByName: true, Support: testSupport}
	c, err := ComposeConsentRequest(inbound(), f, &springfield, target, o, set)
	if err != nil {
		t.Fatal(err)
	}
	i, err := ComposeIntroduction(inbound(), f, &springfield, target, o, set)
	if err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string]Draft{"consent": c, "introduction": i} {
		text := d.Text + d.HTML
		if !strings.Contains(d.Text, "José Núñez, who says they are with Springfield Families for Democracy") {
			t.Errorf("%s does not word the group as a claim:\n%s", name, d.Text)
		}
		if strings.Contains(text, "didn't work") || strings.Contains(text, "can only be reached through Facebook") {
			t.Errorf("%s asserts the listed contact failed though the directory lists a public email:\n%s", name, d.Text)
		}
		if !strings.Contains(d.Text, "José Núñez told us they could not reach") {
			t.Errorf("%s does not say what the leader reported:\n%s", name, d.Text)
		}
	}
	if c.Subject != "May we introduce you to José Núñez?" {
		t.Errorf("consent subject = %q", c.Subject)
	}
	// Found by address: the group is asserted; no evidence contradicted.
	o.RequesterByName = false
	f.Evidence = []string{"email_bounced"}
	c, err = ComposeConsentRequest(inbound(), f, &springfield, target, o, set)
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject != "May we introduce you to Springfield Families for Democracy?" ||
		!strings.Contains(c.Text, "Springfield Families for Democracy (Springfield, IL) asked us") ||
		!strings.Contains(c.Text, "on our map didn't work") {
		t.Errorf("verified requester: %q\n%s", c.Subject, c.Text)
	}
	// Nothing known of the requester: no "A group leader" in the subject.
	anon := inbound()
	anon.ReplyTo, anon.From.Name = nil, ""
	c, err = ComposeConsentRequest(anon, Fields{}, nil, target, o, set)
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject != "May we introduce you to a fellow group leader?" || !strings.HasPrefix(strings.SplitN(c.Text, "\n\n", 2)[1], "A fellow group leader asked us") {
		t.Errorf("anonymous requester: %q\n%s", c.Subject, c.Text)
	}
	if strings.Contains(c.Text+c.Subject, "jose@example.org") {
		t.Error("the consent request shows the requester's address")
	}
}

func TestComposeIntroductionFallbacks(t *testing.T) {
	set := templates.MustLoad()
	target := directory.Group{ID: 9, Name: "Marfa Indivisible", PublicEmail: "info@marfa.example"}
	d, err := ComposeIntroduction(inbound(), Fields{RequesterGroup: "Alpine Action"}, nil, target, IntroOptions{}, set)
	if err != nil {
		t.Fatal(err)
	}
	if d.To[1] != (Address{Name: "Marfa Indivisible", Address: "info@marfa.example"}) {
		t.Errorf("target address = %v, want the public email", d.To[1])
	}
	// Alpine Action is only what the sender says: the mail says so.
	if d.Subject != "Introduction: José Núñez and Marfa Indivisible" ||
		!strings.Contains(d.Text, "José Núñez, who says they are with Alpine Action, asked us") {
		t.Errorf("Subject = %q", d.Subject)
	}

	for name, tg := range map[string]directory.Group{
		"no address":   {ID: 10, Name: "Silent"},
		"same group":   austin[0],
		"same address": {ID: 11, Name: "Me", LeaderEmail: "JOSÉ.núñez@example.org"},
	} {
		if _, err := ComposeIntroduction(inbound(), Fields{}, &austin[0], tg, IntroOptions{}, set); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestComposeAcknowledgement(t *testing.T) {
	set := templates.MustLoad()
	tests := []struct {
		name, text string
		permission bool
		credit     string
	}{
		{"nothing given", "Here are photos from Saturday's rally!", false, ""},
		{"both given", "You have my permission to publish these.\nPhoto credit: Dana Smith / Marfa Indivisible\n", true, "Dana Smith / Marfa Indivisible"},
		{"credit only", "Some photos.\nCredit - Marfa Indivisible", false, "Marfa Indivisible"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := inbound()
			in.Text = tt.text
			in.Attachments = []Attachment{{Filename: "a.jpg", Sent: true}, {Filename: "logo.png"}}
			d, err := ComposeAcknowledgement(in, Fields{}, set)
			if err != nil {
				t.Fatal(err)
			}
			checkThreaded(t, d)
			asks := strings.Contains(d.Text, "your permission to publish")
			if asks == tt.permission {
				t.Errorf("asks for permission = %v, permission given = %v", asks, tt.permission)
			}
			if tt.credit != "" && !strings.Contains(d.Text, tt.credit) {
				t.Errorf("text lacks credit %q:\n%s", tt.credit, d.Text)
			}
			if !strings.Contains(d.Text, "the file you sent with it") {
				t.Errorf("attachment count wrong:\n%s", d.Text)
			}
		})
	}
}

func TestComposeNoReplyAddress(t *testing.T) {
	in := &Inbound{Subject: "hi"}
	set := templates.MustLoad()
	if _, err := ComposeListReply(in, Fields{}, "X", nil, set); !errors.Is(err, errNoReplyAddress) {
		t.Errorf("ComposeListReply error = %v", err)
	}
	if _, err := ComposeAcknowledgement(in, Fields{}, set); !errors.Is(err, errNoReplyAddress) {
		t.Errorf("ComposeAcknowledgement error = %v", err)
	}
}

// failing is a Renderer whose every render fails.
type failing struct{}

func (failing) Render(string, any) (templates.Rendered, error) {
	return templates.Rendered{}, errors.New("boom")
}

func TestComposeRenderError(t *testing.T) {
	if _, err := ComposeListQuestion(inbound(), Fields{}, nil, failing{}); err == nil || !strings.Contains(err.Error(), "compose list question: boom") {
		t.Errorf("error = %v", err)
	}
}

func TestContentHash(t *testing.T) {
	base := Draft{To: []Address{{Address: "a@example.org"}}, Subject: "s", Text: "t", HTML: "h"}
	h := base.ContentHash()
	if len(h) != 64 || h != base.ContentHash() {
		t.Fatalf("hash %q is not a stable SHA-256 hex", h)
	}
	changed := []Draft{
		{To: []Address{{Address: "b@example.org"}}, Subject: "s", Text: "t", HTML: "h"},
		{To: base.To, Cc: []Address{{Address: "c@example.org"}}, Subject: "s", Text: "t", HTML: "h"},
		{To: base.To, ReplyTo: []Address{{Address: "c@example.org"}}, Subject: "s", Text: "t", HTML: "h"},
		{To: base.To, Subject: "s2", Text: "t", HTML: "h"},
		{To: base.To, Subject: "s", Text: "t2", HTML: "h"},
		{To: base.To, Subject: "s", Text: "t", HTML: "h2"},
		{To: base.To, Subject: "st", Text: "", HTML: "h"}, // text moved between fields
	}
	for i, d := range changed {
		if d.ContentHash() == h {
			t.Errorf("change %d keeps the hash", i)
		}
	}
	same := base
	same.InReplyTo, same.GroupIDs = "x@y", []int64{1}
	if same.ContentHash() != h {
		t.Error("threading or group IDs change the content hash")
	}
}
