package workflows

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

var (
	answerZIPRE  = regexp.MustCompile(`\b(\d{5})(?:-\d{4})?\b`)
	answerCodeRE = regexp.MustCompile(`\b[A-Z]{2}\b`)
	// answerStateRE finds state names in any case. At one position the
	// longer name wins: "West Virginia" is not Virginia.
	answerStateRE = regexp.MustCompile(`(?i)\b(Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|` +
		`District of Columbia|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|` +
		`Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|` +
		`New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Puerto Rico|Rhode Island|South Carolina|` +
		`South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming)\b`)
)

// PlaceAnswer reads a leader's reply to our question about the place of a
// list request (asked: that request's fields, with the City we asked about
// and its Candidates) and returns the request's fields with the place the
// reply gives. Only the leader's own words count: the quoted question, which
// names every candidate, and the signature are left out. The reply may give
// a ZIP (then the city too when the ZIP is in one of the candidate states or
// is the city's) or the state of the city, by name ("Missouri") or by code
// ("MO"); the state must be a candidate's, or, when we listed none, have a
// place of that name. ok is false, with why, when the reply gives no such
// place or more than one.
func PlaceAnswer(in *Inbound, asked Fields, geo Geo) (f Fields, why string, ok bool) {
	city := strings.Join(strings.Fields(asked.City), " ")
	if city == "" {
		return asked, "the question was about no city", false
	}
	m := newMessage(in)
	text := m.body
	var cands []string
	for _, c := range asked.Candidates {
		if st := CandidateState(c); st != "" && !slices.Contains(cands, st) {
			cands = append(cands, st)
		}
	}
	cityIn := func(st string) bool {
		if len(cands) > 0 {
			return slices.Contains(cands, st)
		}
		_, ok := townNamed(geo, city, st)
		return ok
	}
	keep := func(out Fields) Fields { // what the place correction drops but the leader still asked
		out.Near, out.RadiusMiles = asked.Near, asked.RadiusMiles
		return out
	}

	var zips []string
	for _, sm := range answerZIPRE.FindAllStringSubmatch(text, -1) {
		if _, known := geo.ZIPInfo(sm[1]); (known || len(geo.DistrictsForZIP(sm[1])) > 0) && !slices.Contains(zips, sm[1]) {
			zips = append(zips, sm[1])
		}
	}
	states := answerStates(text, city, geo)
	var fit []string // the states named that have the city
	for _, st := range states {
		if cityIn(st) {
			fit = append(fit, st)
		}
	}
	switch {
	case len(zips) > 1:
		return asked, fmt.Sprintf("the reply gives %d ZIP codes (%s)", len(zips), strings.Join(zips, ", ")), false
	case len(zips) == 1:
		out, err := asked.Corrected(PlaceFix{ZIP: zips[0]}, geo)
		if err != nil {
			return asked, err.Error(), false
		}
		if len(fit) > 0 && (len(fit) > 1 || fit[0] != out.State) {
			return asked, fmt.Sprintf("the reply gives ZIP %s, in %s, and names %s", zips[0], out.State, strings.Join(fit, ", ")), false
		}
		z, _ := geo.ZIPInfo(zips[0])
		if cityIn(out.State) || strings.EqualFold(z.City, city) {
			if name, ok := townNamed(geo, city, out.State); ok {
				out.City = name
				return keep(out), fmt.Sprintf("the reply gives ZIP %s: %s, %s", out.ZIP, out.City, out.State), true
			}
		}
		return keep(out), fmt.Sprintf("the reply gives ZIP %s", out.ZIP), true
	}
	switch {
	case len(fit) == 0 && len(states) > 0:
		return asked, fmt.Sprintf("the reply names %s, where we know no %s", strings.Join(states, ", "), city), false
	case len(fit) == 0:
		return asked, "the reply names no state or ZIP code", false
	case len(fit) > 1:
		return asked, fmt.Sprintf("the reply names several states (%s)", strings.Join(fit, ", ")), false
	}
	name, ok := townNamed(geo, city, fit[0])
	if !ok {
		return asked, fmt.Sprintf("we know no %s in %s", city, fit[0]), false
	}
	out, err := asked.Corrected(PlaceFix{State: fit[0]}, geo)
	if err != nil {
		return asked, err.Error(), false
	}
	out.City, out.Statewide, out.District, out.Districts = name, false, "", nil
	return keep(out), fmt.Sprintf("the reply names %s: %s, %s", fit[0], out.City, out.State), true
}

// townNamed returns the data's spelling of the Census place, or else the
// USPS town name (Boise), called name in state.
func townNamed(geo Geo, name, state string) (string, bool) {
	for _, kind := range []string{"place", "postal"} {
		for _, p := range geo.PlacesNamed(name) {
			if p.State == state && p.Kind == kind {
				return p.Name, true
			}
		}
	}
	return "", false
}

// answerStates lists, once each, the states text names: written out
// in any case ("missouri"; "West Virginia" is not also Virginia) or as an
// upper-case USPS code ("MO"). The city asked about is taken out first, so that the
// answer to "which Washington?" is not read as the state.
func answerStates(text, city string, geo Geo) []string {
	cityRE := regexp.MustCompile(`(?i)\b` + regexp.QuoteMeta(city) + `\b`)
	text = cityRE.ReplaceAllStringFunc(text, func(s string) string { return strings.Repeat(" ", len(s)) })
	var out []string
	add := func(st string) {
		if !slices.Contains(out, st) {
			out = append(out, st)
		}
	}
	for _, loc := range answerStateRE.FindAllStringIndex(text, -1) {
		if st, ok := geo.StateByName(text[loc[0]:loc[1]]); ok {
			add(st.USPS)
		}
	}
	text = answerStateRE.ReplaceAllStringFunc(text, func(s string) string { return strings.Repeat(" ", len(s)) })
	for _, code := range answerCodeRE.FindAllString(text, -1) {
		if st, ok := geo.StateByCode(code); ok {
			add(st.USPS)
		}
	}
	return out
}
