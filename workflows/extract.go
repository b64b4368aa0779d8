package workflows

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"switchboard/directory"
)

// significantRank is the population rank (directory/data/places.csv
// pop_rank, which also counts states and counties) within which a town is
// big enough that a bare mention of its name most likely means it: roughly
// towns of 40,000 people or more. A name shared by two such towns
// (Springfield, Portland, Columbus, Madison) is ambiguous without other
// evidence.
const significantRank = 2000

var (
	// "TX-10", "TX10", "NV 2", "WY-AL": a USPS code and a seat number.
	districtCodeRE = regexp.MustCompile(`\b([A-Z]{2})[- ]?(\d{1,2}|AL)\b`)
	// "CD 4", "CD-4", "district 4", "distrito 4", "10th congressional district", "the 10th".
	districtNumRE = regexp.MustCompile(`(?i)\b(?:cd|district|distrito|congressional district)[- #]?(\d{1,2})\b|\b(\d{1,2})(?:st|nd|rd|th)\b(?:\s+(?:congressional\s+)?district\b)?`)
	zipRE         = regexp.MustCompile(`\b\d{5}(?:-\d{4})?\b`)
	phoneRE       = regexp.MustCompile(`(?:\(\s*(\d{3})\s*\)\s*|\b(\d{3})[-. ])\d{3}[-. ]\d{4}\b`)
	urlRE         = regexp.MustCompile(`(?i)\b(?:https?://|www\.)\S+`)
	atLargeRE     = regexp.MustCompile(`(?i)\bat[- ]large\b|\bstatewide\b|\bwhole state\b|\bentire state\b|\bevery group in the state\b|\ball (the )?groups in the state\b|\btodo el estado\b`)
	placeTokenRE  = regexp.MustCompile(`\b[A-Z][a-zA-Z'’.-]*(?:\s+[A-Z][a-zA-Z'’.-]*){0,3}`)
	placeCueRE    = regexp.MustCompile(`(?i)(\b(in|near|around|from|of|en|de|at|to)\s+(the\s+)?$|\bhere in\s+$|\(\s*$)`)
)

// mention is one place name found in the text.
type mention struct {
	name   string
	pos    int
	cue    bool // after "in", "near", "from" ... or written "City, ST"
	sig    bool // only in the signature
	inName bool // only inside a longer capitalised name
	states []string
	state  string // the state it resolves to, or ""
}

