// Package tnef decodes the files inside a Transport Neutral Encapsulation
// Format stream, the winmail.dat (application/ms-tnef) that Outlook sends
// for "Rich Text" mail ([MS-OXTNEF]). It reads only what Switchboard needs:
// each attachment's name, bytes and media type.
package tnef

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
)

// signature opens every TNEF stream ([MS-OXTNEF] §2.1.3.1).
const signature = 0x223E9F78

// Attribute IDs ([MS-OXTNEF] §2.1.3.3): the low 16 bits name the attribute,
// the high 16 bits its type.
const (
	attAttachRendData = 0x9002 // starts a new attachment
	attAttachTitle    = 0x8010 // the attachment's (often 8.3) file name
	attAttachData     = 0x800F // the attachment's bytes
	attAttachment     = 0x9005 // the attachment's MAPI properties
)

// MAPI property tags read from attAttachment ([MS-OXPROPS]).
const (
	prAttachLongFilename = 0x3707
	prAttachMimeTag      = 0x370E
	prAttachFilename     = 0x3704
)

// levelAttachment marks an attachment-level attribute.
const levelAttachment = 0x02

// maxAttr bounds one attribute, so a corrupt length cannot allocate wildly.
const maxAttr = 256 << 20

// File is one attachment decoded from a TNEF stream.
type File struct {
	Name        string // the long file name when given, else the title
	ContentType string // PR_ATTACH_MIME_TAG when given, else ""
	Data        []byte
}

// ErrNotTNEF means the bytes do not start with the TNEF signature.
var ErrNotTNEF = errors.New("not a TNEF stream")

// Decode returns the attachments in data. A stream cut short returns the
// files read so far together with an error; a bad checksum is reported as
// an error after the whole stream is read.
func Decode(data []byte) ([]File, error) {
	if len(data) < 6 || binary.LittleEndian.Uint32(data) != signature {
		return nil, ErrNotTNEF
	}
	pos := 6 // signature, legacy key
	var files []File
	var cur *File
	var errs []error
	for pos < len(data) {
		if len(data)-pos < 9 {
			return flush(files, cur), fmt.Errorf("decode tnef: truncated attribute header at %d", pos)
		}
		level := data[pos]
		id := binary.LittleEndian.Uint32(data[pos+1:])
		n := binary.LittleEndian.Uint32(data[pos+5:])
		pos += 9
		if n > maxAttr || uint64(pos)+uint64(n)+2 > uint64(len(data)) {
			return flush(files, cur), fmt.Errorf("decode tnef: attribute %#x at %d runs past the end", id, pos-9)
		}
		val := data[pos : pos+int(n)]
		sum := binary.LittleEndian.Uint16(data[pos+int(n):])
		pos += int(n) + 2
		if checksum(val) != sum {
			errs = append(errs, fmt.Errorf("decode tnef: attribute %#x: bad checksum", id))
		}
		if level != levelAttachment {
			continue
		}
		switch id & 0xFFFF {
		case attAttachRendData:
			files = flush(files, cur)
			cur = &File{}
		case attAttachTitle:
			if cur == nil {
				cur = &File{}
			}
			if cur.Name == "" {
				cur.Name = cString(val)
			}
		case attAttachData:
			if cur == nil {
				cur = &File{}
			}
			cur.Data = append([]byte(nil), val...)
		case attAttachment:
			if cur == nil {
				cur = &File{}
			}
			props, err := mapiStrings(val)
			if err != nil {
				errs = append(errs, fmt.Errorf("decode tnef: attachment properties: %w", err))
			}
			if v := props[prAttachLongFilename]; v != "" {
				cur.Name = v
			} else if v := props[prAttachFilename]; v != "" && cur.Name == "" {
				cur.Name = v
			}
			if v := props[prAttachMimeTag]; v != "" {
				cur.ContentType = strings.ToLower(v)
			}
		}
	}
	return flush(files, cur), errors.Join(errs...)
}

func flush(files []File, cur *File) []File {
	if cur != nil && (cur.Data != nil || cur.Name != "") {
		files = append(files, *cur)
	}
	return files
}

// checksum is the sum of the bytes modulo 65536 ([MS-OXTNEF] §2.1.3.2).
func checksum(b []byte) uint16 {
	var s uint16
	for _, c := range b {
		s += uint16(c)
	}
	return s
}

func cString(b []byte) string {
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		b = b[:i]
	}
	return strings.TrimSpace(string(b))
}

// MAPI property types ([MS-OXCDATA] §2.11.1).
const (
	ptI2        = 0x0002
	ptLong      = 0x0003
	ptR4        = 0x0004
	ptDouble    = 0x0005
	ptCurrency  = 0x0006
	ptAppTime   = 0x0007
	ptError     = 0x000A
	ptBoolean   = 0x000B
	ptObject    = 0x000D
	ptI8        = 0x0014
	ptString8   = 0x001E
	ptUnicode   = 0x001F
	ptSysTime   = 0x0040
	ptCLSID     = 0x0048
	ptBinary    = 0x0102
	mvFlag      = 0x1000
	namedPropID = 0x8000
)

// mapiStrings reads a MAPI property list ([MS-OXTNEF] §2.1.3.4) and returns
// its single-valued string properties by property ID. It stops at the first
// property it cannot size.
func mapiStrings(b []byte) (map[uint16]string, error) {
	out := map[uint16]string{}
	r := reader{b: b}
	count := r.u32()
	for i := uint32(0); i < count && r.err == nil; i++ {
		tag := r.u32()
		typ, id := uint16(tag&0xFFFF), uint16(tag>>16)
		if id >= namedPropID { // named property: GUID, kind, then ID or name
			r.skip(16)
			if r.u32() == 0 {
				r.skip(4)
			} else {
				r.skip(int(r.u32()))
				r.align()
			}
		}
		values := uint32(1)
		base := typ &^ mvFlag
		if typ&mvFlag != 0 || base == ptString8 || base == ptUnicode || base == ptBinary || base == ptObject {
			values = r.u32()
		}
		for v := uint32(0); v < values && r.err == nil; v++ {
			switch base {
			case ptI2, ptLong, ptR4, ptError, ptBoolean:
				r.skip(4)
			case ptDouble, ptCurrency, ptAppTime, ptI8, ptSysTime:
				r.skip(8)
			case ptCLSID:
				r.skip(16)
			case ptString8, ptUnicode, ptBinary, ptObject:
				n := int(r.u32())
				val := r.bytes(n)
				r.align()
				if typ&mvFlag == 0 && values == 1 {
					switch base {
					case ptString8:
						out[id] = cString(val)
					case ptUnicode:
						out[id] = utf16String(val)
					}
				}
			default:
				return out, fmt.Errorf("unknown property type %#x", typ)
			}
		}
	}
	return out, r.err
}

func utf16String(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return strings.TrimSpace(string(utf16.Decode(u)))
}

// reader reads little-endian values, remembering the first overrun.
type reader struct {
	b   []byte
	pos int
	err error
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil || n < 0 || r.pos+n > len(r.b) {
		r.err = errors.New("property list cut short")
		return nil
	}
	v := r.b[r.pos : r.pos+n]
	r.pos += n
	return v
}

func (r *reader) u32() uint32 {
	b := r.bytes(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (r *reader) skip(n int) { r.bytes(n) }

// align skips the padding to the next 4-byte boundary.
func (r *reader) align() {
	if p := r.pos % 4; p != 0 && r.err == nil {
		r.skip(4 - p)
	}
}
