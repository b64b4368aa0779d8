// Package media makes what staff and the press team see of the files people
// send: it sniffs their real type, decodes images (JPEG, PNG, GIF and, in
// pure Go, HEIC), turns them upright by their EXIF orientation, and writes
// JPEG previews and thumbnails. A re-encoded JPEG carries no EXIF, XMP or
// IPTC block, so previews are also the press copies: no GPS, no places.
package media

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // registered decoders
	"image/jpeg"
	_ "image/png"
	"path"
	"strings"
	"sync"

	"github.com/gen2brain/heic"
)

// Sizes of what Render makes, in pixels on the longer side.
const (
	ThumbSize   = 320
	PreviewSize = 2048
)

// maxPixels bounds what Decode accepts, so a forged header cannot make it
// allocate gigabytes (a 50-megapixel photo is about 200 MB as RGBA).
const maxPixels = 50_000_000

// Sniff returns the media type of data from its first bytes, falling back
// to the declared type and then the file name's extension.
func Sniff(data []byte, declared, filename string) string {
	switch {
	case len(data) > 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return "image/jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	case bytes.HasPrefix(data, []byte("GIF8")):
		return "image/gif"
	case len(data) >= 6 && string(data[:4]) == "\x78\x9f\x3e\x22":
		return "application/ms-tnef"
	}
	switch b := brand(data); b {
	case "heic", "heix", "heim", "heis", "mif1", "msf1":
		return "image/heic"
	case "avif":
		return "image/avif"
	case "qt  ":
		return "video/quicktime"
	case "":
	default:
		if strings.HasPrefix(b, "3g") {
			return "video/3gpp"
		}
		return "video/mp4" // isom, mp41, mp42, M4V, dash, ...
	}
	declared = strings.ToLower(strings.TrimSpace(declared))
	if declared != "" && declared != "application/octet-stream" {
		return declared
	}
	switch strings.ToLower(path.Ext(filename)) {
	case ".heic", ".heif":
		return "image/heic"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".mov":
		return "video/quicktime"
	case ".mp4", ".m4v":
		return "video/mp4"
	case ".dat":
		if strings.EqualFold(path.Base(filename), "winmail.dat") {
			return "application/ms-tnef"
		}
	}
	return "application/octet-stream"
}

// IsImage reports whether a media type is a still image Render may read.
func IsImage(contentType string) bool {
	switch contentType {
	case "image/jpeg", "image/png", "image/gif", "image/heic", "image/heif":
		return true
	}
	return false
}

// IsVideo reports whether a media type is a video.
func IsVideo(contentType string) bool { return strings.HasPrefix(contentType, "video/") }

// heicMu serialises HEIC decodes: each runs libheif in WebAssembly and holds
// a full frame; one at a time keeps memory flat.
var heicMu sync.Mutex

// Decode decodes an image of the given (sniffed) type, upright: the EXIF
// orientation is applied unless the format applied its own.
func Decode(data []byte, contentType string) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("decode %s: panic: %v", contentType, r)
		}
	}()
	meta := ReadMeta(data)
	orient := meta.Orientation
	switch contentType {
	case "image/heic", "image/heif":
		cfg, err := heicConfig(data)
		if err != nil {
			return nil, err
		}
		if err := checkSize(cfg); err != nil {
			return nil, err
		}
		heicMu.Lock()
		img, err = heic.Decode(bytes.NewReader(data))
		heicMu.Unlock()
		if err != nil {
			return nil, fmt.Errorf("decode heic: %w", err)
		}
		if heifTransforms(data) {
			orient = 1
		}
	default:
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("decode %s: %w", contentType, err)
		}
		if err := checkSize(cfg); err != nil {
			return nil, err
		}
		img, _, err = image.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("decode %s: %w", contentType, err)
		}
	}
	return Orient(img, orient), nil
}

func heicConfig(data []byte) (cfg image.Config, err error) {
	heicMu.Lock()
	defer heicMu.Unlock()
	cfg, err = heic.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return cfg, fmt.Errorf("decode heic: %w", err)
	}
	return cfg, nil
}

