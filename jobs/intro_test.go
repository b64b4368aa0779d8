package jobs_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"switchboard/internal/testcorpus"
	"switchboard/jobs"
	"switchboard/store"
	"switchboard/workflows"
)

// introTargets are the directory ids (demo/data/groups.csv) of the groups
// the corpus introductions mean, where the directory has them. Nuestra Voz
// Yakima (s44) is not in the directory. Vague ones list every acceptable
// group: "the Indivisible group in Round Rock" (s09) has a listed email
// (the one that bounced) only as Indivisible Round Rock (1); the banner
// drops on the Lake Street bridge (s13) are Longfellow's (11), the
// Minneapolis neighbourhood at the bridge.
var introTargets = map[string]struct {
	target    int64
	vague     bool
	requester int64 // 0: unknown
}{
	"s09_intro_roundrock_bounced_gmail.eml":          {1, true, 2},
	"s10_intro_facebook_only_outlook_png.eml":        {7, false, 0},
	"s11_intro_twitter_dead_apple.eml":               {8, false, 0},
	"s12_intro_url_broken_bare_from_thunderbird.eml": {9, false, 0},
	"s13_intro_vague_protonmail.eml":                 {11, true, 10},
	"s14_intro_comma_display_name_yahoo.eml":         {12, false, 0},
	"s15_intro_forwarded_rfc822_gmail.eml":           {16, false, 17},
	"s16_intro_smtputf8_address_thunderbird.eml":     {18, false, 0},
	"s39_mixed_list_and_intro_gmail.eml":             {21, false, 0},
}

// TestIntroTargetsInCorpus processes every corpus introduction: a named
// target is the top candidate (and drafted), a vague one is among the
// candidates and never drafted; the requesting group is stored when the
// message names it; evidence flags the target's listing.
func TestIntroTargetsInCorpus(t *testing.T) {
	dir := testcorpus.Dir(t)
	h := newHarness(t)
	for file, want := range introTargets {
		t.Run(file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				t.Fatal(err)
			}
			req := h.process(t, raw)
			if len(req.Candidates) == 0 {
				t.Fatalf("no candidates (fields %+v)", req.Fields)
			}
			intro, err := h.st.Introduction(t.Context(), req.ID)
			if err != nil {
				t.Fatalf("introduction row: %v", err)
			}
			gotReq := int64(0)
			if intro.RequesterGroupID != nil {
				gotReq = *intro.RequesterGroupID
			}
			if gotReq != want.requester {
				t.Errorf("requester group = %d, want %d", gotReq, want.requester)
			}
			var introDrafts int
			for _, d := range req.Drafts {
				if d.Kind == workflows.DraftIntroduction || d.Kind == workflows.DraftIntroConsent {
					introDrafts++
				}
			}
			if want.vague {
				ids := make([]int64, len(req.Candidates))
				for i, c := range req.Candidates {
					ids[i] = c.GroupID
				}
				if !slices.Contains(ids, want.target) {
					t.Errorf("candidates %v do not include group %d", req.Candidates, want.target)
				}
				if introDrafts != 0 || intro.State != store.IntroAwaitingTarget {
					t.Errorf("a vague target was drafted (%d drafts, state %s)", introDrafts, intro.State)
				}
				return
			}
			if top := req.Candidates[0]; top.GroupID != want.target {
				t.Errorf("top candidate = %+v, want group %d (all %+v)", top, want.target, req.Candidates)
			}
			if introDrafts != 1 || intro.TargetGroupID == nil || *intro.TargetGroupID != want.target {
				t.Errorf("want one introduction draft for group %d; drafts %d, introduction %+v", want.target, introDrafts, intro)
			}
		})
	}
	ls, err := h.st.BrokenListings(t.Context(), 100)
	if err != nil {
		t.Fatal(err)
	}
	broken := map[int64][]string{}
	for _, l := range ls {
		broken[l.GroupID] = l.Problems
	}
	for id, problem := range map[int64]string{7: "facebook_only", 9: "url_broken",
		12: "phone_full", 16: "email_bounced(public)", 21: "email_bounced(public)"} {
		if !slices.Contains(broken[id], problem) {
			t.Errorf("group %d listing problems = %v, want %s", id, broken[id], problem)
		}
	}
	// Ann Arbor Climate Neighbors (8) lists a public email: a "dormant
	// Twitter" report is kept, but does not mark its listing broken.
	if _, ok := broken[8]; ok {
		t.Errorf("group 8 (public email listed) marked broken on a twitter_dormant report: %v", broken[8])
	}
	var reports int
	if err := h.st.DB().QueryRowContext(t.Context(),
		`SELECT count(*) FROM contact_reports WHERE group_id = 8 AND problem = 'twitter_dormant'`).Scan(&reports); err != nil {
		t.Fatal(err)
	}
	if reports != 1 {
		t.Errorf("group 8: %d twitter_dormant reports stored, want 1", reports)
	}
}

