package main

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// rawHeadBytes is how much of an unparseable message `queue show` prints.
const rawHeadBytes = 2048

// printRawHead prints the first rawHeadBytes of a raw message, escaped by
// escapeTerminal, for a message that could not be parsed.
func printRawHead(w io.Writer, raw []byte) error {
	head, more := raw, ""
	if len(head) > rawHeadBytes {
		head, more = head[:rawHeadBytes], fmt.Sprintf("\n[… %d more bytes not shown]", len(raw)-rawHeadBytes)
	}
	_, err := fmt.Fprintf(w, "\n--- raw message: first %d of %d bytes, control bytes escaped ---\n%s%s\n--- end of raw message ---\n",
		len(head), len(raw), escapeTerminal(head), more)
	return err
}

// esc is escapeTerminal for a string taken from a message.
func esc(s string) string { return escapeTerminal([]byte(s)) }

// escapeTerminal makes arbitrary bytes safe to print on a terminal: line
// feeds and tabs stay, a CR before LF is dropped, and every other control
// character (C0, DEL, C1 such as CSI), bidirectional or invisible format
// character, and byte that is not UTF-8 is written as a Go escape (\x1b,
// \u202e), so no escape sequence of the message reaches the terminal.
func escapeTerminal(b []byte) string {
	var sb strings.Builder
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&sb, `\x%02x`, b[i])
		case r == '\n' || r == '\t':
			sb.WriteRune(r)
		case r == '\r' && i+1 < len(b) && b[i+1] == '\n':
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&sb, `\x%02x`, r)
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || !unicode.IsPrint(r) && r != ' ':
			fmt.Fprintf(&sb, `\u%04x`, r)
		default:
			sb.WriteRune(r)
		}
		i += n
	}
	return sb.String()
}