func checkSize(cfg image.Config) error {
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
		return fmt.Errorf("decode image: %d×%d is not a size we read", cfg.Width, cfg.Height)
	}
	return nil
}

// Rendition is one JPEG made from an image.
type Rendition struct {
	JPEG          []byte
	Width, Height int
}

// Rendered is what Render makes of one image.
type Rendered struct {
	Width, Height int       // of the upright original
	Preview       Rendition // upright, at most PreviewSize, no metadata: the press copy
	Thumb         Rendition // upright, at most ThumbSize
}

// Render decodes an image and writes its preview and thumbnail.
func Render(data []byte, contentType string) (Rendered, error) {
	img, err := Decode(data, contentType)
	if err != nil {
		return Rendered{}, err
	}
	b := img.Bounds()
	out := Rendered{Width: b.Dx(), Height: b.Dy()}
	if out.Preview, err = encode(Fit(img, PreviewSize), 88); err != nil {
		return Rendered{}, err
	}
	if out.Thumb, err = encode(Fit(img, ThumbSize), 80); err != nil {
		return Rendered{}, err
	}
	return out, nil
}

func encode(img image.Image, quality int) (Rendition, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return Rendition{}, fmt.Errorf("encode jpeg: %w", err)
	}
	b := img.Bounds()
	return Rendition{JPEG: buf.Bytes(), Width: b.Dx(), Height: b.Dy()}, nil
}

// toRGBA copies img into a new RGBA image at the origin.
func toRGBA(img image.Image) *image.RGBA {
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Src)
	return dst
}

// Orient returns img turned upright for an EXIF orientation (1..8; other
// values leave it as is): 6 means the camera was turned 90° clockwise, so
// the picture is rotated 90° clockwise to show it.
func Orient(img image.Image, orientation int) image.Image {
	if orientation < 2 || orientation > 8 {
		return img
	}
	src := toRGBA(img)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	dw, dh := w, h
	if orientation >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var dx, dy int
			switch orientation {
			case 2: // mirrored horizontally
				dx, dy = w-1-x, y
			case 3: // rotated 180°
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored vertically
				dx, dy = x, h-1-y
			case 5: // transposed
				dx, dy = y, x
			case 6: // rotate 90° clockwise
				dx, dy = h-1-y, x
			case 7: // transverse
				dx, dy = h-1-y, w-1-x
			case 8: // rotate 90° counter-clockwise
				dx, dy = y, w-1-x
			}
			si := src.PixOffset(x, y)
			di := dst.PixOffset(dx, dy)
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
	return dst
}

// Fit scales img down (never up) so its longer side is at most size, by
// averaging each block of source pixels.
func Fit(img image.Image, size int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= size && h <= size {
		return img
	}
	dw, dh := size, h*size/w
	if h > w {
		dw, dh = w*size/h, size
	}
	dw, dh = max(dw, 1), max(dh, 1)
	src := toRGBA(img)
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for dy := 0; dy < dh; dy++ {
		y0, y1 := dy*h/dh, max((dy+1)*h/dh, dy*h/dh+1)
		for dx := 0; dx < dw; dx++ {
			x0, x1 := dx*w/dw, max((dx+1)*w/dw, dx*w/dw+1)
			var r, g, bl, a, n int
			for y := y0; y < y1; y++ {
				i := src.PixOffset(x0, y)
				for x := x0; x < x1; x++ {
					r += int(src.Pix[i])
					g += int(src.Pix[i+1])
					bl += int(src.Pix[i+2])
					a += int(src.Pix[i+3])
					i += 4
					n++
				}
			}
			o := dst.PixOffset(dx, dy)
			dst.Pix[o], dst.Pix[o+1], dst.Pix[o+2], dst.Pix[o+3] = uint8(r/n), uint8(g/n), uint8(bl/n), uint8(a/n)
		}
	}
	return dst
}
