package workflows

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	// groupNameRE is a run of capitalised words, allowing short connectors
	// ("Families for Democracy", "Faith & Votes", "Vecinos en Acción").
	// groupNameRE is a run of capitalised words on one line, allowing the
	// small words group names carry ("Families for Democracy").
	groupNameRE = regexp.MustCompile(`\p{Lu}[\p{L}'’.-]*(?:[ \t]+(?:(?:for|of|the|and|&|de|del|la|en|y|in)[ \t]+)?\p{Lu}[\p{L}'’.-]*)+`)
	forwardRE   = regexp.MustCompile(`(?i)^\s*(fwd?|wg|tr|rv|enc)\s*:`)
	quotedRE    = regexp.MustCompile(`["“]([^"”\n]{3,80})["”]`)
	// introCueRE precedes the group to be introduced.
	introCueRE = regexp.MustCompile(`(?i)(intro(duction)?\s+(to|request)\s*[-–:]?\s*|contact (listed )?for\s+|listed for\s+|email(ed)?\s+|write to\s+(the\s+)?|messages for\s+|number listed for\s+|reach\s+|to\s+$)$`)
	// vagueGroupRE is a described but unnamed group.
	vagueGroupRE  = regexp.MustCompile(`(?i)\b(?:the |a )?((?:[\p{L}]+\s+)?group (?:in|that|which|who|doing|near|at)\b[^.?!;()"]*)`)
	contactTailRE = regexp.MustCompile(`(?i)\s+((at|on|with) the (address|number|email|website)|(and|but|so) (it|they|their|i|we|it's))\b.*$`)
	requesterRE   = regexp.MustCompile(`(?:\b(?:We're|We are|I'm with|I lead|I help run a group called|I run|Somos|[Mm]y group|[Oo]ur group)\s*\(?)(\p{Lu}[\p{L}'’.&-]*(?:\s+(?:(?:for|of|the|and|&|de|en|y)\s+)?\p{Lu}[\p{L}'’.&-]*)+)`)
)

// notGroup are names that are never a group to introduce.
var notGroup = map[string]bool{"Network Support": true, "Facebook": true, "Twitter": true, "Google Drive": true}

// targetGroup finds the group a leader asks to be introduced to: a name after
// an introduction cue or in the subject, else a quoted name, else the vague
// description the leader gave.
func targetGroup(m *message, in *Inbound, geo Geo) string {
	requester := requesterGroup(m)
	sender := strings.TrimSpace(in.From.Name)
	text := m.subject + "\n" + m.body
	if forwardRE.MatchString(m.subject) {
		text = m.body // a forwarded subject names the forwarded mail, not the ask
	}
	var first string
	for _, loc := range groupNameRE.FindAllStringIndex(text, -1) {
		name := strings.TrimRight(text[loc[0]:loc[1]], ".’'")
		if notGroup[name] || name == requester || name == sender || len(strings.Fields(name)) < 2 ||
			strings.HasPrefix(name, "The ") || strings.HasPrefix(name, "I ") {
			continue
		}
		if !groupish(name) || geo.HasPlaceName(name) {
			continue // a bare place is where the group is, not its name
		}
		if introCueRE.MatchString(text[max(0, loc[0]-40):loc[0]]) {
			return name
		}
		if first == "" {
			first = name
		}
	}
	if first != "" {
		// A capitalised run inside a description ("the group that does banner
		// drops on the Lake Street bridge") is a landmark, not the group.
		if desc := vagueGroup(m); desc != "" && strings.Contains(desc, first) {
			return desc
		}
		return first
	}
	for _, sm := range quotedRE.FindAllStringSubmatch(text, -1) {
		if r, _ := utf8.DecodeRuneInString(sm[1]); unicode.IsUpper(r) && groupish(sm[1]) {
			return sm[1]
		}
	}
	return vagueGroup(m)
}

// vagueGroup returns the description of a group the leader did not name, or "".
func vagueGroup(m *message) string {
	if sm := vagueGroupRE.FindStringSubmatch(m.body); sm != nil {
		desc := strings.TrimSpace(sm[1])
		if i := strings.Index(desc, " - "); i > 0 {
			desc = desc[:i]
		}
		desc = contactTailRE.ReplaceAllString(desc, "")
		return strings.Join(strings.Fields(desc), " ")
	}
	return ""
}

// groupish reports whether a capitalised run reads like a group's name
// rather than a place, a person or a sentence start.
func groupish(name string) bool {
	ws := strings.Fields(name)
	if len(ws) < 2 {
		return false
	}
	switch strings.ToLower(ws[0]) {
	case "hi", "hello", "hey", "hola", "dear", "thanks", "thank", "good", "i", "we", "our", "my", "is", "can", "could",
		"we're", "we’re", "i'm", "i’m", "somos", "there's", "there’s":
		return false
	}
	return true
}

// requesterGroup finds the sender's own group when the message names it
// ("We're Pflugerville Votes", "my group (Powderhorn Porch Talks)").
func requesterGroup(m *message) string {
	if sm := requesterRE.FindStringSubmatch(m.body); sm != nil && groupish(sm[1]) {
		return strings.TrimRight(sm[1], ".")
	}
	return ""
}

var evidenceRules = []struct {
	name string
	re   *regexp.Regexp
}{
	{"email_bounced", regexp.MustCompile(`(?i)\b(bounced?|bounces|bouncing|undeliverable|address not found|mailbox unavailable|comes back as|returned to sender|rebot[aó])\b`)},
	{"url_broken", regexp.MustCompile(`(?i)(\b404\b|website (is|was) down|site (is|was) down|broken link|page not found|website .{0,40}(doesn't|does not|won't) (load|work))`)},
	{"twitter_dormant", regexp.MustCompile(`(?i)\b(twitter|x handle|tweets?)\b.{0,120}\b(hasn't posted|has not posted|dormant|inactive|not active|dms are closed|no longer)\b`)},
	{"facebook_only", regexp.MustCompile(`(?i)(only contact .{0,40}facebook|facebook .{0,20}only|only (on|via|through) facebook|don't use facebook|do not use facebook)`)},
	{"phone_full", regexp.MustCompile(`(?i)\b(voicemail|voice mail|mailbox)\b.{0,20}\b(is )?full\b`)},
}

// evidence lists why the listed contact of a group does not work.
func evidence(text string) []string {
	var out []string
	for _, r := range evidenceRules {
		if r.re.MatchString(text) {
			out = append(out, r.name)
		}
	}
	return out
}
