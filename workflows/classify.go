package workflows

import (
	"regexp"
	"slices"
	"strings"

	"switchboard/directory"
)

// Geo is the geography Classify reads; *directory.Geography implements it
// (data: directory/data/*.csv).
type Geo interface {
	StateByCode(code string) (directory.State, bool)
	StateByName(name string) (directory.State, bool)
	DistrictsForZIP(zip string) []string
	ZIPInfo(zip string) (directory.ZIPEntry, bool)
	PlacesNamed(name string) []directory.Place
	HasPlaceName(name string) bool
	CheckDistrict(s string) (string, bool)
}

// Context is what Classify knows beyond the message itself.
type Context struct {
	// KnownThread is true when In-Reply-To or References point at a message
	// already stored.
	KnownThread bool
	// OwnAddresses are the network's own addresses (support@, press@).
	OwnAddresses []string
}

// Classify decides what a message asks for and extracts the place, district
// and group names it is about. It is pure: no I/O, and geo is only read.
// Precedence: bounce, then auto-reply, then mailing lists, then follow-up,
// then the asks (list, introduction, submission) in the sender's own words.
func Classify(in *Inbound, geo Geo, ctx Context) Classification {
	m := newMessage(in)
	c := Classification{}
	set := func(k Kind, conf float64, why string) {
		c.Kind, c.Kinds, c.Confidence = k, []Kind{k}, conf
		c.Reasons = append(c.Reasons, why)
	}
	switch {
	case setIf(isBounce(in, m), func(why string) { set(KindBounce, 0.95, why) }):
	case setIf(isAutoReply(in), func(why string) { set(KindAutoReply, 0.9, why) }):
	case setIf(isListMail(in), func(why string) { set(KindOther, 0.9, why) }):
	case setIf(isFromSelf(in, ctx), func(why string) { set(KindOther, 0.9, why) }):
	case setIf(isFollowup(in, m, ctx), func(why string) {
		conf := 0.85
		if ctx.KnownThread {
			conf = 0.95
		}
		set(KindFollowup, conf, why)
	}):
	default:
		asks, reasons := findAsks(in, m)
		c.Reasons = append(c.Reasons, reasons...)
		switch len(asks) {
		case 0:
			c.Kind, c.Kinds, c.Confidence = KindOther, []Kind{KindOther}, 0.4
			c.Reasons = append(c.Reasons, "no list, introduction or submission request found")
		case 1:
			c.Kind, c.Kinds, c.Confidence = asks[0], asks, 0.85
		default:
			c.Kind, c.Kinds, c.Confidence = KindMixed, asks, 0.75
		}
	}
	c.Fields = extract(in, m, geo, c.Kinds)
	if slices.Contains(c.Kinds, KindListRequest) {
		markNear(&c.Fields, m.subject+"\n"+m.body)
	}
	if (c.Kind == KindListRequest || c.Kind == KindMixed) && c.Fields.City == "" && c.Fields.State == "" &&
		c.Fields.District == "" && c.Fields.ZIP == "" {
		c.Confidence = min(c.Confidence, 0.45)
		c.Reasons = append(c.Reasons, "list request without a place")
	}
	return c
}

// setIf calls f with why when why is not empty, and reports whether it did.
func setIf(why string, f func(string)) bool {
	if why == "" {
		return false
	}
	f(why)
	return true
}

// message is the sender's text split into its parts.
type message struct {
	subject string // without Re:/Fwd: prefixes
	body    string // the sender's own words: no quoted text, no signature
	sig     string // the signature block
	quoted  string // quoted earlier messages
	// ownText is body plus signature: everything the sender wrote now.
	ownText string
}

var (
	replyPrefixRE = regexp.MustCompile(`(?i)^\s*((re|aw|sv|vs|antw|rv|r|fwd?|tr|wg|enc)\s*(\[\d+\])?\s*[:：]\s*)+`)
	quoteStartRE  = regexp.MustCompile(`(?im)^(\s*>|on .{3,200}wrote:\s*$|el .{3,200}escribió:\s*$|am .{3,200}schrieb .*:\s*$|le .{3,200}a écrit\s*:\s*$|-{2,}\s*original message\s*-{2,}|_{10,}\s*$|from:\s.+\n(sent|date|enviado):\s)`)
	signoffRE     = regexp.MustCompile(`(?i)^\s*(thanks|thank you|many thanks|thanks so much|thank you kindly|thx|best|best regards|regards|kind regards|warm regards|cheers|sincerely|take care|gracias|¡gracias!?|saludos|atentamente|merci|cordialement|un abrazo|all the best|with thanks|--|—|-- )[\s,.!]*$`)
	sentFromRE    = regexp.MustCompile(`(?im)^\s*sent from my \w+.*$`)
)

