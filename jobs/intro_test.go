package jobs_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"switchboard/internal/testcorpus"
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
	for id, problem := range map[int64]string{7: "facebook_only", 8: "twitter_dormant", 9: "url_broken",
		12: "phone_full", 16: "email_bounced(public)", 21: "email_bounced(public)"} {
		if !slices.Contains(broken[id], problem) {
			t.Errorf("group %d listing problems = %v, want %s", id, broken[id], problem)
		}
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
