package workflows

import (
	"strconv"
	"strings"
)

// damageWords are what mailin's notes say of a part that arrived incomplete
// (cut off with the message, bad base64, a JPEG without its end): see
// mailin's damage.
var damageWords = []string{"truncated", "damaged", "incomplete", "undecodable", "could not be decoded"}

// Damaged reports whether the part arrived incomplete, by its note, so the
// sender should be asked to send it again.
func (a Attachment) Damaged() bool {
	n := strings.ToLower(a.Note)
	for _, w := range damageWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// incompleteFiles names the files the sender sent that arrived incomplete,
// each once, in order; a file without a name is "file N" by its place.
func incompleteFiles(in *Inbound) []string {
	var out []string
	n := 0
	for _, a := range in.Attachments {
		if !a.Sent {
			continue
		}
		n++
		if !a.Damaged() {
			continue
		}
		name := strings.TrimSpace(a.Filename)
		if name == "" {
			name = "file " + strconv.Itoa(n)
		}
		out = append(out, name)
	}
	return out
}
