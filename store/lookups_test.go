package store

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"slices"
	"testing"

	"switchboard/workflows"
)

func TestRadiusAndNearest(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	importDemo(t, s)
	// Austin's Census internal point (directory/data/places.csv).
	lat, lon := 30.3006, -97.7517
	near, err := s.GroupsNear(ctx, lat, lon, 25)
	if err != nil || len(near) == 0 {
		t.Fatalf("GroupsNear = %d, %v", len(near), err)
	}
	var want int
	if err := s.db.Get(&want, `SELECT count(*) FROM groups WHERE status = 'active' AND
		2 * 3958.8 * asin(sqrt(sin(radians(latitude - $1) / 2) ^ 2 + cos(radians($1)) * cos(radians(latitude)) *
		sin(radians(longitude - $2) / 2) ^ 2)) <= 25`, lat, lon); err != nil {
		t.Fatal(err)
	}
	if len(near) != want {
		t.Errorf("GroupsNear = %d groups, haversine says %d", len(near), want)
	}
	for i := 1; i < len(near); i++ {
		if near[i-1].City > near[i].City || near[i-1].City == near[i].City && near[i-1].Name > near[i].Name {
			t.Errorf("not ordered by city, name at %d", i)
		}
	}
	nearest, err := s.NearestGroups(ctx, lat, lon, 3)
	if err != nil || len(nearest) != 3 || nearest[0].Miles > nearest[2].Miles || nearest[2].Miles > 25 {
		t.Errorf("NearestGroups = %+v, %v", nearest, err)
	}
	counts, err := s.CityGroupCounts(ctx, "springfield", []string{"MO", "IL", "VT"})
	if err != nil || counts["MO"] != 3 || counts["IL"] != 1 || counts["VT"] != 0 {
		t.Errorf("CityGroupCounts = %v, %v", counts, err)
	}
	two, err := s.GroupsInDistricts(ctx, []string{"NY-10", "NY-12"})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for _, g := range two {
		if seen[g.ID] {
			t.Errorf("group %d listed twice", g.ID)
		}
		seen[g.ID] = true
	}
	if last, err := s.LastGroupImport(ctx); err != nil || last.IsZero() {
		t.Errorf("LastGroupImport = %v, %v", last, err)
	}
}

func TestDraftAttachmentsApproveAndClaim(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	csvFile := workflows.NewDraftAttachment("groups-austin-tx.csv", "text/csv; charset=utf-8", []byte("name\r\nA\r\n"))
	rid, _ := newRequestWith(t, s, "att2@example.net", []workflows.DraftAttachment{csvFile})
	d, err := s.Request(ctx, rid)
	if err != nil || len(d.Drafts) != 1 || len(d.Drafts[0].Attachments) != 1 || d.Drafts[0].Attachments[0].SHA256 != csvFile.SHA256 {
		t.Fatalf("Request drafts = %+v, %v", d.Drafts, err)
	}
	if err := s.Approve(ctx, rid, "staff"); err != nil {
		t.Fatal(err)
	}
	claimed, err := s.ClaimDraftForSend(ctx, d.Drafts[0].ID, "x1@network.example.org")
	if err != nil {
		t.Fatalf("claim after approval: %v", err)
	}
	files, err := s.DraftAttachments(ctx, claimed.ID)
	if err != nil || len(files) != 1 || !bytes.Equal(files[0].Data, csvFile.Data) || files[0].Filename != csvFile.Filename {
		t.Errorf("DraftAttachments = %+v, %v", files, err)
	}
}