// claimMail is an introduction request from an address not on file,
// naming Pflugerville Votes (2) as the sender's group, about Ann Arbor
// Climate Neighbors (8), which lists a public email, "only on Facebook".
const claimMail = `From: Dana Smith <dana.smith@example.org>
To: support@network.example.org
Subject: Introduction to Ann Arbor Climate Neighbors?
Date: Mon, 2 Nov 2026 10:00:00 -0600
Message-ID: <claim-1@mail.example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Hi,

I lead Pflugerville Votes. Could you introduce me to Ann Arbor Climate Neighbors?
They seem to be on Facebook only and we can't get a reply there.
We'd like to do a joint letter-writing evening.

Thanks!
Dana Smith
Pflugerville Votes
`

// TestIntroClaimedRequester: the requesting group found only by name is a
// claim, told to staff and worded as such; "Facebook only" about a group
// whose public email the directory lists is kept as a report, flagged for
// staff, not asserted in the mail, and leaves the listing as it was.
func TestIntroClaimedRequester(t *testing.T) {
	for _, optIn := range []bool{true, false} {
		t.Run(map[bool]string{true: "opt-in", false: "direct"}[optIn], func(t *testing.T) {
			h := newHarness(t)
			h.deps.Intro.OptIn = optIn
			h.p = jobs.NewPipeline(h.deps)
			req := h.process(t, []byte(strings.ReplaceAll(claimMail, "\n", "\r\n")))
			intro, err := h.st.Introduction(t.Context(), req.ID)
			if err != nil {
				t.Fatal(err)
			}
			if intro.RequesterMatched != "name" || intro.RequesterGroupID == nil || *intro.RequesterGroupID != 2 ||
				intro.TargetGroupID == nil || *intro.TargetGroupID != 8 {
				t.Fatalf("introduction %+v, fields %+v; want requester 2 by name, target 8", intro, req.Fields)
			}
			for _, want := range []string{"requester claims group Pflugerville Votes; their address is not on file for it",
				"the directory lists a public email for Ann Arbor Climate Neighbors: check before introducing"} {
				if !slices.ContainsFunc(req.Reasons, func(r string) bool { return strings.HasPrefix(r, want) }) {
					t.Errorf("reasons %q lack %q", req.Reasons, want)
				}
			}
			if len(req.Drafts) != 1 {
				t.Fatalf("drafts %+v", req.Drafts)
			}
			d := req.Drafts[0]
			if !strings.Contains(d.Text, "Dana Smith, who says they are with Pflugerville Votes") ||
				strings.Contains(d.Text, "Pflugerville Votes asked us") || strings.Contains(d.Subject, "Pflugerville") {
				t.Errorf("the mail asserts the claimed group:\n%s", d.Text)
			}
			if strings.Contains(d.Text, "didn't work") || !strings.Contains(d.Text, "Dana Smith told us they could not reach") {
				t.Errorf("the mail asserts the listed contact failed:\n%s", d.Text)
			}
			if optIn && d.Subject != "May we introduce you to Dana Smith?" {
				t.Errorf("consent subject %q", d.Subject)
			}
			if !optIn && !strings.Contains(d.Text, "write to us at "+support.Address) {
				t.Errorf("the introduction does not name the support address for new details:\n%s", d.Text)
			}
			ls, err := h.st.BrokenListings(t.Context(), 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range ls {
				if l.GroupID == 8 {
					t.Errorf("group 8 marked %s on a facebook_only claim though it lists a public email", l.ContactStatus)
				}
			}
			var reports int
			if err := h.st.DB().QueryRowContext(t.Context(),
				`SELECT count(*) FROM contact_reports WHERE group_id = 8 AND problem = 'facebook_only'`).Scan(&reports); err != nil {
				t.Fatal(err)
			}
			if reports != 1 {
				t.Errorf("%d facebook_only reports, want 1", reports)
			}
		})
	}
}

// TestChooseTargetUnknownGroup: a group id that is not in the directory is
// named as such, not as a missing request.
func TestChooseTargetUnknownGroup(t *testing.T) {
	h := newHarness(t)
	req := h.process(t, []byte(strings.ReplaceAll(claimMail, "\n", "\r\n")))
	err := h.p.ChooseTarget(t.Context(), req.ID, 999999, nil, "Robin")
	if !errors.Is(err, jobs.ErrUnknownGroup) || errors.Is(err, store.ErrNotFound) ||
		!strings.Contains(err.Error(), "group 999999 does not exist") || !strings.Contains(err.Error(), "groups search NAME") {
		t.Errorf("ChooseTarget(999999) = %v", err)
	}
}

// TestIntroSpringfieldByPlace: the place tells "Springfield Indivisible"
// (MO) from "Indivisible Springfield" (IL), both ways round.
func TestIntroSpringfieldByPlace(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		name, state, city string
		want              int64
	}{
		{"Springfield Indivisible", "MO", "Springfield", 12},
		{"Indivisible Springfield", "IL", "Springfield", 13},
		{"Springfield Indivisible", "IL", "Springfield", 13},
	} {
		cs, err := h.st.FindGroups(t.Context(), tc.name, tc.state, tc.city, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) == 0 || cs[0].GroupID != tc.want {
			t.Errorf("FindGroups(%q, %s) = %+v, want group %d first", tc.name, tc.state, cs, tc.want)
		}
	}
}

