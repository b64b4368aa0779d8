package stories

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
)

// PressStory is a stored story as the press team receives it: the text,
// credits, place, date, groups, consent, links and files. The CLI export
// and the web gallery both build it from the store's record.
type PressStory struct {
	ID              int64
	RequestID       int64
	Subject         string
	Body            string
	Credit          string
	SenderName      string
	SenderEmail     string
	City            string
	State           string
	District        string
	ActionDate      *time.Time
	DatePhrase      string
	Groups          []string
	Consent         string // given, refused, unknown
	ConsentSentence string
	Status          string // new, approved, rejected
	ApprovedBy      string
	ApprovedAt      *time.Time
	CreatedAt       time.Time
	Links           []Link
	Assets          []PressAsset
}

// PressAsset is one file of a story. PreviewKey is the press copy of an
// image (upright JPEG without metadata), ThumbKey its thumbnail, OriginalKey
// the file as sent; all are blob store keys.
type PressAsset struct {
	ID          int64
	Position    int
	Kind        string // image, video, file
	Filename    string
	ContentType string
	Size        int64
	Width       int
	Height      int
	Note        string
	OriginalKey string
	PreviewKey  string
	ThumbKey    string
}

// CreditLine is the credit to print: the one the sender gave, else their name.
func (s PressStory) CreditLine() string {
	if s.Credit != "" {
		return s.Credit
	}
	return s.SenderName
}

// Place is "City, ST (DISTRICT)" with the parts that are known.
func (s PressStory) Place() string {
	place := strings.Trim(strings.Join([]string{s.City, s.State}, ", "), ", ")
	if s.District != "" {
		place = strings.TrimSpace(place + " (" + s.District + ")")
	}
	return place
}

// PressKey is the blob key of the copy the press team may use, and its file
// name: the press copy of an image (as .jpg), a video or other file as
// sent. ok is false for an image without a press copy: the original may
// carry location data and stays with staff.
func (a PressAsset) PressKey() (key, name string, ok bool) {
	switch {
	case a.PreviewKey != "":
		return a.PreviewKey, strings.TrimSuffix(a.Filename, path.Ext(a.Filename)) + ".jpg", true
	case a.Kind == "image" || a.OriginalKey == "":
		return "", "", false
	}
	return a.OriginalKey, a.Filename, true
}

// Text is the story as the press team reads it (story.txt in the zip);
// staff adds the sender's address.
func (s PressStory) Text(staff bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Story %d: %s\n\n", s.ID, s.Subject)
	fmt.Fprintf(&b, "%s\n\n", s.Body)
	fmt.Fprintf(&b, "Credit: %s\n", s.CreditLine())
	if staff {
		fmt.Fprintf(&b, "Sent by: %s <%s>\n", s.SenderName, s.SenderEmail)
	} else {
		fmt.Fprintf(&b, "Sent by: %s\n", s.SenderName)
	}
	if place := s.Place(); place != "" {
		fmt.Fprintf(&b, "Where: %s\n", place)
	}
	if s.ActionDate != nil {
		fmt.Fprintf(&b, "When: %s (%q)\n", s.ActionDate.Format("Monday 2 January 2006"), s.DatePhrase)
	}
	if len(s.Groups) > 0 {
		fmt.Fprintf(&b, "Groups: %s\n", strings.Join(s.Groups, ", "))
	}
	fmt.Fprintf(&b, "Consent: %s", s.Consent)
	if s.ConsentSentence != "" {
		fmt.Fprintf(&b, " (%q)", s.ConsentSentence)
	}
	fmt.Fprintf(&b, "\nStatus: %s\n", s.Status)
	for _, l := range s.Links {
		fmt.Fprintf(&b, "Link (%s): %s\n", l.Service, l.URL)
	}
	for _, a := range s.Assets {
		fmt.Fprintf(&b, "File %d: %s, %s, %d bytes", a.Position+1, a.Filename, a.ContentType, a.Size)
		if a.Width > 0 {
			fmt.Fprintf(&b, ", %d×%d", a.Width, a.Height)
		}
		if a.Note != "" {
			fmt.Fprintf(&b, " [%s]", a.Note)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// BlobGetter reads a blob by key (blobstore.Store does).
type BlobGetter interface {
	Get(ctx context.Context, key string) ([]byte, error)
}

// WriteZip writes to w a zip of the story's press copies (see PressKey),
// numbered in the order they were sent, and story.txt with the credits
// (without the sender's address). It returns how many media files it wrote.
func WriteZip(ctx context.Context, w io.Writer, blobs BlobGetter, s PressStory) (n int, err error) {
	zw := zip.NewWriter(w)
	used := map[string]bool{}
	now := time.Now()
	for _, a := range s.Assets {
		key, name, ok := a.PressKey()
		if !ok {
			continue
		}
		name = uniqueName(used, fmt.Sprintf("%02d-%s", a.Position+1, safeName(name)))
		data, err := blobs.Get(ctx, key)
		if err != nil {
			return n, fmt.Errorf("zip story %d: %w", s.ID, err)
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: now})
		if err != nil {
			return n, fmt.Errorf("zip story %d: %w", s.ID, err)
		}
		if _, err := fw.Write(data); err != nil {
			return n, fmt.Errorf("zip story %d: %w", s.ID, err)
		}
		n++
	}
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: "story.txt", Method: zip.Deflate, Modified: now})
	if err != nil {
		return n, fmt.Errorf("zip story %d: %w", s.ID, err)
	}
	if _, err := io.WriteString(fw, s.Text(false)); err != nil {
		return n, fmt.Errorf("zip story %d: %w", s.ID, err)
	}
	if err := zw.Close(); err != nil {
		return n, fmt.Errorf("zip story %d: %w", s.ID, err)
	}
	return n, nil
}

// safeName makes a file name safe inside a zip: no folders, no controls.
func safeName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < ' ' {
			return '_'
		}
		return r
	}, name)
	if name == "" || name == "." || name == ".." {
		return "file"
	}
	return name
}

// uniqueName returns name, or name-2, name-3… when it is taken, and marks
// it taken.
func uniqueName(used map[string]bool, name string) string {
	out := name
	for i := 2; used[out]; i++ {
		out = fmt.Sprintf("%s-%d%s", strings.TrimSuffix(name, path.Ext(name)), i, path.Ext(name))
	}
	used[out] = true
	return out
}