func newMessage(in *Inbound) *message {
	m := &message{subject: strings.TrimSpace(replyPrefixRE.ReplaceAllString(in.Subject, ""))}
	text := strings.ReplaceAll(in.Text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\ufeff", "")
	own := text
	if loc := quoteStartRE.FindStringIndex(text); loc != nil {
		own, m.quoted = text[:loc[0]], text[loc[0]:]
	}
	own = sentFromRE.ReplaceAllString(own, "")
	m.ownText = own
	lines := strings.Split(own, "\n")
	cut := len(lines)
	for i, l := range lines {
		if signoffRE.MatchString(l) && i > 0 {
			cut = i
		}
	}
	m.body = strings.Join(lines[:cut], "\n")
	m.sig = strings.Join(lines[cut:], "\n")
	return m
}

var (
	bounceSubjectRE = regexp.MustCompile(`(?i)^\s*(undeliverable|undelivered mail|delivery status notification|mail delivery (failed|failure|subsystem)|returned mail|failure notice|delivery failure|non[- ]?delivery|message not delivered|unzustellbar|non remis|no se puede entregar)`)
	daemonRE        = regexp.MustCompile(`(?i)^(mailer-daemon|postmaster|mail-daemon|mail delivery|microsoftexchange)`)
)

// isBounce recognises delivery status notifications (RFC 3464, RFC 6522) and
// non-delivery reports. A bounce a person forwards as evidence is not one:
// its report is inside a message/rfc822 part, not at the top level.
func isBounce(in *Inbound, m *message) string {
	ct := strings.ToLower(in.ContentType)
	if strings.HasPrefix(ct, "multipart/report") && strings.Contains(ct, "delivery-status") {
		return "multipart/report; report-type=delivery-status (RFC 6522)"
	}
	if in.DSN != nil && len(in.DSN.Recipients) > 0 && isDaemon(in) {
		return "delivery status from a mail system"
	}
	if in.Get("X-Failed-Recipients") != "" {
		return "X-Failed-Recipients header"
	}
	if _, ok := in.Header["X-Ms-Exchange-Message-Is-Ndr"]; ok {
		return "Exchange non-delivery report header"
	}
	if isDaemon(in) && bounceSubjectRE.MatchString(in.Subject) {
		return "non-delivery subject from a mail system"
	}
	return ""
}

func isDaemon(in *Inbound) bool {
	local, _, _ := strings.Cut(in.From.Address, "@")
	return daemonRE.MatchString(local) || daemonRE.MatchString(in.From.Name)
}

var autoSubjectRE = regexp.MustCompile(`(?i)^\s*(automatic reply|auto(matic)?[- ]?(reply|response)|auto:|autoreply|out of (the )?office|ooo\b|away from (the )?office|on vacation|vacation reply|réponse automatique|absence du bureau|respuesta automática|fuera de la oficina|abwesenheitsnotiz|automatische antwort|risposta automatica|fuori sede|resposta automática|ausência|automatisch antwoord|afwezig|autosvar|automaattinen vastaus)`)

// isAutoReply recognises automatic replies: RFC 3834 §5 Auto-Submitted, the
// de facto X-Autoreply/X-Autorespond headers, Precedence, and the subject
// prefixes clients use in several languages.
func isAutoReply(in *Inbound) string {
	if v := strings.ToLower(strings.TrimSpace(in.Get("Auto-Submitted"))); v != "" && !strings.HasPrefix(v, "no") {
		return "Auto-Submitted: " + v + " (RFC 3834 §5)"
	}
	for _, h := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Autogenerated"} {
		if _, ok := in.Header[h]; ok {
			return h + " header"
		}
	}
	prec := strings.ToLower(strings.TrimSpace(in.Get("Precedence")))
	subj := autoSubjectRE.MatchString(in.Subject)
	switch {
	case prec == "auto_reply":
		return "Precedence: auto_reply"
	case subj && (prec == "bulk" || prec == "junk" || in.Get("X-Auto-Response-Suppress") != ""):
		return "automatic-reply subject with Precedence or X-Auto-Response-Suppress"
	case strings.TrimSpace(in.Get("Return-Path")) == "<>" && in.DSN == nil && subj:
		return "null Return-Path with an automatic-reply subject"
	case subj:
		return "automatic-reply subject"
	}
	return ""
}

