package stories

import (
	"regexp"
	"strings"
	"time"
)

// quoteStart matches the line that opens a quoted reply or forward: an
// attribution ("On Tue, … wrote:"), Outlook's header block or separator,
// or a forward marker.
var quoteStart = regexp.MustCompile(`(?i)^\s*(on\b.{0,200}\bwrote:?\s*$|le\b.{0,200}\ba écrit\s*:|-{2,}\s*(original message|forwarded message)\s*-{2,}|_{10,}\s*$|from:\s.+|begin forwarded message:)`)

// signatureStart matches the line that opens a signature: the RFC 3676
// §4.3 delimiter "-- ", enmime's join of text parts, and the phrases phones
// and web mail add.
var signatureStart = regexp.MustCompile(`(?i)^(--\s?|sent from my .+|sent from (yahoo|outlook|mail) .*|get outlook for .+|enviado desde mi .+)$`)

// StoryText returns the story as the sender wrote it: the text before any
// quoted reply and signature, with '>' quoted lines dropped and blank runs
// squeezed.
func StoryText(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimRight(line, " \t\u00a0")
		if quoteStart.MatchString(trimmed) || signatureStart.MatchString(trimmed) {
			break
		}
		if strings.HasPrefix(strings.TrimSpace(trimmed), ">") {
			continue
		}
		if trimmed == "" && len(out) > 0 && out[len(out)-1] == "" {
			continue
		}
		out = append(out, trimmed)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// consentGiven matches, by kind, the sentences that allow publication:
//   - a permission: "you can share them", "feel free to publish", "you have
//     our permission to use", "OK to post", "happy for you to use";
//   - a right the sender holds or hands over: "photos are ours to share",
//     "they're yours to use", "free to use", "cleared for publication";
//   - an instruction to use them: "share them", "share away", "use them
//     however you like", "use these as you see fit";
//   - the people in them agreed: "everyone in them said OK", "everyone
//     agreed", "all of them consented", "everybody signed off".
var consentGiven = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b(you (can|may|are welcome to|have (my|our|full) permission to|have permission to)|feel free to|(it'?s |is |are )?ok(ay)? to|happy for you to|permission to|go ahead and|fine to|welcome to) (share|publish|use|post|print|run)\b`),
	regexp.MustCompile(`(?i)\b(ours|yours|mine|theirs|free) to (share|publish|use|post)\b|\bcleared (for|to) (publication|publish|sharing|share|use)\b|\b(we|i) (give|grant) (you )?(our |my )?(permission|consent)\b`),
	regexp.MustCompile(`(?i)^(please |so |just )?(share|use|post|publish) (them|it|these|this|those|away|freely)\b|\b(share|use|post|publish) (them|it|these|this|those|any of (them|it)) (however|wherever|whenever|as|any ?way|freely|anywhere)\b`),
	regexp.MustCompile(`(?i)\b(every(one|body)|all of (them|us)|they all|we all|all (the )?(people|folks|participants))( (in|pictured in|shown in) (them|it|the (photos?|pictures?|video)))? (said (ok|okay|yes|it'?s fine)|agreed|consented|gave (their )?(ok|okay|consent|permission)|signed off|(is|are|was|were) (ok|okay|fine|happy) with)`),
}

// consentRefused matches a sentence that withholds it: "please don't
// share", "ask before sharing", "not for publication", "keep them private".
var consentRefused = regexp.MustCompile(`(?i)\b(please )?(do not|don'?t|can'?t|cannot|not ok(ay)? to|no permission to|shouldn'?t|should not|must not|mustn'?t) (share|publish|use|post|print|run)\b|\bnot (for|to be) (publication|published|sharing|shared|posted|used)\b|\bprivate,? please\b|\bkeep (them|these|it|this) private\b|\b(ask|check with) (us|me|them|first)?\s*(first )?before (sharing|publishing|using|posting)\b`)

func givesConsent(s string) bool {
	for _, re := range consentGiven {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// sentenceRE splits text into sentences, roughly: a stop ends one only
// when a space or the end follows, so "youtu.be/x" or "3.5" does not.
var sentenceRE = regexp.MustCompile(`(?:[^.!?\n]|[.!?]+[^.!?\s])+(?:[.!?]+|$)`)

// Consent is what the sender said about publication.
type Consent struct {
	// State is "given", "refused" or "unknown".
	State string `json:"state"`
	// Sentence is the sender's own words, when there are any.
	Sentence string `json:"sentence,omitempty"`
}

// The consent states.
const (
	ConsentGiven   = "given"
	ConsentRefused = "refused"
	ConsentUnknown = "unknown"
)

// FindConsent looks for an explicit permission (or refusal) sentence in
// the sender's own text; a refusal wins over a permission.
func FindConsent(text string) Consent {
	text = strings.Join(strings.Fields(text), " ")
	var given string
	for _, s := range sentenceRE.FindAllString(text, -1) {
		s = strings.TrimSpace(s)
		if strings.HasSuffix(s, "?") { // a question asks; it neither gives nor refuses
			continue
		}
		if consentRefused.MatchString(s) {
			return Consent{State: ConsentRefused, Sentence: s}
		}
		if given == "" && givesConsent(s) {
			given = s
		}
	}
	if given != "" {
		return Consent{State: ConsentGiven, Sentence: given}
	}
	return Consent{State: ConsentUnknown}
}

// answerYes and answerNo read a short answer to our question about consent.
var (
	answerYes = regexp.MustCompile(`(?i)^\s*(yes|yep|yeah|sure|absolutely|of course|go ahead|please do|ok|okay)\b`)
	answerNo  = regexp.MustCompile(`(?i)^\s*(no|nope|please don'?t|rather not)\b`)
)

// ConsentAnswer reads a reply in the story's thread: an explicit sentence,
// else a leading yes or no.
func ConsentAnswer(reply string) Consent {
	own := StoryText(reply)
	if c := FindConsent(own); c.State != ConsentUnknown {
		return c
	}
	first := strings.TrimSpace(strings.SplitN(own, "\n", 2)[0])
	switch {
	case answerNo.MatchString(first):
		return Consent{State: ConsentRefused, Sentence: first}
	case answerYes.MatchString(first):
		return Consent{State: ConsentGiven, Sentence: first}
	}
	return Consent{State: ConsentUnknown}
}

// creditRE matches a credit: "please credit "X"", "Credit: X", "photo credit - X".
var creditRE = []*regexp.Regexp{
	regexp.MustCompile(`(?im)^[ \t]*(photos? )?credits?[ \t]*[:\-][ \t]*(?P<c>\S.*?)[ \t]*$`),
	regexp.MustCompile(`(?i)\bcredit(?: (?:it|them|the photos?|us))?(?: to| as)?[ \t]+["“](?P<c>[^"”]+)["”]`),
}

// FindCredit returns the credit line the sender asked for, or "".
func FindCredit(text string) string {
	flat := strings.Join(strings.Fields(text), " ")
	for i, re := range creditRE {
		src := text
		if i > 0 {
			src = flat
		}
		if m := re.FindStringSubmatch(src); m != nil {
			return strings.TrimSpace(m[re.SubexpIndex("c")])
		}
	}
	return ""
}

var (
	monthDayRE = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?\b`)
	numericRE  = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b`)
	weekdayRE  = regexp.MustCompile(`(?i)\b(sunday|monday|tuesday|wednesday|thursday|friday|saturday)\b|\b(yesterday|today|this morning|tonight|last night)\b`)
)

var months = map[string]time.Month{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7,
	"aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}

// ActionDate finds the date of the action in the story, relative to sent
// (the message's date): "October 25", "10/25", "on Saturday" (the last
// Saturday on or before sent), "yesterday". ok is false when the text
// names no date.
func ActionDate(text string, sent time.Time) (day time.Time, phrase string, ok bool) {
	if sent.IsZero() {
		return time.Time{}, "", false
	}
	y, loc := sent.Year(), sent.Location()
	back := func(t time.Time) time.Time { // a date after sent means last year
		if t.After(sent.AddDate(0, 0, 1)) {
			return t.AddDate(-1, 0, 0)
		}
		return t
	}
	if m := monthDayRE.FindStringSubmatch(text); m != nil {
		d := atoi(m[2])
		if d >= 1 && d <= 31 {
			return back(time.Date(y, months[strings.ToLower(m[1])], d, 0, 0, 0, 0, loc)), m[0], true
		}
	}
	if m := numericRE.FindStringSubmatch(text); m != nil {
		mo, d := atoi(m[1]), atoi(m[2])
		if mo >= 1 && mo <= 12 && d >= 1 && d <= 31 {
			t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, loc)
			if m[3] != "" {
				yy := atoi(m[3])
				if yy < 100 {
					yy += 2000
				}
				return time.Date(yy, time.Month(mo), d, 0, 0, 0, 0, loc), m[0], true
			}
			return back(t), m[0], true
		}
	}
	if m := weekdayRE.FindStringSubmatch(text); m != nil {
		today := time.Date(y, sent.Month(), sent.Day(), 0, 0, 0, 0, loc)
		switch w := strings.ToLower(m[0]); w {
		case "yesterday", "last night":
			return today.AddDate(0, 0, -1), m[0], true
		case "today", "this morning", "tonight":
			return today, m[0], true
		default:
			for i := 0; i < 7; i++ {
				d := today.AddDate(0, 0, -i)
				if strings.EqualFold(d.Weekday().String(), w) {
					return d, m[0], true
				}
			}
		}
	}
	return time.Time{}, "", false
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// groupNameRE matches runs of two or more capitalised words, allowing the
// small words group names use ("for", "of", "the"), and "&".
var groupNameRE = regexp.MustCompile(`\b[A-Z][\p{L}'’-]+(?:\s+(?:(?:for|of|the|and|&|de|del|la)\s+)?[A-Z][\p{L}'’-]+)+`)

// andSplitRE splits "A and B" runs.
var andSplitRE = regexp.MustCompile(`\s+(?:and|&)\s+`)

// leadingWords are capitalised words a sentence or greeting puts before a
// group's name ("Hi Network Support", "Last Sunday Westside Voters
// Alliance"): they are not part of it.
var leadingWords = map[string]bool{"hi": true, "hello": true, "hey": true, "dear": true, "thanks": true,
	"thank": true, "last": true, "this": true, "next": true, "our": true, "we": true, "with": true, "and": true,
	"the": true, "yesterday": true, "today": true, "tonight": true, "monday": true, "tuesday": true,
	"wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true}

// GroupMentions returns the phrases of the story that may name groups, for
// matching against the directory. A run "A and B" is tried whole and split;
// a run across a line break ("Dana\nCedar Park Civic Club", a signature) is
// tried line by line and whole (a wrapped name); greeting and day words
// before a name are dropped. The parts come before the whole.
func GroupMentions(text string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		f := strings.Fields(s)
		for len(f) > 0 && leadingWords[strings.ToLower(f[0])] {
			f = f[1:]
		}
		s = strings.Join(f, " ")
		if len(f) < 2 || seen[strings.ToLower(s)] {
			return
		}
		seen[strings.ToLower(s)] = true
		out = append(out, s)
	}
	for _, m := range groupNameRE.FindAllString(StoryText(text), -1) {
		var whole []string
		for _, p := range andSplitRE.Split(m, -1) {
			if lines := strings.Split(p, "\n"); len(lines) > 1 {
				for _, l := range lines {
					add(l)
				}
			}
			add(p)
			whole = append(whole, p)
		}
		if len(whole) > 1 {
			add(m)
		}
	}
	return out
}

// groupWords are the words a group's name ends with ("Vine City Votes",
// "Cedar Park Civic Club"); a name the directory does not know is kept as
// the sender wrote it only when it looks like a group's.
var groupWords = map[string]bool{"votes": true, "voters": true, "neighbors": true, "neighbours": true,
	"rising": true, "club": true, "alliance": true, "civic": true, "table": true, "collective": true,
	"act": true, "action": true, "network": true, "indivisible": true, "huddle": true, "circle": true,
	"coalition": true, "united": true, "democracy": true, "democrats": true, "forward": true, "writers": true,
	"talk": true, "commons": true, "resists": true, "resistance": true, "together": true, "caucus": true,
	"committee": true, "council": true, "association": true, "league": true, "project": true, "union": true,
	"families": true, "group": true, "collaborative": true, "organizers": true, "society": true}

// LooksLikeGroupName says whether a mention reads as a group's name: it
// ends with a word such names end with, or starts with "Indivisible" or
// "Persist".
func LooksLikeGroupName(s string) bool {
	f := strings.Fields(strings.ToLower(s))
	if len(f) < 2 {
		return false
	}
	return groupWords[strings.Trim(f[len(f)-1], "'’-")] || f[0] == "indivisible" || f[0] == "persist"
}
