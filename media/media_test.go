package media

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// exifJPEG returns a w×h JPEG whose left half is red and right half blue,
// with an EXIF block holding orientation and, when gps is set, a GPS IFD
// (latitude 30.27 N), as a phone writes it.
func exifJPEG(t testing.TB, w, h, orientation int, gps bool) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{255, 0, 0, 255}
			if x >= w/2 {
				c = color.RGBA{0, 0, 255, 255}
			}
			img.Set(x, y, c)
		}
	}
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	// TIFF, big-endian: IFD0 at 8 with Orientation and GPSInfo, GPS IFD after.
	var tf bytes.Buffer
	be := func(v any) { binary.Write(&tf, binary.BigEndian, v) }
	tf.WriteString("MM\x00*")
	be(uint32(8))
	be(uint16(2))
	be([]uint16{0x0112, 3}) // Orientation, SHORT
	be(uint32(1))
	be([]uint16{uint16(orientation), 0})
	gpsTag := uint16(0x9999) // an unknown tag when there is no GPS
	if gps {
		gpsTag = 0x8825
	}
	be([]uint16{gpsTag, 4}) // GPSInfo, LONG
	be(uint32(1))
	be(uint32(8 + 2 + 2*12 + 4))
	be(uint32(0)) // no IFD1
	be(uint16(1)) // GPS IFD: GPSLatitudeRef "N"
	be([]uint16{0x0001, 2})
	be(uint32(2))
	tf.WriteString("N\x00\x00\x00")
	be(uint32(0))
	seg := append([]byte("Exif\x00\x00"), tf.Bytes()...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1}
	out = binary.BigEndian.AppendUint16(out, uint16(len(seg)+2))
	out = append(out, seg...)
	return append(out, enc.Bytes()[2:]...)
}

func TestReadMeta(t *testing.T) {
	m := ReadMeta(exifJPEG(t, 40, 20, 6, true))
	if !m.EXIF || m.Orientation != 6 || !m.GPS || !m.Located() {
		t.Errorf("meta = %+v, want EXIF, orientation 6, GPS", m)
	}
	m = ReadMeta(exifJPEG(t, 40, 20, 1, false))
	if m.GPS || m.Orientation != 1 {
		t.Errorf("meta = %+v, want orientation 1 and no GPS", m)
	}
	if m := ReadMeta([]byte("\xff\xd8\xff\xe1\xff\xff short")); m.EXIF {
		t.Errorf("damaged segment read as EXIF: %+v", m)
	}
}

// TestRenderUpright checks that an orientation-6 photo comes out upright
// (portrait, the left half of the sensor image on top) with no metadata.
func TestRenderUpright(t *testing.T) {
	src := exifJPEG(t, 400, 200, 6, true)
	r, err := Render(src, Sniff(src, "", "IMG_1.JPG"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Width != 200 || r.Height != 400 {
		t.Fatalf("upright size = %d×%d, want 200×400", r.Width, r.Height)
	}
	for name, rd := range map[string]Rendition{"preview": r.Preview, "thumb": r.Thumb} {
		if m := ReadMeta(rd.JPEG); m.EXIF || m.GPS || m.XMP {
			t.Errorf("%s carries metadata: %+v", name, m)
		}
		img, err := jpeg.Decode(bytes.NewReader(rd.JPEG))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b := img.Bounds()
		if b.Dx() >= b.Dy() {
			t.Errorf("%s is %d×%d: not portrait", name, b.Dx(), b.Dy())
		}
		top, bottom := img.At(b.Dx()/2, 2), img.At(b.Dx()/2, b.Dy()-3)
		if r, _, bl, _ := top.RGBA(); r < bl {
			t.Errorf("%s: top is not red: %v", name, top)
		}
		if r, _, bl, _ := bottom.RGBA(); bl < r {
			t.Errorf("%s: bottom is not blue: %v", name, bottom)
		}
	}
	if r.Thumb.Width > ThumbSize || r.Thumb.Height > ThumbSize {
		t.Errorf("thumb %d×%d larger than %d", r.Thumb.Width, r.Thumb.Height, ThumbSize)
	}
}

func TestOrientAll(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Set(0, 0, color.RGBA{255, 255, 255, 255}) // the marked corner
	want := map[int]image.Point{1: {0, 0}, 2: {2, 0}, 3: {2, 1}, 4: {0, 1}, 5: {0, 0}, 6: {1, 0}, 7: {1, 2}, 8: {0, 2}}
	for o, p := range want {
		out := Orient(img, o)
		if r, _, _, _ := out.At(p.X, p.Y).RGBA(); r == 0 {
			t.Errorf("orientation %d: marked corner not at %v", o, p)
		}
	}
}

func TestSniff(t *testing.T) {
	for _, c := range []struct {
		data           []byte
		declared, name string
		want           string
	}{
		{[]byte("\x00\x00\x00\x1cftypheic\x00\x00\x00\x00mif1heic"), "application/octet-stream", "a.HEIC", "image/heic"},
		{[]byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00"), "video/mp4", "v.mp4", "video/mp4"},
		{[]byte("\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00"), "application/octet-stream", "v.mov", "video/quicktime"},
		{[]byte("\x78\x9f\x3e\x22\x01\x00"), "application/octet-stream", "winmail.dat", "application/ms-tnef"},
		{[]byte("%PDF-1.4"), "application/pdf", "f.pdf", "application/pdf"},
		{[]byte("??"), "", "IMG_1.heic", "image/heic"},
	} {
		if got := Sniff(c.data, c.declared, c.name); got != c.want {
			t.Errorf("Sniff(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestDecodeRejectsGarbage(t *testing.T) {
	for _, ct := range []string{"image/jpeg", "image/heic", "image/png"} {
		if _, err := Decode([]byte("\x00\x00\x00\x1cftypheic\x00\x00\x00\x00mif1heicmiaf"), ct); err == nil {
			t.Errorf("%s: garbage decoded", ct)
		}
	}
}
