package tnef

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
	"unicode/utf16"
)

// stream builds a TNEF stream from attributes, as Outlook writes it.
type stream struct{ bytes.Buffer }

func newStream() *stream {
	s := &stream{}
	binary.Write(s, binary.LittleEndian, uint32(signature))
	binary.Write(s, binary.LittleEndian, uint16(0x0106))
	return s
}

func (s *stream) attr(level byte, id uint32, val []byte) *stream {
	s.WriteByte(level)
	binary.Write(s, binary.LittleEndian, id)
	binary.Write(s, binary.LittleEndian, uint32(len(val)))
	s.Write(val)
	binary.Write(s, binary.LittleEndian, checksum(val))
	return s
}

// unicodeProps encodes a MAPI property list with one PT_UNICODE property.
func unicodeProps(id uint16, v string) []byte {
	var b bytes.Buffer
	le := func(x any) { binary.Write(&b, binary.LittleEndian, x) }
	le(uint32(2))
	le(uint32(ptLong) | uint32(0x0E21)<<16) // PR_ATTACH_NUM, a fixed-size value first
	le(uint32(7))
	le(uint32(ptUnicode) | uint32(id)<<16)
	le(uint32(1))
	u := append(utf16.Encode([]rune(v)), 0)
	le(uint32(len(u) * 2))
	le(u)
	for b.Len()%4 != 0 {
		b.WriteByte(0)
	}
	return b.Bytes()
}

func TestDecode(t *testing.T) {
	jpeg := []byte("\xff\xd8\xff\xe0 photo bytes \xff\xd9")
	pdf := []byte("%PDF-1.4 flyer")
	s := newStream().
		attr(1, 0x00078008, []byte("IPM.Microsoft Mail.Note\x00")).
		attr(2, 0x00069002, make([]byte, 14)).
		attr(2, 0x00018010, []byte("IMG_04~1.JPG\x00")).
		attr(2, 0x0006800F, jpeg).
		attr(2, 0x00069005, unicodeProps(prAttachLongFilename, "Peña Park rally.jpg")).
		attr(2, 0x00069002, make([]byte, 14)).
		attr(2, 0x00018010, []byte("flyer.pdf\x00")).
		attr(2, 0x0006800F, pdf)
	files, err := Decode(s.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 {
		t.Fatalf("got %d files, want 2: %+v", len(files), files)
	}
	if files[0].Name != "Peña Park rally.jpg" || !bytes.Equal(files[0].Data, jpeg) {
		t.Errorf("file 0 = %q %q", files[0].Name, files[0].Data)
	}
	if files[1].Name != "flyer.pdf" || !bytes.Equal(files[1].Data, pdf) {
		t.Errorf("file 1 = %q %q", files[1].Name, files[1].Data)
	}
}

func TestDecodeDamaged(t *testing.T) {
	if _, err := Decode([]byte("not tnef at all")); !errors.Is(err, ErrNotTNEF) {
		t.Errorf("plain bytes: err = %v, want ErrNotTNEF", err)
	}
	good := newStream().
		attr(2, 0x00069002, make([]byte, 14)).
		attr(2, 0x00018010, []byte("a.jpg\x00")).
		attr(2, 0x0006800F, []byte("first")).
		attr(2, 0x00069002, make([]byte, 14)).
		attr(2, 0x00018010, []byte("b.jpg\x00")).
		attr(2, 0x0006800F, []byte("second file, cut short")).Bytes()
	files, err := Decode(good[:len(good)-10])
	if err == nil {
		t.Error("truncated stream: no error")
	}
	if len(files) < 1 || files[0].Name != "a.jpg" {
		t.Errorf("truncated stream: files before the cut are lost: %+v", files)
	}
	bad := append([]byte(nil), good...)
	bad[len(bad)-1] ^= 0xFF // checksum of the last attribute
	files, err = Decode(bad)
	if err == nil || len(files) != 2 {
		t.Errorf("bad checksum: %d files, err %v; want both files and an error", len(files), err)
	}
	// Garbage never panics.
	for i := range good {
		Decode(good[:i])
	}
}
