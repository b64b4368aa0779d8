package mailin

import (
	"bytes"
	"fmt"
	"strconv"
)

// TooLargeField is the header field the poller puts first in a message it
// kept without its body because RFC822.SIZE was over Config.MaxMessageSize.
// Its value is the size the server reported and the limit, in bytes:
// "31457280; limit=26214400".
const TooLargeField = "X-Switchboard-Too-Large"

// markTooLarge returns the header block of a message (BODY.PEEK[HEADER],
// RFC 9051 §6.4.5) with TooLargeField in front of it.
func markTooLarge(header []byte, size, limit int64) []byte {
	out := fmt.Appendf(nil, "%s: %d; limit=%d\r\n", TooLargeField, size, limit)
	return append(out, header...)
}

// TooLarge reports whether raw is a message the poller kept as headers only,
// with the size the server reported and the limit then in force. Only the first line is read: the poller
// writes the field there, above the Received lines the server added.
func TooLarge(raw []byte) (size, limit int64, ok bool) {
	line := raw
	if i := bytes.IndexByte(raw, '\n'); i >= 0 {
		line = raw[:i]
	}
	name, value, found := bytes.Cut(bytes.TrimRight(line, "\r"), []byte(":"))
	if !found || string(name) != TooLargeField {
		return 0, 0, false
	}
	sz, lim, _ := bytes.Cut(value, []byte(";"))
	size, err := strconv.ParseInt(string(bytes.TrimSpace(sz)), 10, 64)
	if err != nil {
		return 0, 0, false
	}
	limit, _ = strconv.ParseInt(string(bytes.TrimPrefix(bytes.TrimSpace(lim), []byte("limit="))), 10, 64)
	return size, limit, true
}