// extract fills Fields from the subject and the sender's own text.
func extract(in *Inbound, m *message, geo Geo, kinds []Kind) Fields {
	var f Fields
	body := urlRE.ReplaceAllString(m.subject+"\n"+m.body, " ")
	sig := urlRE.ReplaceAllString(m.sig, " ")
	all := body + "\n" + sig
	if isMachine(kinds) {
		all = urlRE.ReplaceAllString(m.subject+"\n"+in.Text, " ")
		body, sig = all, ""
	}

	ev := map[string]int{} // state → weight of evidence
	// Districts written as codes, "Texas's 10th", "10th district of Texas".
	var districts []string
	var sigDistricts []string
	addDistrict := func(d string, inSig bool) {
		if inSig {
			sigDistricts = append(sigDistricts, d)
		} else if !slices.Contains(districts, d) {
			districts = append(districts, d)
		}
		ev[d[:2]] += 3
	}
	for i, text := range []string{body, sig} {
		for _, sm := range districtCodeRE.FindAllStringSubmatch(text, -1) {
			if d, ok := geo.CheckDistrict(sm[1] + "-" + sm[2]); ok {
				addDistrict(d, i == 1)
			}
		}
		for _, d := range namedDistricts(text, geo) {
			addDistrict(d, i == 1)
		}
	}
	// State names and "City, ST" codes.
	named := namedStates(all, geo)
	for _, st := range named {
		ev[st] += 2
	}
	// ZIPs (not inside phone numbers or street numbers of a PO box).
	var zips []string
	var sigZIPs []string
	for i, text := range []string{body, sig} {
		clean := phoneRE.ReplaceAllString(text, " ")
		for _, loc := range zipRE.FindAllStringIndex(clean, -1) {
			z := clean[loc[0] : loc[0]+5]
			if strings.HasSuffix(strings.ToLower(strings.TrimSpace(clean[max(0, loc[0]-8):loc[0]])), "box") {
				continue
			}
			if _, ok := geo.ZIPInfo(z); !ok && geo.DistrictsForZIP(z) == nil {
				continue
			}
			if i == 0 {
				zips = append(zips, z)
			} else {
				sigZIPs = append(sigZIPs, z)
			}
		}
	}
	for _, z := range append(slices.Clone(zips), sigZIPs...) {
		if info, ok := geo.ZIPInfo(z); ok {
			ev[info.State] += 3
		} else if ds := geo.DistrictsForZIP(z); len(ds) > 0 {
			ev[ds[0][:2]] += 3
		}
	}
	// Area codes of phone numbers.
	for _, sm := range phoneRE.FindAllStringSubmatch(all, -1) {
		code := sm[1] + sm[2]
		if st, ok := areaCodeStates[code]; ok && !strings.HasPrefix(code, "555") {
			ev[st] += 2
		}
	}

	// Places.
	mentions := findPlaces(body, sig, geo, in)
	for _, p := range mentions {
		if len(p.states) == 1 && p.state != "" {
			ev[p.state]++
		}
	}
	for i := range mentions {
		resolvePlace(&mentions[i], ev, geo)
	}

	statewide := slices.Contains(kinds, KindListRequest) && atLargeRE.MatchString(body)
	districtLevel := len(districts) > 0 || statewide
	// A district written only as a number takes its state from the evidence.
	if len(districts) == 0 {
		if st := topState(ev); st != "" {
			for _, n := range bareDistrictNumbers(body) {
				if d, ok := geo.CheckDistrict(st + "-" + strconv.Itoa(n)); ok && !slices.Contains(districts, d) {
					districts = append(districts, d)
				}
			}
		}
		districtLevel = districtLevel || len(districts) > 0
	}

	// The city: the best mention; a signature-only place does not count for
	// a district-level or statewide request.
	zipCity := ""
	for _, z := range append(slices.Clone(zips), sigZIPs...) {
		if info, ok := geo.ZIPInfo(z); ok {
			zipCity = info.City
			break
		}
	}
	var best *mention
	for i := range mentions {
		p := &mentions[i]
		if p.sig && districtLevel {
			continue
		}
		if isMachine(kinds) && !p.cue {
			continue // context only: a bare capitalised word in a reply is more often a name
		}
		if best == nil || score(p, zipCity, geo) > score(best, zipCity, geo) {
			best = p
		}
	}
	onlyList := !slices.Contains(kinds, KindSubmission) && !slices.Contains(kinds, KindIntroduction)
	if best != nil && !(statewide && onlyList) {
		f.City = best.name
		f.State = best.state
		if best.state == "" {
			for _, st := range best.states {
				if pl := firstPlace(geo, best.name, st); pl != nil {
					f.Candidates = append(f.Candidates, pl.Name+", "+st)
				}
			}
		}
	}
	if !districtLevel || !onlyList {
		zips = append(zips, sigZIPs...)
	}
	if len(zips) > 0 {
		f.ZIP = zips[0]
		if f.City != "" && f.State == "" {
			if info, ok := geo.ZIPInfo(f.ZIP); ok && strings.EqualFold(info.City, f.City) {
				f.State, f.Candidates = info.State, nil
			}
		}
	}
	if len(districts) == 0 && len(sigDistricts) > 0 && !onlyList {
		districts = sigDistricts
	}
	if len(districts) == 0 && len(sigDistricts) > 0 && f.City == "" {
		districts = sigDistricts
	}
	// At-large requests name the state's only seat.
	if statewide {
		st := f.State
		if st == "" {
			st = topState(ev)
		}
		if s, ok := geo.StateByCode(st); ok {
			f.Statewide = true
			if s.AtLarge {
				districts = []string{directory.FormatDistrict(st, 0)}
			}
		}
	}
	switch {
	case len(districts) > 0:
		f.Districts = districts
		f.District = districts[0]
	case f.ZIP != "":
		// The districts a ZIP overlaps are context for the reply; District
		// stays what the leader asked about, so a city request stays one.
		if ds := geo.DistrictsForZIP(f.ZIP); len(ds) > 0 {
			f.Districts = slices.Clone(ds)
		}
	}
	if f.State == "" {
		switch {
		case f.District != "":
			f.State = f.District[:2]
		case f.ZIP != "":
			if info, ok := geo.ZIPInfo(f.ZIP); ok {
				f.State = info.State
			}
		case f.City == "" && len(named) > 0:
			f.State = named[0]
		}
	}
	if f.City != "" && f.State != "" && len(f.Candidates) > 0 {
		f.Candidates = nil
	}
	if f.ZIP == "" && f.City != "" && f.State == "" {
		f.Districts = nil
	}
	if slices.Contains(kinds, KindIntroduction) {
		f.TargetGroup = targetGroup(m, in, geo)
	}
	f.RequesterGroup = requesterGroup(m)
	f.Evidence = evidence(m.subject + "\n" + m.ownText)
	return f
}

