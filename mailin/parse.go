// Package mailin turns raw inbound mail into workflows.Inbound: parsing with
// enmime, delivery status notifications (RFC 3464) and attachment triage.
package mailin

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // register decoders for image.DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"io"
	"mime"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jhillyerd/enmime/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"

	"switchboard/workflows"
)

// Parse parses one raw RFC 5322 message into an Inbound. internalDate (the
// IMAP INTERNALDATE) is used when the Date header is missing or unreadable.
// Parse never panics; it returns an error only when the bytes hold no
// message at all, and the caller then marks the message needs_triage.
func Parse(raw []byte, internalDate time.Time) (in *workflows.Inbound, err error) {
	defer func() {
		if r := recover(); r != nil {
			in, err = nil, fmt.Errorf("parse message: panic: %v", r)
		}
	}()
	env, err := enmime.ReadEnvelope(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parse message: %w", err)
	}
	if env.Root == nil || len(env.Root.Header) == 0 {
		return nil, errors.New("parse message: no header fields")
	}
	in = &workflows.Inbound{Header: map[string][]string{}}
	for k, vs := range env.Root.Header {
		key := textproto.CanonicalMIMEHeaderKey(k)
		for _, v := range vs {
			in.Header[key] = append(in.Header[key], DecodeHeader(v))
		}
	}
	raws := func(name string) string {
		for k, vs := range env.Root.Header {
			if strings.EqualFold(k, name) && len(vs) > 0 {
				return vs[0]
			}
		}
		return ""
	}
	for _, e := range env.Errors {
		in.Warnings = append(in.Warnings, e.Error())
	}
	warn := func(field string, err error) {
		if err != nil {
			in.Warnings = append(in.Warnings, fmt.Sprintf("parse %s: %v", field, err))
		}
	}

	var from []workflows.Address
	from, err = parseAddresses(raws("From"))
	warn("from", err)
	if len(from) > 0 {
		in.From = from[0]
	}
	in.ReplyTo, err = parseAddresses(raws("Reply-To"))
	warn("reply-to", err)
	in.To, err = parseAddresses(raws("To"))
	warn("to", err)
	in.Cc, err = parseAddresses(raws("Cc"))
	warn("cc", err)

	if ids := parseIDs(raws("Message-ID")); len(ids) > 0 {
		in.MessageID = ids[0]
	}
	in.InReplyTo = parseIDs(raws("In-Reply-To"))
	in.References = parseIDs(raws("References"))
	in.Subject = DecodeHeader(raws("Subject"))
	in.Date = internalDate
	if d := strings.TrimSpace(in.Get("Date")); d != "" {
		t, err := mail.ParseDate(d)
		warn("date", err)
		if err == nil {
			in.Date = t
		}
	}
	in.ContentType = in.Get("Content-Type")
	if in.ContentType == "" {
		in.ContentType = "text/plain; charset=us-ascii" // RFC 2045 §5.2
	}

	in.Text = toUTF8([]byte(env.Text))
	in.HTML = toUTF8([]byte(env.HTML))
	in.Attachments = attachments(env)
	in.DSN = findDSN(env.Root)
	return in, nil
}

// HeaderMessageID reads only the header block of raw (up to the first empty
// line) and returns the Message-ID (RFC 5322 §3.6.4) without angle brackets,
// or "" when there is none. It tolerates bare LF, bad bytes and malformed
// lines, so a poller can use it as a dedupe key before any full parse.
func HeaderMessageID(raw []byte) string {
	var field []byte
	found := false
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if found {
				field = append(field, line...)
			}
			continue
		}
		if found {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if ok && strings.EqualFold(string(bytes.TrimSpace(name)), "Message-ID") {
			found = true
			field = append(field, value...)
		}
	}
	if ids := parseIDs(toUTF8(field)); len(ids) > 0 {
		return ids[0]
	}
	return ""
}

var idRE = regexp.MustCompile(`<([^<>\s]+)>`)

