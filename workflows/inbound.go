// Package workflows is Switchboard's domain core: the kinds of request, their
// states, classification and extraction of places and group names, and what
// each drafted answer says. It does no I/O.
package workflows

import "time"

// Address is one mailbox from an address header (RFC 5322 §3.4), with the
// display name decoded (RFC 2047) and the address as written, which may hold
// non-ASCII characters (RFC 6532).
type Address struct {
	Name    string `json:"name,omitempty"`
	Address string `json:"address"`
}

// String renders the address as "Name <addr>", or the bare address.
func (a Address) String() string {
	if a.Name == "" {
		return a.Address
	}
	return a.Name + " <" + a.Address + ">"
}

// Inbound is one parsed inbound message: what mailin.Parse makes of the raw
// RFC 5322 bytes. Header values are decoded; Message-IDs are kept without
// angle brackets.
type Inbound struct {
	From    Address   `json:"from"`
	ReplyTo []Address `json:"reply_to,omitempty"` // RFC 5322 §3.6.2: replies go here when set
	To      []Address `json:"to,omitempty"`
	Cc      []Address `json:"cc,omitempty"`

	MessageID  string    `json:"message_id"`            // RFC 5322 §3.6.4, without <>
	InReplyTo  []string  `json:"in_reply_to,omitempty"` // Message-IDs, without <>
	References []string  `json:"references,omitempty"`  // oldest first, without <>
	Subject    string    `json:"subject"`
	Date       time.Time `json:"date"` // the Date header, else the IMAP INTERNALDATE

	// Text holds every text/plain part in order, joined by a blank line; when
	// the message has no text part it is the HTML converted to text.
	Text string `json:"text"`
	// HTML is the first text/html part, unsanitised: never show it as is.
	HTML string `json:"html,omitempty"`

	// Header holds the top-level header fields that classification reads
	// (Auto-Submitted, Precedence, List-Id, Return-Path, X-Autoreply, ...),
	// keyed by canonical MIME header name (net/textproto).
	Header map[string][]string `json:"header,omitempty"`
	// ContentType is the top-level media type with its parameters, for
	// example "multipart/report; report-type=delivery-status".
	ContentType string `json:"content_type"`

	Attachments []Attachment `json:"attachments,omitempty"`
	DSN         *DSN         `json:"dsn,omitempty"`
	Warnings    []string     `json:"warnings,omitempty"`
}

// Get returns the first value of the named top-level header, or "".
func (in *Inbound) Get(name string) string {
	if v := in.Header[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// ReplyAddress is where an answer goes: the first Reply-To, else From
// (RFC 5322 §3.6.2).
func (in *Inbound) ReplyAddress() Address {
	if len(in.ReplyTo) > 0 && in.ReplyTo[0].Address != "" {
		return in.ReplyTo[0]
	}
	return in.From
}

// Attachment is one attachment or inline part of a message. Data holds the
// decoded bytes; Size is len(Data) in bytes.
type Attachment struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	ContentID   string `json:"content_id,omitempty"` // without <>
	Inline      bool   `json:"inline"`               // Content-Disposition inline, or a related part
	Size        int    `json:"size"`
	SHA256      string `json:"sha256"` // hex
	Data        []byte `json:"-"`
	// Sent is true when a person would count the part as something the
	// sender sent: photos (inline or not), videos, documents, forwarded
	// messages. Signature logos and tracking pixels are false.
	Sent bool `json:"sent"`
	// Note explains a damaged or unusual part, for example a truncated body.
	Note string `json:"note,omitempty"`
}

// DSN is the machine-readable part of a delivery status notification
// (RFC 3464) or of a non-delivery report that imitates one.
type DSN struct {
	// OriginalMessageID is the Message-ID of the mail that failed, from the
	// returned headers or message, without <>.
	OriginalMessageID string         `json:"original_message_id,omitempty"`
	Recipients        []DSNRecipient `json:"recipients,omitempty"`
}

// DSNRecipient is one per-recipient block of a DSN (RFC 3464 §2.3).
type DSNRecipient struct {
	FinalRecipient string `json:"final_recipient"`
	Action         string `json:"action"` // failed, delayed, delivered, relayed, expanded
	Status         string `json:"status"` // RFC 3463 code, e.g. "5.2.2"
	Diagnostic     string `json:"diagnostic,omitempty"`
}