func isMachine(kinds []Kind) bool {
	return len(kinds) == 1 && (kinds[0] == KindBounce || kinds[0] == KindAutoReply || kinds[0] == KindOther ||
		kinds[0] == KindFollowup)
}

// score ranks place mentions: a cue ("in Austin", "Columbus, GA"), a
// resolved state, the ZIP's own town and a big town count for it; a place
// only in the signature or only inside a longer name counts against it.
func score(p *mention, zipCity string, geo Geo) int {
	s := 0
	if p.cue {
		s += 2
	}
	if p.state != "" {
		s += 3
		if pl := firstPlace(geo, p.name, p.state); pl != nil && pl.PopRank <= significantRank {
			s++
		}
	}
	if strings.EqualFold(p.name, zipCity) {
		s += 2
	}
	if p.sig {
		s -= 2
	}
	if p.inName {
		s--
	}
	return s
}

func topState(ev map[string]int) string {
	best, bw := "", 0
	for st, w := range ev {
		if w > bw || w == bw && st < best {
			best, bw = st, w
		}
	}
	return best
}

// namedStates lists the states written out ("Arizona", "Texas's") or as a
// code after a place or before a ZIP ("Columbus, GA", "Kingston, NY 12401").
func namedStates(text string, geo Geo) []string {
	var out []string
	add := func(st string) {
		if !slices.Contains(out, st) {
			out = append(out, st)
		}
	}
	for _, loc := range stateNameRE.FindAllStringIndex(text, -1) {
		name := text[loc[0]:loc[1]]
		if st, ok := geo.StateByName(name); ok {
			if st.USPS == "WA" && !strings.Contains(strings.ToLower(text[loc[1]:min(len(text), loc[1]+7)]), "state") {
				continue // "Washington" is more often the city or a surname
			}
			add(st.USPS)
		}
	}
	for _, sm := range cityStateRE.FindAllStringSubmatch(text, -1) {
		if st, ok := geo.StateByCode(sm[1]); ok {
			add(st.USPS)
		}
	}
	return out
}

