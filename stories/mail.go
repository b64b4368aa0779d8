package stories

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"switchboard/workflows"
)

// DraftShareLink is the reply to a message too large to fetch: it asks for
// a share link instead.
const DraftShareLink workflows.DraftKind = "share_link_request"

// TooLargeData is what the share-link request says.
type TooLargeData struct {
	RecipientName string
	SizeMB        string // "31.4"
	LimitMB       string
}

const tooLargeText = `{{if .RecipientName}}Hi {{.RecipientName}},{{else}}Hi,{{end}}

Thank you for writing to us. Your message was {{.SizeMB}} MB, more than the
{{.LimitMB}} MB our inbox accepts, so we could not open it or its photos and
videos.

Could you send us a share link instead? A Google Drive or Dropbox folder, a
Google Photos or iCloud shared album, or an unlisted YouTube video all work.
A few lines about the action (who took part, where and when) and whether we
may share the photos, with the credit you would like, help us tell the story.

Thank you,
The Support Team
`

const tooLargeHTML = `<p>{{if .RecipientName}}Hi {{.RecipientName}},{{else}}Hi,{{end}}</p>
<p>Thank you for writing to us. Your message was {{.SizeMB}} MB, more than the {{.LimitMB}} MB our inbox
accepts, so we could not open it or its photos and videos.</p>
<p>Could you send us a share link instead? A Google Drive or Dropbox folder, a Google Photos or iCloud
shared album, or an unlisted YouTube video all work. A few lines about the action (who took part, where and
when) and whether we may share the photos, with the credit you would like, help us tell the story.</p>
<p>Thank you,<br>The Support Team</p>
`

var (
	tooLargeTextT = texttemplate.Must(texttemplate.New("t").Option("missingkey=error").Parse(tooLargeText))
	tooLargeHTMLT = htmltemplate.Must(htmltemplate.New("h").Option("missingkey=error").Parse(tooLargeHTML))
)

// ComposeShareLinkRequest drafts the reply to a message kept as headers
// only because it was size bytes, over limit bytes.
func ComposeShareLinkRequest(in *workflows.Inbound, size, limit int64) (workflows.Draft, error) {
	to := in.ReplyAddress()
	if to.Address == "" {
		return workflows.Draft{}, fmt.Errorf("compose share-link request: the message has no reply address")
	}
	data := TooLargeData{RecipientName: firstName(to.Name), SizeMB: mb(size), LimitMB: mb(limit)}
	var text, html bytes.Buffer
	if err := tooLargeTextT.Execute(&text, data); err != nil {
		return workflows.Draft{}, fmt.Errorf("compose share-link request: %w", err)
	}
	if err := tooLargeHTMLT.Execute(&html, data); err != nil {
		return workflows.Draft{}, fmt.Errorf("compose share-link request: %w", err)
	}
	subject := strings.TrimSpace(in.Subject)
	if subject == "" {
		subject = "your photos"
	}
	if !strings.HasPrefix(strings.ToLower(subject), "re:") {
		subject = "Re: " + subject
	}
	d := workflows.Draft{Kind: DraftShareLink, To: []workflows.Address{to}, Subject: subject,
		Text: text.String(), HTML: html.String(), InReplyTo: in.MessageID}
	if in.MessageID != "" {
		d.References = append(append([]string(nil), in.References...), in.MessageID)
	}
	return d, nil
}

func mb(n int64) string { return fmt.Sprintf("%.1f", float64(n)/(1<<20)) }

func firstName(name string) string {
	name = strings.TrimSpace(name)
	if i := strings.IndexByte(name, ','); i >= 0 { // "Whitaker, Lorraine"
		name = strings.TrimSpace(name[i+1:])
	}
	if f := strings.Fields(name); len(f) > 0 {
		return f[0]
	}
	return ""
}
