package jobs

import (
	"strings"

	"switchboard/workflows"
)

// sanitize makes every string of a parsed message storable as PostgreSQL
// text: invalid UTF-8 becomes U+FFFD and NUL bytes are dropped. Without it
// any bytes at all (a raw 8-bit header, a binary body) would fail SaveParsed
// and CreateRequest on every retry, and the message would never get a status
// (DESIGN.md invariant 7).
func sanitize(in *workflows.Inbound) {
	if in == nil {
		return
	}
	addr := func(as []workflows.Address) {
		for i := range as {
			as[i].Name, as[i].Address = clean(as[i].Name), clean(as[i].Address)
		}
	}
	list := func(ss []string) {
		for i := range ss {
			ss[i] = clean(ss[i])
		}
	}
	in.From.Name, in.From.Address = clean(in.From.Name), clean(in.From.Address)
	addr(in.ReplyTo)
	addr(in.To)
	addr(in.Cc)
	in.MessageID, in.Subject, in.Text, in.HTML = clean(in.MessageID), clean(in.Subject), clean(in.Text), clean(in.HTML)
	in.ContentType = clean(in.ContentType)
	list(in.InReplyTo)
	list(in.References)
	list(in.Warnings)
	if in.Header != nil {
		h := make(map[string][]string, len(in.Header))
		for k, vs := range in.Header {
			vs = append([]string(nil), vs...)
			list(vs)
			h[clean(k)] = vs
		}
		in.Header = h
	}
	for i := range in.Attachments {
		a := &in.Attachments[i]
		a.Filename, a.ContentType, a.ContentID, a.Note = clean(a.Filename), clean(a.ContentType), clean(a.ContentID), clean(a.Note)
	}
	if in.DSN != nil {
		in.DSN.OriginalMessageID = clean(in.DSN.OriginalMessageID)
		for i := range in.DSN.Recipients {
			r := &in.DSN.Recipients[i]
			r.FinalRecipient, r.Action, r.Status, r.Diagnostic = clean(r.FinalRecipient), clean(r.Action), clean(r.Status), clean(r.Diagnostic)
		}
	}
}

// clean returns s as valid UTF-8 without NUL bytes.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.ReplaceAll(s, "\x00", "")
}