// parseIDs returns the msg-ids of a Message-ID, In-Reply-To or References
// field (RFC 5322 §3.6.4) without angle brackets. A field without brackets
// is split on white space.
func parseIDs(v string) []string {
	var ids []string
	for _, m := range idRE.FindAllStringSubmatch(v, -1) {
		ids = append(ids, m[1])
	}
	if len(ids) == 0 {
		for _, f := range strings.Fields(v) {
			if strings.Contains(f, "@") {
				ids = append(ids, strings.Trim(f, "<>,"))
			}
		}
	}
	return ids
}

// parseAddresses parses an address-list header (RFC 5322 §3.4), allowing raw
// UTF-8 (RFC 6532) and decoding RFC 2047 display names. A list net/mail
// rejects is split by hand on commas outside quotes.
func parseAddresses(v string) ([]workflows.Address, error) {
	v = strings.TrimSpace(toUTF8([]byte(v)))
	if v == "" {
		return nil, nil
	}
	p := mail.AddressParser{WordDecoder: wordDecoder}
	list, err := p.ParseList(v)
	if err == nil {
		out := make([]workflows.Address, 0, len(list))
		for _, a := range list {
			out = append(out, workflows.Address{Name: a.Name, Address: a.Address})
		}
		return out, nil
	}
	var out []workflows.Address
	for _, part := range splitUnquoted(v, ',') {
		if a, ok := looseAddress(part); ok {
			out = append(out, a)
		}
	}
	return out, fmt.Errorf("read addresses leniently: %w", err)
}

var looseAddrRE = regexp.MustCompile(`[^\s<>"(),;:]+@[^\s<>"(),;:]+`)

// looseAddress extracts "Name <addr>" or a bare address from broken text.
func looseAddress(s string) (workflows.Address, bool) {
	s = strings.TrimSpace(s)
	if i, j := strings.LastIndexByte(s, '<'), strings.LastIndexByte(s, '>'); i >= 0 && j > i {
		addr := strings.TrimSpace(s[i+1 : j])
		name := strings.Trim(strings.TrimSpace(s[:i]), `"`)
		if strings.Contains(addr, "@") {
			return workflows.Address{Name: DecodeHeader(name), Address: addr}, true
		}
	}
	if m := looseAddrRE.FindString(s); m != "" {
		return workflows.Address{Address: m}, true
	}
	return workflows.Address{}, false
}

