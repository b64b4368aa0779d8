package mailin

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"switchboard/internal/testcorpus"
	"switchboard/workflows"
)

func parseFile(t *testing.T, dir, name string) *workflows.Inbound {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(dir, name+"*.eml"))
	if len(matches) != 1 {
		t.Fatalf("find %s: %d matches", name, len(matches))
	}
	raw, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	in, err := Parse(raw, time.Unix(0, 0))
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return in
}

func TestParseCorpus(t *testing.T) {
	dir := testcorpus.Dir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in, err := Parse(raw, time.Unix(0, 0))
		if err != nil {
			t.Errorf("Parse(%s): %v", filepath.Base(f), err)
			continue
		}
		if in.MessageID == "" || in.MessageID != HeaderMessageID(raw) {
			t.Errorf("%s: MessageID %q, HeaderMessageID %q", filepath.Base(f), in.MessageID, HeaderMessageID(raw))
		}
		for _, s := range []string{in.Subject, in.Text, in.From.Name, in.From.Address} {
			if !utf8.ValidString(s) {
				t.Errorf("%s: invalid UTF-8 in %q", filepath.Base(f), s)
			}
		}
		if testing.Verbose() {
			sent := 0
			for _, a := range in.Attachments {
				if a.Sent {
					sent++
				}
			}
			t.Logf("%s from=%v subj=%q att=%d sent=%d dsn=%v warn=%v", filepath.Base(f)[:3], in.From, in.Subject,
				len(in.Attachments), sent, in.DSN, in.Warnings)
		}
	}
}

func TestParseCorpusFields(t *testing.T) {
	dir := testcorpus.Dir(t)
	in := parseFile(t, dir, "s07")
	if want := "Lista de grupos – CD 4 (Arizona) 🙏 gracias"; in.Subject != want {
		t.Errorf("s07 subject = %q, want %q", in.Subject, want)
	}
	if in.From.Name != "Yesenia Cárdenas" {
		t.Errorf("s07 from name = %q", in.From.Name)
	}
	in = parseFile(t, dir, "s44")
	if !strings.Contains(in.Subject, "quién") {
		t.Errorf("s44 subject = %q", in.Subject)
	}
	in = parseFile(t, dir, "s14")
	if in.From.Name != "Whitaker, Lorraine" || in.From.Address != "lwhitaker@example.com" {
		t.Errorf("s14 from = %+v", in.From)
	}
	in = parseFile(t, dir, "s16")
	if in.From.Address != "josé.núñez@example.org" || in.From.Name != "José Núñez" {
		t.Errorf("s16 from = %+v", in.From)
	}
	in = parseFile(t, dir, "s36")
	if want := "Your website’s ranking – 1st page guaranteed"; in.Subject != want {
		t.Errorf("s36 subject = %q, want %q", in.Subject, want)
	}
	in = parseFile(t, dir, "s08")
	if in.ReplyAddress().Address != "desmond.achebe@example.net" {
		t.Errorf("s08 reply address = %+v", in.ReplyAddress())
	}
	in = parseFile(t, dir, "s42")
	if !strings.Contains(in.Text, "Zoë") {
		t.Errorf("s42 text lacks Zoë: %q", in.Text)
	}
	in = parseFile(t, dir, "s32")
	if in.DSN == nil || len(in.DSN.Recipients) != 1 || in.DSN.Recipients[0].Action != "failed" || in.DSN.OriginalMessageID == "" {
		t.Errorf("s32 DSN = %+v", in.DSN)
	}
	in = parseFile(t, dir, "s33")
	if in.DSN == nil || len(in.DSN.Recipients) == 0 || in.DSN.OriginalMessageID == "" {
		t.Errorf("s33 DSN = %+v", in.DSN)
	}
	in = parseFile(t, dir, "s15")
	if in.DSN != nil || len(in.Attachments) != 1 || !in.Attachments[0].Sent {
		t.Errorf("s15 DSN = %+v, attachments = %+v", in.DSN, in.Attachments)
	}
	in = parseFile(t, dir, "s43")
	if len(in.Attachments) != 2 || in.Attachments[1].Note == "" || in.Attachments[0].Note != "" {
		t.Errorf("s43 attachments = %+v", in.Attachments)
	}
	in = parseFile(t, dir, "s21")
	if len(in.Attachments) != 1 || !in.Attachments[0].Inline || !in.Attachments[0].Sent {
		t.Errorf("s21 attachments = %+v", in.Attachments)
	}
	if in.Get("Message-Id") == "" || in.ContentType == "" {
		t.Errorf("s21 header map lacks Message-Id or ContentType is empty")
	}
}

