package main

import (
	"archive/zip"
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"io"
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
	n, err := exportStory(ctx, blobs, s, file)
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
