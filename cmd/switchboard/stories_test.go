package main

import (
	"archive/zip"
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchboard/blobstore"
	"switchboard/media"
	"switchboard/store"
)

// TestExportStoryZip checks the press zip: the press copy of a photo (not
// the original), a video as sent, no copy for an image without a preview,
// and story.txt with the credit and without the sender's address.
func TestExportStoryZip(t *testing.T) {
	ctx := context.Background()
	blobs, err := blobstore.Open(ctx, "mem://")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 4)), nil)
	preview, _, _, _ := blobs.Put(ctx, buf.Bytes(), "image/jpeg")
	orig, _, _, _ := blobs.Put(ctx, []byte("original with GPS"), "image/jpeg")
	video, _, _, _ := blobs.Put(ctx, []byte("\x00\x00\x00\x18ftypisom"), "video/mp4")
	s := store.Story{ID: 7, Subject: "Rally", Body: "We rallied.", SenderName: "Ana", SenderEmail: "ana@example.com",
		Credit: "Ana Ruiz / Winooski Votes", Consent: "given", Status: "approved",
		Assets: []store.Asset{
			{Position: 0, Kind: "image", Filename: "IMG_1.HEIC", OriginalKey: orig, PreviewKey: preview, Width: 8, Height: 4},
			{Position: 1, Kind: "video", Filename: "clip.mp4", OriginalKey: video},
			{Position: 2, Kind: "image", Filename: "broken.HEIC", OriginalKey: orig, Note: "no preview"},
		}}
	file := filepath.Join(t.TempDir(), "story.zip")
	n, err := exportStory(ctx, blobs, s, file, false)
	if err != nil || n != 2 {
		t.Fatalf("export: %d files, %v", n, err)
	}
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	got := map[string][]byte{}
	for _, f := range zr.File {
		r, _ := f.Open()
		got[f.Name], _ = io.ReadAll(r)
		r.Close()
	}
	if len(got) != 3 {
		t.Errorf("zip holds %d entries: %v", len(got), got)
	}
	if m := media.ReadMeta(got["01-IMG_1.jpg"]); m.EXIF || !bytes.Equal(got["01-IMG_1.jpg"], buf.Bytes()) {
		t.Errorf("01-IMG_1.jpg is not the press copy")
	}
	if _, ok := got["02-clip.mp4"]; !ok {
		t.Errorf("video missing")
	}
	txt := string(got["story.txt"])
	if !strings.Contains(txt, "Credit: Ana Ruiz / Winooski Votes") || !strings.Contains(txt, "We rallied.") || strings.Contains(txt, "ana@example.com") {
		t.Errorf("story.txt = %q", txt)
	}
}

// TestExportStoryZipKeepsFiles checks that export never damages a file: an
// existing file is refused without --overwrite, a failed export (a missing
// blob) leaves the existing zip as it was and no temporary file, and the
// missing blob is explained.
func TestExportStoryZipKeepsFiles(t *testing.T) {
	ctx := context.Background()
	blobs, err := blobstore.Open(ctx, "mem://")
	if err != nil {
		t.Fatal(err)
	}
	video, _, _, _ := blobs.Put(ctx, []byte("\x00\x00\x00\x18ftypisom"), "video/mp4")
	good := store.Story{ID: 7, Subject: "Rally", Body: "We rallied.", Consent: "given",
		Assets: []store.Asset{{Position: 0, Kind: "video", Filename: "clip.mp4", OriginalKey: video}}}
	broken := good
	broken.Assets = []store.Asset{{Position: 0, Kind: "video", Filename: "gone.mp4", OriginalKey: "sha256/00/missing"}}
	dir := t.TempDir()
	file := filepath.Join(dir, "story.zip")
	if _, err := exportStory(ctx, blobs, good, file, false); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(file)
	other := filepath.Join(dir, "notes.txt")
	os.WriteFile(other, []byte("unrelated"), 0o644)

	if _, err := exportStory(ctx, blobs, good, other, false); err == nil || !strings.Contains(err.Error(), "--overwrite") {
		t.Errorf("export over an existing file: %v, want a refusal naming --overwrite", err)
	}
	if b, _ := os.ReadFile(other); string(b) != "unrelated" {
		t.Errorf("the unrelated file became %q", b)
	}
	_, err = exportStory(ctx, blobs, broken, file, true)
	if err == nil {
		t.Fatal("export with a missing blob succeeded")
	}
	if msg := missingBlobHint(err, "file://./blobs").Error(); !strings.Contains(msg, "SWITCHBOARD_BLOB_URL") || !strings.Contains(msg, "serve") || !strings.Contains(msg, "working directory") {
		t.Errorf("missing blob error = %q", msg)
	}
	if b, _ := os.ReadFile(file); !bytes.Equal(b, want) {
		t.Errorf("a failed export changed the existing zip (%d bytes, was %d)", len(b), len(want))
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("the folder holds %d files after a failed export, want 2 (no temporary file left)", len(entries))
	}
	if _, err := exportStory(ctx, blobs, good, other, true); err != nil {
		t.Fatalf("export --overwrite: %v", err)
	}
	if zr, err := zip.OpenReader(other); err != nil {
		t.Errorf("after --overwrite: %v", err)
	} else {
		zr.Close()
	}
}

// TestStoriesCLIErrors checks what staff see for a story that does not
// exist and for an unknown status.
func TestStoriesCLIErrors(t *testing.T) {
	_, _, err := cli(t, "", "stories", "list", "--status", "bogus")
	wantUsage(t, err, `"bogus"`, "new", "approved", "rejected")
	dsn := newDatabaseURL(t, false)
	mustCLI(t, dsn, "migrate")
	for _, sub := range [][]string{{"show", "999"}, {"approve", "999", "--by", "x"}, {"export", "999", "--zip", filepath.Join(t.TempDir(), "x.zip")}} {
		_, _, err := cli(t, dsn, append([]string{"stories"}, sub...)...)
		if err == nil || err.Error() != "story 999 does not exist: see switchboard stories list" {
			t.Errorf("stories %s: %v", strings.Join(sub, " "), err)
		}
	}
}