// isListMail recognises mailing-list and bulk mail (RFC 2369, RFC 2919).
func isListMail(in *Inbound) string {
	for _, h := range []string{"List-Id", "List-Unsubscribe", "List-Post"} {
		if in.Get(h) != "" {
			return h + " header (mailing list, RFC 2369/2919)"
		}
	}
	if p := strings.ToLower(strings.TrimSpace(in.Get("Precedence"))); p == "bulk" || p == "list" || p == "junk" {
		return "Precedence: " + p
	}
	return ""
}

// isFromSelf recognises mail sent by one of our own addresses.
func isFromSelf(in *Inbound, ctx Context) string {
	for _, a := range ctx.OwnAddresses {
		if a != "" && strings.EqualFold(a, in.From.Address) {
			return "sent from our own address"
		}
	}
	return ""
}

var replySubjectRE = regexp.MustCompile(`(?i)^\s*(re|aw|sv|antw|rv|r)\s*(\[\d+\])?\s*:`)

// isFollowup recognises a message in an existing conversation: threading
// headers (RFC 5322 §3.6.4), or a reply subject with quoted text when a
// client dropped the headers.
func isFollowup(in *Inbound, m *message, ctx Context) string {
	switch {
	case ctx.KnownThread:
		return "replies to a message we hold"
	case len(in.InReplyTo) > 0 || len(in.References) > 0:
		return "In-Reply-To/References headers"
	case replySubjectRE.MatchString(in.Subject) && strings.TrimSpace(m.quoted) != "":
		return "reply subject with quoted text"
	}
	return ""
}

var (
	listAskRE   = regexp.MustCompile(`(?i)(\blists? of (all |every |the |other )*(\w+ )?groups\b|\bgroups? list\b|\blista de (los )?grupos\b|\bevery group in\b|\ball (of )?the groups in\b|\bwho else is organi[sz]ing\b|\bother groups in\b|\bgroups (near|in|around)\b.{0,40}\?|\b(send|share|get|have)\b.{0,30}\b(the |a )?list\b|\bla lista\b)`)
	introAskRE  = regexp.MustCompile(`(?i)(\bintroduc(e|tion)\b|\bintro (to|a)\b|\bput (me|us) in touch\b|\bconnect (me|us) with\b|\bin contact with\b|\bpresentaci[oó]n\b|\bpresentar(me|nos)\b|\banother way to reach\b)`)
	mediaRE     = regexp.MustCompile(`(?i)\b(photos?|pics?|pictures?|images?|videos?|clips?|footage|fotos?|vídeos?)\b`)
	mediaLinkRE = regexp.MustCompile(`(?i)(drive\.google\.com|photos\.app\.goo\.gl|photos\.google\.com|youtu\.be|youtube\.com|dropbox\.com|vimeo\.com|flickr\.com|wetransfer\.com|icloud\.com/photos)`)
	storyRE     = regexp.MustCompile(`(?i)\b(newsletter|story|feel free to use|permission to use|you can share|ours to share|credit|here'?s (a|my|our)\b.{0,30}\b(photo|pic|clip|video))`)
)

// findAsks finds list, introduction and submission requests in the sender's
// own words and the subject, ignoring quoted text.
func findAsks(in *Inbound, m *message) ([]Kind, []string) {
	text := m.subject + "\n" + m.ownText
	var kinds []Kind
	var why []string
	if listAskRE.MatchString(text) {
		kinds = append(kinds, KindListRequest)
		why = append(why, "asks for a list of groups")
	}
	if introAskRE.MatchString(text) {
		kinds = append(kinds, KindIntroduction)
		why = append(why, "asks for an introduction")
	}
	sent := 0
	for _, a := range in.Attachments {
		if a.Sent && !strings.HasPrefix(a.ContentType, "message/") {
			sent++
		}
	}
	media := mediaRE.MatchString(text)
	if media && (sent > 0 || mediaLinkRE.MatchString(text) || storyRE.MatchString(text)) {
		kinds = append(kinds, KindSubmission)
		why = append(why, "sends photos, videos or a story")
	}
	return slices.Compact(kinds), why
}
