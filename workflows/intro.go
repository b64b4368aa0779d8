package workflows

import (
	"regexp"
	"strings"
)

// The kinds of outgoing mail of a double opt-in introduction.
const (
	// DraftIntroConsent asks the target group's leader, alone, whether they
	// agree to be introduced. It goes before any address is shared.
	DraftIntroConsent DraftKind = "intro_consent"
	// DraftIntroNote tells the requester, politely, that the introduction
	// will not happen (the leader said no or did not answer). It shares no
	// address.
	DraftIntroNote DraftKind = "intro_note"
)

// vagueWordRE matches the words of a described, unnamed group ("the
// Indivisible group in Round Rock", "the folks doing banner drops").
var vagueWordRE = regexp.MustCompile(`(?i)\b(group|folks|people|organizers|whoever|someone|those|team that|unnamed)\b`)

// VagueTarget reports whether target, as Classify extracted it, describes a
// group rather than naming it. A vague target is never matched
// automatically: a person picks the group among the candidates in the place.
func VagueTarget(target string) bool {
	t := strings.TrimSpace(target)
	if t == "" {
		return false
	}
	for _, w := range strings.Fields(t) {
		if vagueWordRE.MatchString(w) && strings.ToLower(w) == w {
			return true
		}
	}
	return false
}

// RequesterNames lists the group names the sender of in gives as their own,
// best first: the name Classify found ("We're Pflugerville Votes", "my group
// (Powderhorn Porch Talks)"), then capitalised runs of the signature that
// read like a group's name. Callers match each against the directory with
// the place as context.
func RequesterNames(in *Inbound, f Fields) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		s = strings.TrimSpace(strings.TrimRight(s, ".,;:"))
		if s == "" || seen[strings.ToLower(s)] || strings.EqualFold(s, f.TargetGroup) {
			return
		}
		seen[strings.ToLower(s)] = true
		out = append(out, s)
	}
	add(f.RequesterGroup)
	m := newMessage(in)
	sender := strings.TrimSpace(in.From.Name)
	for _, text := range []string{m.sig, lastLines(m.body, 4)} {
		for _, name := range groupNameRE.FindAllString(text, -1) {
			name = strings.TrimRight(name, ".’'")
			if notGroup[name] || strings.EqualFold(name, sender) || !groupish(name) {
				continue
			}
			add(name)
		}
	}
	return out
}

// lastLines returns the last n non-empty lines of s: where a sign-off puts
// the sender's group when there is no signature separator.
func lastLines(s string, n int) string {
	var keep []string
	lines := strings.Split(s, "\n")
	for i := len(lines) - 1; i >= 0 && len(keep) < n; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// Consent is a target leader's answer to our consent request.
type Consent string

// The answers a leader may give.
const (
	ConsentYes     Consent = "yes"
	ConsentNo      Consent = "no"
	ConsentUnclear Consent = "unclear" // a person reads it
)

var (
	consentYesRE = regexp.MustCompile(`(?i)(^\s*(yes|yep|yeah|sure|absolutely|definitely|of course|ok|okay|s[ií])\b|` +
		`\b(yes,? please|happy to (connect|be introduced|meet|talk|help)|glad to (connect|be introduced|meet|talk|help)|` +
		`please (go ahead|introduce|connect|share)|go ahead|feel free to (share|introduce|connect)|` +
		`(you )?(can|may) (share|give|pass on) (my|our)|sounds (good|great)|count (me|us) in|` +
		`(i'd|i would|we'd|we would) (love|be happy|be glad) to)\b)`)
	consentNoRE = regexp.MustCompile(`(?i)(^\s*(no|nope)\b|\b(not interested|no,? thanks?|no thank you|please (don't|do not)|` +
		`rather not|(we|i) (must |have to )?decline|not at (this|the moment)|not right now|(don't|do not) share|` +
		`not comfortable|(can't|cannot|can not) (take|do|help)|unsubscribe|remove (me|us))\b)`)
	// consentDoubtRE marks an answer that a person should read: a question,
	// a condition, a hesitation.
	consentDoubtRE = regexp.MustCompile(`(?i)(\?|\b(maybe|not sure|depends|unless|but first|who is|who are|what is|perhaps|if you)\b)`)
)

// maxConsentText is the longest own text read as a plain answer; a longer
// reply says more than yes or no, and a person reads it.
const maxConsentText = 400

// ConsentAnswer reads the target leader's reply to a consent request,
// conservatively: only the sender's own words (quoted text and signature
// removed) are read; a short clear yes is ConsentYes, a short clear no is
// ConsentNo, and anything else (both, neither, a question, a condition, a
// long text) is ConsentUnclear for staff.
func ConsentAnswer(in *Inbound) Consent {
	m := newMessage(in)
	text := strings.Join(strings.Fields(m.body), " ")
	if text == "" || len(text) > maxConsentText || consentDoubtRE.MatchString(text) {
		return ConsentUnclear
	}
	yes, no := consentYesRE.MatchString(text), consentNoRE.MatchString(text)
	switch {
	case yes && !no:
		return ConsentYes
	case no && !yes:
		return ConsentNo
	}
	return ConsentUnclear
}

// purposeRE finds the sentence in which a requester says what they want to
// do with the other group ("we'd like to do a joint canvass on the 1st").
var purposeRE = regexp.MustCompile(`(?i)\b((?:we|i|my group|our group)(?:'d| would)? (?:like|love|want|wants|hope|are hoping|plan) to [^.!?\n]{3,160})`)

// IntroPurpose returns, in the requester's words, what they want to do
// together, or "" when they do not say. A sentence that holds an address or
// a link is left out.
func IntroPurpose(in *Inbound) string {
	m := newMessage(in)
	sm := purposeRE.FindStringSubmatch(strings.Join(strings.Fields(m.body), " "))
	if sm == nil {
		return ""
	}
	p := strings.TrimSpace(sm[1])
	if strings.ContainsAny(p, "@<>") || strings.Contains(p, "://") {
		return ""
	}
	return p
}