// TestChooseTarget: staff pick the group of a vague request (s09); it is
// drafted then, with the setting's opt-in or the one chosen for the
// request.
func TestChooseTarget(t *testing.T) {
	dir := testcorpus.Dir(t)
	h := newHarness(t)
	raw, err := os.ReadFile(filepath.Join(dir, "s09_intro_roundrock_bounced_gmail.eml"))
	if err != nil {
		t.Fatal(err)
	}
	req := h.process(t, raw)
	if req.Status != workflows.StatusNeedsTriage || len(req.Drafts) != 0 {
		t.Fatalf("s09: status %s, %d drafts; want needs_triage and none", req.Status, len(req.Drafts))
	}
	if err := h.p.ChooseTarget(t.Context(), req.ID, 1, nil, "Robin"); err != nil {
		t.Fatalf("ChooseTarget: %v", err)
	}
	req, _ = h.st.Request(t.Context(), req.ID)
	if req.Status != workflows.StatusDrafted || len(req.Drafts) != 1 || req.Drafts[0].Kind != workflows.DraftIntroduction {
		t.Fatalf("after the choice: status %s, drafts %+v", req.Status, req.Drafts)
	}
	optIn := true
	if err := h.p.ChooseTarget(t.Context(), req.ID, 0, &optIn, "Robin"); err != nil {
		t.Fatalf("ChooseTarget opt-in: %v", err)
	}
	req, _ = h.st.Request(t.Context(), req.ID)
	var kinds []workflows.DraftKind
	for _, d := range req.Drafts {
		if d.Status == workflows.DraftAwaiting {
			kinds = append(kinds, d.Kind)
		}
	}
	if !slices.Equal(kinds, []workflows.DraftKind{workflows.DraftIntroConsent}) {
		t.Errorf("awaiting drafts %v, want only the consent request", kinds)
	}
	intro, _ := h.st.Introduction(t.Context(), req.ID)
	if intro.TargetChosenBy != "Robin" || !intro.OptIn || intro.State != store.IntroAwaitingConsent {
		t.Errorf("introduction %+v", intro)
	}
	if err := h.p.ChooseTarget(t.Context(), req.ID, 2, nil, "Robin"); err == nil {
		t.Error("choosing the requester's own group (Pflugerville Votes) succeeded")
	}
}
