package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"io"
	"net/http"
	"strings"
	"testing"

	"switchboard/media"
)

// TestStoriesGallery covers the press team's gallery: who sees which
// stories, the thumbnail served inline under a strict policy, the press
// copies as downloads, the zip, and approval by staff only.
func TestStoriesGallery(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	madison, err := e.st.StoryIDByRequest(ctx, e.requestID("Photos from our joint rally in Madison"))
	if err != nil {
		t.Fatal(err)
	}
	boise, err := e.st.StoryIDByRequest(ctx, e.requestID("Photos from our rally in Boise"))
	if err != nil {
		t.Fatal(err)
	}
	staff, press := e.login("staff@example.org"), e.login("press@example.org")
	m := fmt.Sprintf("/stories/%d", madison)

	t.Run("press sees no new story", func(t *testing.T) {
		r := press.get("/stories")
		if r.Code != 200 || strings.Contains(r.Body, "Photos from our joint rally") || !strings.Contains(r.Body, "No approved story yet") {
			t.Errorf("press gallery before approval: %d %s", r.Code, r.Body)
		}
		for _, p := range []string{m + "/zip", m + "/files/0", m + "/files/0/thumb"} {
			if r := press.get(p); r.Code != 404 {
				t.Errorf("press GET %s of a new story: %d, want 404", p, r.Code)
			}
		}
	})
	t.Run("press cannot approve", func(t *testing.T) {
		if r := press.post(m+"/approve", press.form()); r.Code != 403 {
			t.Errorf("got %d, want 403", r.Code)
		}
	})
	t.Run("staff approves", func(t *testing.T) {
		r := staff.get("/stories?status=new")
		if !strings.Contains(r.Body, fmt.Sprintf(`id="approve-story-%d"`, madison)) {
			t.Fatalf("no approve button for story %d: %s", madison, r.Body)
		}
		r = staff.post(m+"/approve", staff.form())
		if r.Code != 303 {
			t.Fatalf("approve: %d %s", r.Code, r.Body)
		}
		if r := staff.post(m+"/approve", staff.form()); r.Code != 409 {
			t.Errorf("approving twice: %d, want 409", r.Code)
		}
		b := fmt.Sprintf("/stories/%d/approve", boise) // consent unknown
		if r := staff.post(b, staff.form()); r.Code != 400 || !strings.Contains(r.Body, "permission") {
			t.Errorf("approving without permission: %d, want 400", r.Code)
		}
		if st, _ := e.st.Story(ctx, boise); st.Status != "new" {
			t.Errorf("story without permission is %s", st.Status)
		}
	})
	t.Run("press gallery", func(t *testing.T) {
		r := press.get("/stories")
		for _, want := range []string{"Photos from our joint rally in Madison", "Credit: <b class=\"credit\">Madison Rising</b>",
			"Permission to publish: given", m + "/files/0/thumb", m + "/zip", "Groups: Madison Rising"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("press gallery lacks %q", want)
			}
		}
		for _, not := range []string{"marcus.whitfield@example.com", "Photos from our rally in Boise", "approve-story", "/requests/"} {
			if strings.Contains(r.Body, not) {
				t.Errorf("press gallery shows %q", not)
			}
		}
	})
	t.Run("thumbnail inline, strict", func(t *testing.T) {
		r := press.get(m + "/files/0/thumb")
		h := r.Header
		if r.Code != 200 || h.Get("Content-Type") != "image/jpeg" || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Content-Security-Policy") != "default-src 'none'; sandbox" || !strings.HasPrefix(h.Get("Content-Disposition"), "inline") {
			t.Fatalf("thumbnail: %d %v", r.Code, h)
		}
		img, err := jpeg.Decode(strings.NewReader(r.Body))
		if err != nil || img.Bounds().Dx() == 0 {
			t.Errorf("thumbnail is not a JPEG: %v", err)
		}
	})
	t.Run("press copy download", func(t *testing.T) {
		r := press.get(m + "/files/0")
		if r.Code != 200 || r.Header.Get("Content-Type") != "application/octet-stream" ||
			r.Header.Get("Content-Disposition") != "attachment; filename=01-rally.jpg" {
			t.Fatalf("press copy: %d %v", r.Code, r.Header)
		}
		if meta := media.ReadMeta([]byte(r.Body)); meta.EXIF {
			t.Errorf("the press copy carries EXIF")
		}
		if r := press.get(m + "/files/9"); r.Code != 404 {
			t.Errorf("missing file: %d", r.Code)
		}
	})
	t.Run("zip", func(t *testing.T) {
		r := press.get(m + "/zip")
		if r.Code != 200 || r.Header.Get("Content-Disposition") != fmt.Sprintf("attachment; filename=story-%d.zip", madison) {
			t.Fatalf("zip: %d %v", r.Code, r.Header)
		}
		zr, err := zip.NewReader(bytes.NewReader([]byte(r.Body)), int64(len(r.Body)))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, f := range zr.File {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			got[f.Name] = string(b)
		}
		if _, ok := got["01-rally.jpg"]; !ok || len(got) != 2 {
			t.Errorf("zip holds %d files", len(got))
		}
		if txt := got["story.txt"]; !strings.Contains(txt, "Credit: Madison Rising") || strings.Contains(txt, "marcus.whitfield@") {
			t.Errorf("story.txt = %q", txt)
		}
	})
	t.Run("staff sees new stories, press still not", func(t *testing.T) {
		b := fmt.Sprintf("/stories/%d/zip", boise)
		if r := staff.get(b); r.Code != 200 {
			t.Errorf("staff zip of a new story: %d", r.Code)
		}
		if r := press.get(b); r.Code != 404 {
			t.Errorf("press zip of a new story: %d", r.Code)
		}
		if r := staff.get("/stories?status=bogus"); r.Code != 400 {
			t.Errorf("bad filter: %d", r.Code)
		}
	})
	t.Run("press still cannot open the queue or a request", func(t *testing.T) {
		for _, p := range []string{"/queue", fmt.Sprintf("/requests/%d", e.requestID("Photos from our joint rally in Madison"))} {
			if r := press.get(p); r.Code != http.StatusForbidden {
				t.Errorf("press GET %s: %d", p, r.Code)
			}
		}
	})
}

