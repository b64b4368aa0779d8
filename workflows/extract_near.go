package workflows

import (
	"regexp"
	"strconv"
	"strings"
)

// DefaultRadiusMiles is the radius of a "groups near X" request when the
// leader gives none.
const DefaultRadiusMiles = 25

// maxRadiusMiles bounds a written radius: beyond it a list is a state's.
const maxRadiusMiles = 150

// nearRE finds "near X", "around X", "close to X", "in and around X" and
// "within N miles of X", where X is a capitalised place name or a ZIP.
var nearRE = regexp.MustCompile(`\b(?:[Nn]ear|[Aa]round|[Cc]lose to|[Ww]ithin\s+(\d{1,3})\s*(?:miles?|mi\.?)\s+(?:of|from))\s+(?:the\s+)?(\d{5}\b|\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*)*)`)

// markNear sets f.Near (and f.RadiusMiles when written) when text asks for
// the groups near the place f names: its city or its ZIP. A district or a
// statewide request stays what it is.
func markNear(f *Fields, text string) {
	if f.District != "" || f.Statewide || (f.City == "" && f.ZIP == "") {
		return
	}
	for _, sm := range nearRE.FindAllStringSubmatch(text, -1) {
		place := sm[2]
		if !(f.City != "" && strings.HasPrefix(strings.ToLower(place), strings.ToLower(f.City)) || place == f.ZIP) {
			continue
		}
		f.Near = true
		if n, err := strconv.Atoi(sm[1]); err == nil && n > 0 {
			f.RadiusMiles = float64(min(n, maxRadiusMiles))
		}
		return
	}
}