// splitUnquoted splits s on sep outside double quotes.
func splitUnquoted(s string, sep byte) []string {
	var out []string
	quoted, esc, start := false, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case esc:
			esc = false
		case c == '\\':
			esc = true
		case c == '"':
			quoted = !quoted
		case c == sep && !quoted:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// attachments lists every part a person could open: enmime's Attachments,
// Inlines and the file-like OtherParts, in MIME tree order, each part once.
// Parts of a delivery report other than a returned file are left to DSN.
func attachments(env *enmime.Envelope) []workflows.Attachment {
	listed := map[*enmime.Part]bool{}
	for _, ps := range [][]*enmime.Part{env.Attachments, env.Inlines, env.OtherParts} {
		for _, p := range ps {
			listed[p] = true
		}
	}
	cids := referencedCIDs(env.HTML)
	truncated := missingBoundary(env)
	var leaves []*enmime.Part
	walk(env.Root, func(p *enmime.Part) {
		if p.FirstChild == nil && p != env.Root {
			leaves = append(leaves, p)
		}
	})
	var out []workflows.Attachment
	for i, p := range leaves {
		if !listed[p] || !isFile(p) {
			continue
		}
		a := workflows.Attachment{
			Filename:    toUTF8([]byte(p.FileName)),
			ContentType: strings.ToLower(p.ContentType),
			ContentID:   strings.Trim(p.ContentID, "<> "),
			Inline:      p.Disposition == "inline" || (p.Disposition == "" && p.ContentID != ""),
			Size:        len(p.Content),
			Data:        p.Content,
		}
		sum := sha256.Sum256(p.Content)
		a.SHA256 = hex.EncodeToString(sum[:])
		a.Sent, a.Note = judgeSent(p, a, cids[a.ContentID])
		if n := damage(p, truncated && i == len(leaves)-1); n != "" {
			a.Note = joinNote(a.Note, n)
		}
		out = append(out, a)
	}
	return out
}

// isFile reports whether a leaf part is a file rather than message text or
// delivery-report machinery (RFC 3464 §2, RFC 6522 §3).
func isFile(p *enmime.Part) bool {
	ct := strings.ToLower(p.ContentType)
	if p.Parent != nil && strings.EqualFold(p.Parent.ContentType, "multipart/report") && p.FileName == "" &&
		p.Disposition != "attachment" {
		return false
	}
	switch ct {
	case "message/delivery-status", "message/global-delivery-status", "text/rfc822-headers":
		return p.FileName != ""
	case "text/plain", "text/html", "":
		return p.Disposition == "attachment" || p.FileName != ""
	}
	return !strings.HasPrefix(ct, "multipart/")
}

func walk(p *enmime.Part, f func(*enmime.Part)) {
	for ; p != nil; p = p.NextSibling {
		f(p)
		walk(p.FirstChild, f)
	}
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// missingBoundary reports whether enmime found a multipart body whose closing
// boundary never came, which means the message was cut short in transit.
func missingBoundary(env *enmime.Envelope) bool {
	for _, e := range env.Errors {
		if e.Name == enmime.ErrorMissingBoundary {
			return true
		}
	}
	return false
}

// damage describes a part that arrived incomplete: one that runs to the end
// of a message missing its closing boundary, bad base64, or a JPEG with no
// end-of-image marker.
func damage(p *enmime.Part, last bool) string {
	var notes []string
	if last {
		notes = append(notes, "truncated: the message ends inside this part (no closing MIME boundary)")
	}
	for _, e := range p.Errors {
		if e.Name == enmime.ErrorMalformedBase64 || e.Name == enmime.ErrorContentEncoding {
			notes = append(notes, "damaged encoding: "+e.Detail)
		}
	}
	if strings.EqualFold(p.ContentType, "image/jpeg") && len(p.Content) > 2 &&
		!bytes.Contains(p.Content[max(0, len(p.Content)-64):], []byte{0xFF, 0xD9}) {
		notes = append(notes, "incomplete JPEG: no end-of-image marker")
	}
	return strings.Join(notes, "; ")
}

var cidRE = regexp.MustCompile(`(?i)<img\b[^>]*\bsrc\s*=\s*["']?cid:([^"'\s>]+)[^>]*>`)

// referencedCIDs maps each Content-ID an HTML body shows as an image to the
// <img> tag that shows it (RFC 2392 cid: URLs).
func referencedCIDs(html string) map[string]string {
	m := map[string]string{}
	for _, sm := range cidRE.FindAllStringSubmatch(html, -1) {
		m[strings.Trim(sm[1], "<>")] = sm[0]
	}
	return m
}

// signatureNameRE matches the names mail clients give to images they add on
// their own: Outlook's numbered image001.png, and logos, icons and banners.
var signatureNameRE = regexp.MustCompile(`(?i)^(image\d{3}\.\w+|.*(logo|signature|sig[-_.]|icon|banner|spacer|pixel|badge|facebook|twitter|linkedin|instagram).*)$`)

// judgeSent decides whether a person would count a part as sent by the
// sender: photos, videos, documents and forwarded messages are; tracking
// pixels, signature logos and signatures of the message (S/MIME, PGP) are
// not. imgTag is the HTML <img> tag that shows the part, if any.
func judgeSent(p *enmime.Part, a workflows.Attachment, imgTag string) (bool, string) {
	ct := a.ContentType
	switch {
	case ct == "application/pkcs7-signature" || ct == "application/x-pkcs7-signature" ||
		ct == "application/pgp-signature" || ct == "application/pgp-keys":
		return false, "cryptographic signature"
	case ct == "text/vcard" || ct == "text/x-vcard" || ct == "text/directory":
		return false, "contact card"
	case !strings.HasPrefix(ct, "image/"):
		return true, ""
	}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(p.Content)); err == nil {
		if cfg.Width <= 2 && cfg.Height <= 2 {
			return false, "tracking pixel"
		}
		small := cfg.Width <= 400 && cfg.Height <= 200
		if a.Inline && (cfg.Width <= 64 && cfg.Height <= 64 || small && signatureNameRE.MatchString(a.Filename)) {
			return false, "signature image"
		}
	}
	if a.Size < 200 {
		return false, "tracking pixel"
	}
	named := signatureNameRE.MatchString(a.Filename) || signatureNameRE.MatchString(a.ContentID)
	if a.Inline && named && (a.Size < 30_000 || imgTag != "" && sizedSmall(imgTag)) {
		return false, "signature image"
	}
	return true, ""
}

var imgSizeRE = regexp.MustCompile(`(?i)\b(width|height)\s*=\s*["']?(\d+)`)

// sizedSmall reports whether an <img> tag declares a small size, as
// signature logos do.
func sizedSmall(tag string) bool {
	ms := imgSizeRE.FindAllStringSubmatch(tag, -1)
	if len(ms) == 0 {
		return false
	}
	for _, m := range ms {
		if len(m[2]) > 3 || m[2] > "300" && len(m[2]) == 3 {
			return false
		}
	}
	return true
}

// findDSN reads the first message/delivery-status part anywhere in the tree
// (RFC 3464 §2; Gmail nests it beside a multipart/related explanation) and
// the Message-ID of the returned message from a text/rfc822-headers or
// message/rfc822 part (RFC 6522 §3). It returns nil when there is none.
func findDSN(root *enmime.Part) *workflows.DSN {
	var status, returned *enmime.Part
	walk(root, func(p *enmime.Part) {
		switch strings.ToLower(p.ContentType) {
		case "message/delivery-status", "message/global-delivery-status":
			if status == nil {
				status = p
			}
		case "text/rfc822-headers", "message/rfc822", "message/global", "message/global-headers":
			if returned == nil && p.Parent != nil && strings.EqualFold(p.Parent.ContentType, "multipart/report") {
				returned = p
			}
		}
	})
	if status == nil {
		return nil
	}
	d := &workflows.DSN{}
	if returned != nil {
		d.OriginalMessageID = HeaderMessageID(returned.Content)
	}
	blocks := fieldBlocks(status.Content)
	for i, b := range blocks {
		if i == 0 && b.Get("Final-Recipient") == "" && b.Get("Original-Recipient") == "" {
			continue // per-message fields, RFC 3464 §2.2
		}
		rcpt := b.Get("Final-Recipient")
		if rcpt == "" {
			rcpt = b.Get("Original-Recipient")
		}
		d.Recipients = append(d.Recipients, workflows.DSNRecipient{
			FinalRecipient: typedValue(rcpt),
			Action:         strings.ToLower(strings.TrimSpace(b.Get("Action"))),
			Status:         strings.TrimSpace(b.Get("Status")),
			Diagnostic:     typedValue(b.Get("Diagnostic-Code")),
		})
	}
	return d
}

// typedValue strips the type of an RFC 3464 typed field, "rfc822; a@b".
func typedValue(v string) string {
	if _, after, ok := strings.Cut(v, ";"); ok {
		v = after
	}
	return strings.TrimSpace(v)
}

// fieldBlocks splits a delivery-status body into its header-style groups,
// separated by blank lines, unfolding continuation lines.
func fieldBlocks(b []byte) []textproto.MIMEHeader {
	var out []textproto.MIMEHeader
	cur := textproto.MIMEHeader{}
	var last string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, cur)
		}
		cur, last = textproto.MIMEHeader{}, ""
	}
	for _, line := range strings.Split(toUTF8(b), "\n") {
		line = strings.TrimRight(line, "\r")
		switch {
		case strings.TrimSpace(line) == "":
			flush()
		case (line[0] == ' ' || line[0] == '\t') && last != "":
			vs := cur[last]
			vs[len(vs)-1] += " " + strings.TrimSpace(line)
		default:
			if name, value, ok := strings.Cut(line, ":"); ok {
				last = textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(name))
				cur.Add(last, strings.TrimSpace(value))
			}
		}
	}
	flush()
	return out
}