func TestDecodeHeader(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"=?UTF-8?B?Q2Fmw6k=?=", "Café"},
		{"=?utf-8?B?SW50cm8gcXVpww==?= =?utf-8?B?qW4=?=", "Intro quién"},
		{"=?ISO-8859-1?Q?Caf=E9_au_lait?=", "Café au lait"},
		{"a =?utf-8?q?b?=  =?utf-8?q?c?= d", "a bc d"},
		{"Your website\x92s", "Your website’s"},
		{"=?bogus?X?zz?=", "=?bogus?X?zz?="},
		{"=?utf-8?B?/w==?=", "\uFFFD"},
	}
	for _, tt := range tests {
		got := DecodeHeader(tt.in)
		if got != tt.want && !(tt.want == "\uFFFD" && utf8.ValidString(got)) {
			t.Errorf("DecodeHeader(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHeaderMessageID(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"Message-ID: <a@b>\r\n\r\nbody Message-ID: <x@y>", "a@b"},
		{"Subject: x\nmessage-id:\n <folded@b>\n\n", "folded@b"},
		{"Subject: \xff\xfe\r\nMessage-Id: <c@d> (comment)\r\n\r\n", "c@d"},
		{"Subject: none\r\n\r\nMessage-ID: <body@x>", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := HeaderMessageID([]byte(tt.raw)); got != tt.want {
			t.Errorf("HeaderMessageID(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

// pngOf is a valid PNG of the given size, base64-encoded.
func pngOf(t *testing.T, w, h int) string {
	t.Helper()
	var buf bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

func TestParseSentRules(t *testing.T) {
	msg := "From: \"Doe, Jane\" <jane@example.org>\r\n" +
		"To: support@example.org\r\nSubject: photos\r\nDate: Mon, 3 Nov 2025 10:00:00 -0500\r\n" +
		"Message-ID: <m1@example.org>\r\nIn-Reply-To: <r1@example.org>\r\nReferences: <r0@example.org> <r1@example.org>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=OUT\r\n\r\n" +
		"--OUT\r\nContent-Type: multipart/related; boundary=REL\r\n\r\n" +
		"--REL\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
		"<p>Photo attached</p><img src=\"cid:px\" width=1 height=1><p>--</p><img src=\"cid:logo1\" width=\"120\" height=\"40\">\r\n" +
		"--REL\r\nContent-Type: image/png\r\nContent-ID: <px>\r\nContent-Transfer-Encoding: base64\r\n\r\n" + pngOf(t, 1, 1) + "\r\n" +
		"--REL\r\nContent-Type: image/png; name=image001.png\r\nContent-ID: <logo1>\r\nContent-Transfer-Encoding: base64\r\n\r\n" + pngOf(t, 120, 40) + "\r\n" +
		"--REL--\r\n" +
		"--OUT\r\nContent-Type: image/png; name=rally.png\r\nContent-Disposition: inline; filename=rally.png\r\nContent-Transfer-Encoding: base64\r\n\r\n" + pngOf(t, 640, 480) + "\r\n" +
		"--OUT\r\nContent-Type: application/pdf; name=flyer.pdf\r\nContent-Disposition: attachment; filename=flyer.pdf\r\n\r\n%PDF-1.4 fake\r\n" +
		"--OUT--\r\n"
	in, err := Parse([]byte(msg), time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if in.From.Name != "Doe, Jane" || len(in.References) != 2 || in.InReplyTo[0] != "r1@example.org" {
		t.Errorf("from = %+v, refs = %v, irt = %v", in.From, in.References, in.InReplyTo)
	}
	if in.Date.Year() != 2025 || !strings.Contains(in.Text, "Photo attached") {
		t.Errorf("date = %v, text = %q", in.Date, in.Text)
	}
	got := map[string]bool{}
	for _, a := range in.Attachments {
		got[a.ContentID+a.Filename] = a.Sent
		if a.SHA256 == "" || a.Size != len(a.Data) {
			t.Errorf("attachment %+v lacks hash or size", a)
		}
	}
	want := map[string]bool{"px": false, "logo1image001.png": false, "rally.png": true, "flyer.pdf": true}
	for k, v := range want {
		if s, ok := got[k]; !ok || s != v {
			t.Errorf("attachment %q: sent = %v (present %v), want %v; all %v", k, s, ok, v, got)
		}
	}
}

func TestParseFallbacks(t *testing.T) {
	internal := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	in, err := Parse([]byte("From: a@b\r\nDate: not a date\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\ncaf\xe9\r\n"), internal)
	if err != nil {
		t.Fatal(err)
	}
	if !in.Date.Equal(internal) || !strings.Contains(in.Text, "café") {
		t.Errorf("date = %v, text = %q", in.Date, in.Text)
	}
	if _, err := Parse(nil, internal); err == nil {
		t.Error("Parse(nil) succeeded")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("From: a@b\r\nSubject: =?utf-8?B?w6k=?=\r\n\r\nhi"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n"))
	f.Add([]byte("Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\n\r\n--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <x>\r\n"))
	if dir := os.Getenv("SWITCHBOARD_CORPUS"); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
		for _, f2 := range files {
			if b, err := os.ReadFile(f2); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		in, err := Parse(raw, time.Unix(0, 0))
		_ = HeaderMessageID(raw)
		if err != nil {
			return
		}
		if !utf8.ValidString(in.Subject) || !utf8.ValidString(in.Text) {
			t.Errorf("invalid UTF-8: %q / %q", in.Subject, in.Text)
		}
	})
}
