package stories

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"

	"switchboard/workflows"
)

// DigestStory is one story as the press digest shows it.
type DigestStory struct {
	ID              int64
	Subject         string
	Body            string
	Credit          string // as the sender asked, else the sender's name
	SenderName      string
	Place           string // "Austin, TX (TX-37)", or ""
	When            string // "Saturday 18 October 2025", or ""
	Groups          []string
	Consent         string // ConsentGiven, ConsentRefused or ConsentUnknown
	ConsentSentence string
	Links           []Link
	Files           int // files kept for the story (press copies: `switchboard stories export ID`)
	Thumbs          []DigestThumb
}

// DigestThumb is one thumbnail (a JPEG) shown inline in the digest.
type DigestThumb struct {
	Filename string // of the original, e.g. IMG_2231.HEIC
	JPEG     []byte
}

// MaxDigestThumbs bounds the thumbnails shown per story, so that a story
// of 40 photos does not make a 40-image mail.
const MaxDigestThumbs = 4

// digestItem is a DigestStory with its thumbnails' Content-IDs, as the
// templates read it.
type digestItem struct {
	DigestStory
	CIDs    []htmltemplate.URL // "cid:…" (RFC 2392), in Thumbs order
	Consent string             // the sentence the press team reads
}

type digestData struct {
	Date  string
	Count int
	Items []digestItem
}

const digestText = `Press digest, {{.Date}}: {{.Count}} {{if eq .Count 1}}story{{else}}stories{{end}} approved by staff since the last digest.
{{range $i, $s := .Items}}
== {{$s.Subject}} ==

{{$s.Body}}

Credit: {{$s.Credit}}
Sent by: {{$s.SenderName}}
{{- if $s.Place}}
Where: {{$s.Place}}{{end}}
{{- if $s.When}}
When: {{$s.When}}{{end}}
{{- if $s.Groups}}
Groups: {{join $s.Groups ", "}}{{end}}
Permission to publish: {{$s.Consent}}
{{- range $s.Links}}
Link ({{.Service}}): {{.URL}}{{end}}
{{- if $s.Files}}
Files: {{$s.Files}} (press copies: switchboard stories export {{$s.ID}} --zip FILE){{end}}
{{end}}`

const digestHTML = `<p>Press digest, {{.Date}}: {{.Count}} {{if eq .Count 1}}story{{else}}stories{{end}} approved by staff since the last digest.</p>
{{range $i, $s := .Items}}<hr>
<h2>{{$s.Subject}}</h2>
{{range $j, $c := $s.CIDs}}<img src="{{$c}}" alt="{{(index $s.Thumbs $j).Filename}}" style="max-width:240px;margin:0 8px 8px 0">
{{end}}{{range paragraphs $s.Body}}<p>{{.}}</p>
{{end}}<p><b>Credit:</b> {{$s.Credit}}<br>
<b>Sent by:</b> {{$s.SenderName}}
{{- if $s.Place}}<br>
<b>Where:</b> {{$s.Place}}{{end}}
{{- if $s.When}}<br>
<b>When:</b> {{$s.When}}{{end}}
{{- if $s.Groups}}<br>
<b>Groups:</b> {{join $s.Groups ", "}}{{end}}<br>
<b>Permission to publish:</b> {{$s.Consent}}</p>
{{- if $s.Links}}
<ul>{{range $s.Links}}<li><a href="{{.URL}}">{{.URL}}</a> ({{.Service}})</li>{{end}}</ul>{{end}}
{{- if $s.Files}}
<p><b>Files:</b> {{$s.Files}} (press copies: <code>switchboard stories export {{$s.ID}} --zip FILE</code>)</p>{{end}}
{{end}}`

var digestFuncs = map[string]any{
	"join": strings.Join,
	"paragraphs": func(s string) []string {
		var out []string
		for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out
	},
}

var (
	digestTextT = texttemplate.Must(texttemplate.New("t").Funcs(digestFuncs).Option("missingkey=error").Parse(digestText))
	digestHTMLT = htmltemplate.Must(htmltemplate.New("h").Funcs(digestFuncs).Option("missingkey=error").Parse(digestHTML))
)

// consentLine is what the press team reads about permission.
func consentLine(state, sentence string) string {
	switch state {
	case ConsentGiven:
		if sentence != "" {
			return fmt.Sprintf("given (%q)", sentence)
		}
		return "given"
	case ConsentRefused:
		if sentence != "" {
			return fmt.Sprintf("REFUSED (%q): do not publish", sentence)
		}
		return "REFUSED: do not publish"
	}
	return "not given yet: ask the sender before publishing"
}

// ComposeDigest drafts the press digest of items to the press address to:
// the text, credits, place, date, groups, permission and share links of
// each story, with its thumbnails as inline parts (RFC 2392 Content-IDs
// under cidDomain, referenced as cid: from the HTML).
func ComposeDigest(to workflows.Address, items []DigestStory, cidDomain string, now time.Time) (workflows.Draft, error) {
	if to.Address == "" {
		return workflows.Draft{}, errors.New("compose digest: no press address (SWITCHBOARD_PRESS_TO)")
	}
	if len(items) == 0 {
		return workflows.Draft{}, errors.New("compose digest: no stories")
	}
	if cidDomain == "" {
		cidDomain = "switchboard.invalid"
	}
	data := digestData{Date: now.Format("Monday 2 January 2006"), Count: len(items)}
	var files []workflows.DraftAttachment
	for _, s := range items {
		it := digestItem{DigestStory: s, Consent: consentLine(s.Consent, s.ConsentSentence)}
		if it.Credit == "" {
			it.Credit = s.SenderName
		}
		if len(it.Thumbs) > MaxDigestThumbs {
			it.Thumbs = it.Thumbs[:MaxDigestThumbs]
		}
		for i, th := range it.Thumbs {
			cid := fmt.Sprintf("story%d-thumb%d@%s", s.ID, i+1, cidDomain)
			it.CIDs = append(it.CIDs, htmltemplate.URL("cid:"+cid))
			a := workflows.NewDraftAttachment(fmt.Sprintf("story%d-%d.jpg", s.ID, i+1), "image/jpeg", th.JPEG)
			a.ContentID = cid
			files = append(files, a)
		}
		data.Items = append(data.Items, it)
	}
	var text, html bytes.Buffer
	if err := digestTextT.Execute(&text, data); err != nil {
		return workflows.Draft{}, fmt.Errorf("compose digest: %w", err)
	}
	if err := digestHTMLT.Execute(&html, data); err != nil {
		return workflows.Draft{}, fmt.Errorf("compose digest: %w", err)
	}
	noun := "stories"
	if len(items) == 1 {
		noun = "story"
	}
	return workflows.Draft{Kind: workflows.DraftPressDigest, To: []workflows.Address{to},
		Subject: fmt.Sprintf("Press digest, %s: %d %s", now.Format("2 Jan 2006"), len(items), noun),
		Text:    text.String(), HTML: html.String(), Attachments: files}, nil
}