var (
	stateNameRE = regexp.MustCompile(`\b(Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York State|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|Puerto Rico)\b`)
	cityStateRE = regexp.MustCompile(`[a-z],\s+([A-Z]{2})\b(?:\s+\d{5})?|\b([A-Z]{2})\s+\d{5}\b`)
	// "Texas's 10th", after the state name.
	stateOrdinalRE = regexp.MustCompile(`^(?:'s|’s|'|’)?\s+(\d{1,2})(?:st|nd|rd|th)\b`)
	// "the 10th congressional district of", before the state name.
	ordinalOfStateRE = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)\s+(?:congressional\s+)?district\s+(?:of|in)\s+$`)
)

// namedDistricts finds "Texas's 10th", "Texas 10th" and "the 10th
// (congressional) district of/in Texas".
func namedDistricts(text string, geo Geo) []string {
	var out []string
	for _, loc := range stateNameRE.FindAllStringIndex(text, -1) {
		st, ok := geo.StateByName(text[loc[0]:loc[1]])
		if !ok {
			continue
		}
		after := text[loc[1]:min(len(text), loc[1]+12)]
		if sm := stateOrdinalRE.FindStringSubmatch(after); sm != nil {
			n, _ := strconv.Atoi(sm[1])
			if d, ok := geo.CheckDistrict(st.USPS + "-" + strconv.Itoa(n)); ok {
				out = append(out, d)
			}
			continue
		}
		before := text[max(0, loc[0]-45):loc[0]]
		if sm := ordinalOfStateRE.FindStringSubmatch(before); sm != nil {
			if d, ok := geo.CheckDistrict(st.USPS + "-" + sm[1]); ok {
				out = append(out, d)
			}
		}
	}
	return out
}

// bareDistrictNumbers finds district numbers written without a state:
// "CD 4", "district 4", "the 10th", "10th congressional district".
func bareDistrictNumbers(text string) []int {
	var out []int
	for _, sm := range districtNumRE.FindAllStringSubmatchIndex(text, -1) {
		var n int
		switch {
		case sm[2] >= 0:
			n, _ = strconv.Atoi(text[sm[2]:sm[3]])
		case sm[4] >= 0:
			// An ordinal counts only as "the 10th" or "10th district", not "the 1st of May".
			ord := text[sm[0]:sm[1]]
			pre := strings.ToLower(text[max(0, sm[0]-4):sm[0]])
			post := strings.ToLower(text[sm[1]:min(len(text), sm[1]+6)])
			if !strings.Contains(ord, "istrict") && !(strings.HasSuffix(pre, "the ") && !strings.HasPrefix(post, " of") &&
				!startsWithLetterWord(post)) {
				continue
			}
			n, _ = strconv.Atoi(text[sm[4]:sm[5]])
		}
		if n > 0 && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func startsWithLetterWord(s string) bool {
	s = strings.TrimLeft(s, " ")
	return s != "" && unicode.IsLetter(rune(s[0]))
}

// findPlaces finds capitalised names of populated places in the body and the
// signature, skipping the sender's own name, state names, counties, streets
// and common words. Each name is kept once, with its best occurrence.
func findPlaces(body, sig string, geo Geo, in *Inbound) []mention {
	skip := map[string]bool{}
	for _, w := range strings.Fields(in.From.Name + " " + in.ReplyAddress().Name) {
		skip[strings.Trim(strings.ToLower(w), `",.`)] = true
	}
	// A name greeted ("Hi Dana,") is a person wherever it appears, e.g. in
	// the quoted signature of the mail being answered.
	for _, text := range []string{body, sig} {
		for _, sm := range greetedNameRE.FindAllStringSubmatch(text, -1) {
			skip[strings.ToLower(sm[1])] = true
		}
	}
	var out []mention
	seen := map[string]int{}
	for part, text := range []string{body, sig} {
		for _, loc := range placeTokenRE.FindAllStringIndex(text, -1) {
			words := strings.Fields(text[loc[0]:loc[1]])
			offs := wordOffsets(text[loc[0]:loc[1]])
			// Try the longest run of words first, at each start.
			for i := 0; i < len(words); i++ {
				for j := len(words); j > i; j-- {
					name := strings.TrimRight(strings.Join(words[i:j], " "), ".,'’")
					name = strings.TrimSuffix(strings.TrimSuffix(name, "'s"), "’s")
					if j-i == 1 && (skip[strings.ToLower(name)] || commonWord[strings.ToLower(name)]) {
						continue
					}
					if !geo.HasPlaceName(name) {
						continue
					}
					if end := loc[0] + offs[i] + len(name); end < len(text) && text[end] == ':' {
						continue // a label ("Auto:", "Subject:"), not a place
					}
					next := ""
					if j < len(words) {
						next = strings.Trim(words[j], ".,")
					}
					states := placeStates(geo, name)
					if len(states) == 0 || nonPlaceWord[next] {
						i = j - 1 // a state, county or street: consume it
						break
					}
					start := loc[0] + offs[i]
					rest := text[start+len(name):]
					o := mention{name: name, pos: start, sig: part == 1, states: states,
						cue: placeCueRE.MatchString(text[max(0, start-12):start]) || followedByState(rest, geo),
						// Followed by another capitalised word, it is part of a
						// longer name: "Hudson Valley Rising", "Ann Arbor Climate Neighbors".
						inName: next != "" && !followedByState(rest, geo)}
					if k, ok := seen[name]; ok {
						p := &out[k]
						p.sig = p.sig && o.sig
						p.cue = p.cue || o.cue
						p.inName = p.inName && o.inName
					} else {
						seen[name] = len(out)
						out = append(out, o)
					}
					i = j - 1
					break
				}
			}
		}
	}
	return out
}

// placeStates lists the states that have a populated place (not a county or
// state) called name.
func placeStates(geo Geo, name string) []string {
	if _, isState := geo.StateByName(name); isState {
		return nil
	}
	var states []string
	for _, p := range geo.PlacesNamed(name) {
		if (p.Kind == "place" || p.Kind == "postal") && !slices.Contains(states, p.State) {
			states = append(states, p.State)
		}
	}
	return states
}

// greetedNameRE finds the name after a greeting: "Hi Dana", "Dear Harold".
var greetedNameRE = regexp.MustCompile(`(?i:\b(?:hi|hello|hey|dear|hola|thanks|thank you),?)[ \t]+(\p{Lu}\p{Ll}+)\b`)