// newRequestWith stores a message and a list request whose one draft has
// files attached.
func newRequestWith(t *testing.T, s *Store, mid string, files []workflows.DraftAttachment) (int64, int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.SaveFetched(ctx, RawMessage{Mailbox: "support@example.org", UIDValidity: 2, UID: uint32(len(mid)),
		MessageID: mid, Raw: []byte("Subject: hi\r\n\r\nplease\r\n")}); err != nil {
		t.Fatal(err)
	}
	var messageID int64
	if err := s.db.Get(&messageID, `SELECT id FROM messages WHERE message_id = $1`, mid); err != nil {
		t.Fatal(err)
	}
	id, err := s.CreateRequest(ctx, NewRequest{MessageID: messageID, Status: workflows.StatusDrafted,
		Classification: workflows.Classification{Kind: workflows.KindListRequest, Kinds: []workflows.Kind{workflows.KindListRequest}},
		Drafts: []NewDraft{{Kind: workflows.DraftListReply, To: []workflows.Address{{Address: "ann@example.net"}},
			Subject: "Re: Groups", Text: "Here they are", Attachments: files}}})
	if err != nil {
		t.Fatal(err)
	}
	return id, messageID
}

func TestCorrectPlaceReplacesListDrafts(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	rid, _ := newRequestWith(t, s, "fix@example.net", nil)
	f := workflows.Fields{City: "Springfield", State: "MO"}
	nd := NewDraft{Kind: workflows.DraftListReply, To: []workflows.Address{{Address: "ann@example.net"}}, Subject: "Re: x",
		Text: "new", Attachments: []workflows.DraftAttachment{workflows.NewDraftAttachment("g.csv", "text/csv", []byte("a"))}}
	if err := s.CorrectPlace(ctx, PlaceCorrection{RequestID: rid, Fields: f, By: "staff",
		Kinds: []workflows.DraftKind{workflows.DraftListReply, workflows.DraftQuestion}, Drafts: []NewDraft{nd}}); err != nil {
		t.Fatal(err)
	}
	d, err := s.Request(ctx, rid)
	if err != nil {
		t.Fatal(err)
	}
	var statuses []workflows.DraftStatus
	for _, x := range d.Drafts {
		statuses = append(statuses, x.Status)
	}
	if d.Fields.State != "MO" || d.Status != workflows.StatusDrafted ||
		!slices.Equal(statuses, []workflows.DraftStatus{workflows.DraftRejected, workflows.DraftAwaiting}) ||
		len(d.Drafts[1].Attachments) != 1 {
		t.Errorf("after correction: fields %+v, status %s, drafts %v", d.Fields, d.Status, statuses)
	}
	if n := countRows(t, s, `SELECT count(*) FROM audit_log WHERE action = 'request.correct_place'`); n != 1 {
		t.Errorf("audit rows = %d", n)
	}
	if err := s.Approve(ctx, rid, "staff"); err != nil {
		t.Fatal(err)
	}
	if err := s.CorrectPlace(ctx, PlaceCorrection{RequestID: rid, Fields: f, By: "staff"}); !errors.Is(err, ErrConflict) {
		t.Errorf("correcting an approved request: %v, want ErrConflict", err)
	}
}

func TestExportImportsBackAndStatus(t *testing.T) {
	s := MustOpenTest(t)
	ctx := context.Background()
	importDemo(t, s)
	if err := s.SetGroupStatus(ctx, 1, "inactive", "staff"); err != nil {
		t.Fatal(err)
	}
	if g, _ := s.Group(ctx, 1); g.Status != "inactive" {
		t.Errorf("group 1 is %s", g.Status)
	}
	if err := s.SetGroupStatus(ctx, 999999, "inactive", "staff"); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetGroupStatus(999999) = %v", err)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(GroupColumns())
	if err := s.ExportGroups(ctx, w.Write); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	rep, err := s.ImportGroups(ctx, &b, "export.csv", "test")
	if err != nil || rep.Inserted != 0 || rep.Updated != 0 || len(rep.Rejected) != 0 || rep.Unchanged != rep.Total {
		t.Errorf("re-import of the export = %+v, %v; want all unchanged", rep, err)
	}
	page, err := s.Groups(ctx, GroupFilter{State: "WY", Status: "active"})
	if err != nil || len(page) == 0 {
		t.Errorf("Groups(WY) = %d, %v", len(page), err)
	}
	imps, err := s.GroupImports(ctx, 10)
	if err != nil || len(imps) != 2 || imps[0].Source != "export.csv" {
		t.Errorf("GroupImports = %+v, %v", imps, err)
	}
}