var encodedWordRE = regexp.MustCompile(`=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=`)

// DecodeHeader decodes the RFC 2047 encoded-words of a header value into
// UTF-8. Adjacent encoded-words in one charset are joined as bytes before
// they are decoded, so a character split between two words survives
// (RFC 2047 §5 forbids the split, but clients do it). Raw 8-bit text that is
// not UTF-8 (RFC 6532) is read as windows-1252. The result is always valid
// UTF-8.
func DecodeHeader(v string) string {
	if !strings.Contains(v, "=?") {
		return toUTF8([]byte(v))
	}
	var b strings.Builder
	var run []byte
	runCharset := ""
	flush := func() {
		if runCharset != "" {
			b.WriteString(convertCharset(runCharset, run))
		}
		run, runCharset = run[:0], ""
	}
	pos := 0
	for _, m := range encodedWordRE.FindAllStringSubmatchIndex(v, -1) {
		between := v[pos:m[0]]
		if runCharset == "" || strings.TrimSpace(between) != "" {
			flush()
			b.WriteString(toUTF8([]byte(between)))
		}
		charset := strings.ToLower(v[m[2]:m[3]])
		if i := strings.IndexByte(charset, '*'); i >= 0 {
			charset = charset[:i] // RFC 2231 §5 language suffix
		}
		data, ok := decodeWord(v[m[4]:m[5]], v[m[6]:m[7]])
		if !ok {
			flush()
			b.WriteString(v[m[0]:m[1]])
			pos = m[1]
			continue
		}
		if charset != runCharset {
			flush()
			runCharset = charset
		}
		run = append(run, data...)
		pos = m[1]
	}
	flush()
	b.WriteString(toUTF8([]byte(v[pos:])))
	return b.String()
}