// TestDraftAttachmentDownload checks that the list reply's CSV is listed on
// the request page and downloads with exactly the bytes that will be sent.
func TestDraftAttachmentDownload(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	staff, press := e.login("staff@example.org"), e.login("press@example.org")
	id := e.requestID("Groups in Boise?")
	d, err := e.st.Request(ctx, id)
	if err != nil || len(d.Drafts) == 0 {
		t.Fatalf("request %d: %v", id, err)
	}
	draft := d.Drafts[0]
	files, err := e.st.DraftAttachments(ctx, draft.ID)
	if err != nil || len(files) == 0 {
		t.Fatalf("draft %d has no attachment: %v", draft.ID, err)
	}
	page := staff.get(fmt.Sprintf("/requests/%d", id)).Body
	link := fmt.Sprintf(`href="/drafts/%d/attachments/1" download>%s</a>`, draft.ID, files[0].Filename)
	if !strings.Contains(page, link) {
		t.Fatalf("request page lacks %s", link)
	}
	r := staff.get(fmt.Sprintf("/drafts/%d/attachments/1", draft.ID))
	if r.Code != 200 || r.Body != string(files[0].Data) || r.Header.Get("Content-Type") != "application/octet-stream" ||
		r.Header.Get("Content-Disposition") != "attachment; filename="+files[0].Filename || r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("download: %d %v %q", r.Code, r.Header, r.Body)
	}
	for _, p := range []string{"/attachments/0", "/attachments/2", "/attachments/x"} {
		if r := staff.get(fmt.Sprintf("/drafts/%d", draft.ID) + p); r.Code != 404 {
			t.Errorf("GET draft %s: %d, want 404", p, r.Code)
		}
	}
	if r := press.get(fmt.Sprintf("/drafts/%d/attachments/1", draft.ID)); r.Code != 403 {
		t.Errorf("press: %d, want 403", r.Code)
	}
}
