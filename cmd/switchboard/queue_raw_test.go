package main

import "testing"

func TestEscapeTerminal(t *testing.T) {
	for in, want := range map[string]string{
		"plain text\nline two\ttab":   "plain text\nline two\ttab",
		"crlf\r\nlone\rcr":            "crlf\nlone\\x0dcr",
		"\x1b[31mred\x07\x00\x7f":     `\x1b[31mred\x07\x00\x7f`,
		"c1 \u009b csi, bidi \u202e!": `c1 \u009b csi, bidi \u202e!`,
		"bad utf-8 \xff\xfe, José ok": `bad utf-8 \xff\xfe, José ok`,
	} {
		if got := escapeTerminal([]byte(in)); got != want {
			t.Errorf("escapeTerminal(%q) = %q, want %q", in, got, want)
		}
	}
}