// decodeWord decodes the text of one encoded-word (RFC 2047 §4).
func decodeWord(enc, text string) ([]byte, bool) {
	if enc == "B" || enc == "b" {
		text = strings.TrimRight(text, "=")
		data, err := base64.RawStdEncoding.DecodeString(text)
		return data, err == nil
	}
	var out []byte
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '_':
			out = append(out, ' ')
		case c == '=' && i+2 < len(text) && isHex(text[i+1]) && isHex(text[i+2]):
			h, _ := hex.DecodeString(text[i+1 : i+3])
			out = append(out, h...)
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out, true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// convertCharset converts text in the named charset to valid UTF-8. An
// unknown charset, or "x-unknown", is read as UTF-8 when valid, else as
// windows-1252.
func convertCharset(charset string, data []byte) string {
	switch charset {
	case "utf-8", "utf8", "us-ascii", "ascii", "x-unknown", "unknown", "":
		return toUTF8(data)
	}
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return toUTF8(data)
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return toUTF8(data)
	}
	return toUTF8(out)
}

// toUTF8 returns data as a string when it is valid UTF-8, else decodes it as
// windows-1252, the usual charset of unlabelled 8-bit mail.
func toUTF8(data []byte) string {
	if utf8.Valid(data) {
		return string(data)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

// wordDecoder decodes encoded-words in display names for net/mail, in any
// charset golang.org/x/text knows.
var wordDecoder = &mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return strings.NewReader(convertCharset(strings.ToLower(charset), data)), nil
}}
