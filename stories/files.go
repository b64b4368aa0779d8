// Package stories turns a submission (a story, photos, videos, share links
// sent for the press team) into what the press team uses: the files a
// person sent, with winmail.dat opened; the story text without quoted
// replies and signatures; the share links; the groups named; where and when
// the action happened; and whether the sender allowed publication. It does
// no I/O.
package stories

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"path"
	"strings"

	"switchboard/media"
	"switchboard/tnef"
	"switchboard/workflows"
)

// File is one file a person sent: an attachment or inline part, or a file
// found inside a winmail.dat. Position is the order in the message.
type File struct {
	Position    int
	Filename    string
	ContentType string // sniffed from the bytes, not only as declared
	Data        []byte
	SHA256      string // hex
	Inline      bool
	ContentID   string
	// Container names the part the file came out of ("winmail.dat"), or "".
	Container string
	Note      string
}

// Kind says what a file is to the press team.
func (f File) Kind() string {
	switch {
	case media.IsImage(f.ContentType):
		return "image"
	case media.IsVideo(f.ContentType):
		return "video"
	}
	return "file"
}

// Files lists the files the sender sent: every part mailin judged Sent
// (inline and unreferenced images included), each winmail.dat replaced by
// the files inside it. A winmail.dat that does not decode is kept as it is,
// with a note.
func Files(in *workflows.Inbound) []File {
	var out []File
	add := func(f File) {
		f.Position = len(out)
		h := sha256.Sum256(f.Data)
		f.SHA256 = hex.EncodeToString(h[:])
		out = append(out, f)
	}
	for _, a := range in.Attachments {
		if !a.Sent {
			continue
		}
		ct := media.Sniff(a.Data, a.ContentType, a.Filename)
		f := File{Filename: a.Filename, ContentType: ct, Data: a.Data, Inline: a.Inline, ContentID: a.ContentID, Note: a.Note}
		if ct != "application/ms-tnef" {
			add(f)
			continue
		}
		inner, err := tnef.Decode(a.Data)
		if len(inner) == 0 {
			if err == nil {
				err = fmt.Errorf("no files inside")
			}
			f.Note = joinNote(f.Note, "winmail.dat could not be opened: "+err.Error())
			add(f)
			continue
		}
		for i, t := range inner {
			name := t.Name
			if name == "" {
				name = fmt.Sprintf("winmail-%d", i+1)
			}
			g := File{Filename: name, Data: t.Data, Container: a.Filename, Note: a.Note}
			g.ContentType = media.Sniff(t.Data, t.ContentType, name)
			if g.ContentType == "application/octet-stream" {
				if byExt := mime.TypeByExtension(strings.ToLower(path.Ext(name))); byExt != "" {
					g.ContentType, _, _ = mime.ParseMediaType(byExt)
				}
			}
			if err != nil {
				g.Note = joinNote(g.Note, "winmail.dat is damaged: "+err.Error())
			}
			add(g)
		}
	}
	return out
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
