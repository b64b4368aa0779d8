package workflows

import "testing"

// TestContentHashInlineParts checks that which parts are inline is part of
// what an approval approves. (A draft without inline parts writes no
// Content-ID field at all, so its hash is what it was before they existed.)
func TestContentHashInlineParts(t *testing.T) {
	a := NewDraftAttachment("thumb.jpg", "image/jpeg", []byte("jpeg"))
	plain := Draft{To: []Address{{Address: "press@example.org"}}, Subject: "s", Text: "t", Attachments: []DraftAttachment{a}}
	withCID := plain
	b := a
	b.ContentID = "story1-thumb1@example.org"
	withCID.Attachments = []DraftAttachment{b}
	if plain.ContentHash() == withCID.ContentHash() {
		t.Error("making a part inline does not change the hash")
	}
	other := withCID
	c := b
	c.ContentID = "story2-thumb1@example.org"
	other.Attachments = []DraftAttachment{c}
	if other.ContentHash() == withCID.ContentHash() {
		t.Error("changing a Content-ID does not change the hash")
	}
}
