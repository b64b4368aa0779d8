package media

import (
	"bytes"
	"encoding/binary"
)

// Meta is what an image file says about itself that Switchboard acts on.
type Meta struct {
	// Orientation is the EXIF Orientation tag (0x0112), 1..8; 0 when absent
	// (CIPA DC-008 §4.6.4, Exif 2.32).
	Orientation int
	// EXIF is true when the file carries an EXIF block at all.
	EXIF bool
	// GPS is true when the EXIF block has a GPS IFD (tag 0x8825).
	GPS bool
	// XMP is true when a JPEG carries an XMP packet, which may hold places.
	XMP bool
}

// Located reports whether the file may reveal where it was made.
func (m Meta) Located() bool { return m.GPS || m.XMP }

// ReadMeta reads the metadata of a JPEG or HEIF/HEIC file. Unknown formats
// and damaged blocks give the zero Meta.
func ReadMeta(data []byte) Meta {
	if len(data) > 2 && data[0] == 0xFF && data[1] == 0xD8 {
		return jpegMeta(data)
	}
	if isISOBMFF(data) {
		// The HEIF Exif item ([ISO/IEC 23008-12] §A.2.1) is a 4-byte
		// offset and a TIFF block, sometimes behind "Exif\0\0": take the
		// first TIFF header whose IFD0 reads.
		for _, sig := range [][]byte{[]byte("MM\x00*"), []byte("II*\x00")} {
			for i := 0; i < len(data); {
				j := bytes.Index(data[i:], sig)
				if j < 0 {
					break
				}
				if m := tiffMeta(data[i+j:]); m.Orientation != 0 || m.GPS {
					return m
				}
				i += j + 1
			}
		}
	}
	return Meta{}
}

// jpegMeta walks the JPEG markers up to the first scan (ITU T.81 §B.1.1.4).
func jpegMeta(data []byte) Meta {
	var m Meta
	pos := 2
	for pos+4 <= len(data) {
		if data[pos] != 0xFF {
			return m
		}
		marker := data[pos+1]
		if marker == 0xFF { // fill byte
			pos++
			continue
		}
		if marker == 0xD8 || marker >= 0xD0 && marker <= 0xD7 || marker == 0x01 {
			pos += 2
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image
			return m
		}
		n := int(binary.BigEndian.Uint16(data[pos+2:]))
		if n < 2 || pos+2+n > len(data) {
			return m
		}
		seg := data[pos+4 : pos+2+n]
		if marker == 0xE1 {
			switch {
			case bytes.HasPrefix(seg, []byte("Exif\x00\x00")):
				e := tiffMeta(seg[6:])
				m.EXIF, m.Orientation, m.GPS = true, e.Orientation, e.GPS
			case bytes.HasPrefix(seg, []byte("http://ns.adobe.com/xap/1.0/")):
				m.XMP = true
			}
		}
		pos += 2 + n
	}
	return m
}

// tiffMeta reads IFD0 of a TIFF-structured EXIF block (TIFF 6.0 §2).
func tiffMeta(t []byte) Meta {
	if len(t) < 8 {
		return Meta{}
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return Meta{}
	}
	m := Meta{EXIF: true}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return m
	}
	n := int(bo.Uint16(t[off:]))
	for i := 0; i < n; i++ {
		e := off + 2 + 12*i
		if e+12 > len(t) {
			break
		}
		switch bo.Uint16(t[e:]) {
		case 0x0112:
			if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				m.Orientation = v
			}
		case 0x8825:
			m.GPS = true
		}
	}
	return m
}

// isISOBMFF reports whether data starts with an ISO base media "ftyp" box
// (HEIF, MP4, QuickTime).
func isISOBMFF(data []byte) bool {
	return len(data) >= 12 && string(data[4:8]) == "ftyp"
}

// brand returns the major brand of an ISO base media file, "" if none.
func brand(data []byte) string {
	if !isISOBMFF(data) {
		return ""
	}
	return string(data[8:12])
}

// heifTransforms reports whether a HEIF file's meta box carries an irot or
// imir property, which the decoder applies itself ([ISO/IEC 23008-12]
// §6.5.10-12); EXIF Orientation must then not be applied again.
func heifTransforms(data []byte) bool {
	pos := 0
	for pos+8 <= len(data) {
		size := int(binary.BigEndian.Uint32(data[pos:]))
		typ := string(data[pos+4 : pos+8])
		if size < 8 || pos+size > len(data) {
			size = len(data) - pos
		}
		if typ == "meta" {
			box := data[pos : pos+size]
			return bytes.Contains(box, []byte("irot")) || bytes.Contains(box, []byte("imir"))
		}
		pos += size
	}
	return false
}