// nonPlaceWord are words that, after a place name, make it a county, a
// street or a landmark rather than the town.
var nonPlaceWord = map[string]bool{
	"County": true, "Parish": true, "Borough": true, "Row": true, "Street": true, "St": true, "Avenue": true,
	"Ave": true, "Road": true, "Rd": true, "Boulevard": true, "Blvd": true, "Drive": true, "Dr": true, "Lane": true,
	"Way": true, "Bridge": true, "Square": true, "Plaza": true, "Hill": true, "Heights": true, "Valley": true,
	"River": true, "Lake": true, "Creek": true, "Mountain": true, "Park": true, "Library": true, "University": true,
	"College": true, "High": true, "School": true, "Church": true, "Station": true, "Airport": true,
}

// followedByState reports whether rest starts with ", ST", " ST" or
// ", Statename".
func followedByState(rest string, geo Geo) bool {
	rest = strings.TrimLeft(rest, ", ")
	if len(rest) >= 2 {
		if _, ok := geo.StateByCode(rest[:2]); ok && (len(rest) == 2 || !unicode.IsLetter(rune(rest[2]))) && rest[:2] == strings.ToUpper(rest[:2]) {
			return true
		}
	}
	if loc := stateNameRE.FindStringIndex(rest); loc != nil && loc[0] == 0 {
		return true
	}
	return false
}

func wordOffsets(s string) []int {
	var offs []int
	in := false
	for i, r := range s {
		if unicode.IsSpace(r) {
			in = false
		} else if !in {
			offs = append(offs, i)
			in = true
		}
	}
	return offs
}

// resolvePlace picks the state of a place: the one the evidence in the
// message supports, else the only significant town of that name.
func resolvePlace(p *mention, ev map[string]int, geo Geo) {
	bestW := 0
	for _, st := range p.states {
		if w := ev[st]; w > bestW {
			p.state, bestW = st, w
		} else if w == bestW && w > 0 {
			p.state = "" // a tie: still ambiguous
		}
	}
	if p.state != "" {
		return
	}
	var big []string
	for _, pl := range geo.PlacesNamed(p.name) {
		if pl.Kind == "place" && pl.PopRank <= significantRank && !slices.Contains(big, pl.State) {
			big = append(big, pl.State)
		}
	}
	if len(big) == 1 {
		p.state = big[0]
	}
}

func firstPlace(geo Geo, name, state string) *directory.Place {
	for _, p := range geo.PlacesNamed(name) {
		if p.State == state && p.Kind == "place" {
			return &p
		}
	}
	return nil
}

// commonWord lists capitalised words that are also names of small places
// but in mail are almost always something else.
var commonWord = map[string]bool{
	"hi": true, "hello": true, "hey": true, "hola": true, "thanks": true, "thank": true, "dear": true, "best": true,
	"many": true, "much": true, "all": true, "sincerely": true, "warmly": true, "kind": true, "love": true,
	"regards": true, "cheers": true, "gracias": true, "we": true, "i": true, "our": true, "the": true, "a": true,
	"saturday": true, "sunday": true, "monday": true, "tuesday": true, "wednesday": true, "thursday": true,
	"friday": true, "january": true, "february": true, "march": true, "april": true, "may": true, "june": true,
	"july": true, "august": true, "september": true, "october": true, "november": true, "december": true,
	"network": true, "support": true, "group": true, "groups": true, "photos": true, "photo": true, "video": true,
	"facebook": true, "twitter": true, "google": true, "drive": true, "youtube": true, "dropbox": true,
	"list": true, "intro": true, "quick": true, "also": true, "one": true, "here": true, "there": true, "can": true,
	"could": true, "would": true, "is": true, "if": true, "it": true, "my": true, "sent": true, "iphone": true,
	"email": true, "address": true, "please": true, "sorry": true, "good": true, "great": true, "hope": true,
	"new": true, "big": true, "center": true, "park": true, "square": true, "street": true, "county": true,
	"city": true, "town": true, "library": true, "church": true, "bridge": true, "democracy": true, "civic": true,
	"votes": true, "neighbors": true, "action": true, "united": true, "rising": true, "club": true, "reverend": true,
	"black": true, "white": true, "green": true, "brown": true, "gray": true, "grey": true, "red": true, "blue": true,
	"golden": true, "silver": true, "early": true, "fair": true, "liberty": true, "justice": true, "unity": true,
	"friendship": true, "harmony": true, "progress": true, "welcome": true, "enterprise": true, "commerce": true,
}
