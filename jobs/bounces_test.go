package jobs_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"switchboard/internal/testcorpus"
	"switchboard/workflows"
)

// TestBounceFlagsListedAddress: a bounce of our mail (SES shape, lower-case
// header and report fields) whose failed recipient is a group's listed
// address closes without a reply and flags that address as bounced.
func TestBounceFlagsListedAddress(t *testing.T) {
	h := newHarness(t)
	raw, err := os.ReadFile(filepath.Join("testdata", "bounce_ses_lowercase.eml"))
	if err != nil {
		t.Fatal(err)
	}
	req := h.process(t, raw)
	if req.Kind != workflows.KindBounce || req.Status != workflows.StatusClosed || len(req.Drafts) != 0 {
		t.Fatalf("SES bounce: kind %s, status %s, %d drafts", req.Kind, req.Status, len(req.Drafts))
	}
	h.process(t, raw) // a second run flags nothing new
	ls, err := h.st.BrokenListings(t.Context(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 1 || ls[0].GroupID != 1 || ls[0].ContactStatus != "bounced" || ls[0].Reports != 1 ||
		!slices.Equal([]string(ls[0].Problems), []string{"email_bounced(public)"}) {
		t.Errorf("broken listings = %+v, want group 1 bounced once", ls)
	}
}

// TestForwardedBounceIsEvidence: s15 forwards an old bounce as evidence; it
// is an introduction request whose evidence flags the target's listing as
// reported broken, not a bounce of ours.
func TestForwardedBounceIsEvidence(t *testing.T) {
	dir := testcorpus.Dir(t)
	h := newHarness(t)
	raw, err := os.ReadFile(filepath.Join(dir, "s15_intro_forwarded_rfc822_gmail.eml"))
	if err != nil {
		t.Fatal(err)
	}
	req := h.process(t, raw)
	if req.Kind != workflows.KindIntroduction {
		t.Fatalf("s15 kind %s, want introduction", req.Kind)
	}
	ls, err := h.st.BrokenListings(t.Context(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 1 || ls[0].GroupID != 16 || ls[0].ContactStatus != "reported_broken" {
		t.Errorf("broken listings = %+v, want Denver Metro Tenants Table reported broken", ls)
	}
}
