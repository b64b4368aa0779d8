package workflows

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// PlaceFix is a staff correction of the place a list request is about:
// City with State, or State alone (statewide), or ZIP, or District.
type PlaceFix struct {
	City, State, ZIP, District string
}

// ErrBadPlace means a PlaceFix names no place, several at once, or one the
// geography does not know.
var ErrBadPlace = errors.New("bad place")

// Corrected returns f with its place replaced by fix, checked against geo
// (data: directory/data/*.csv). The request becomes unambiguous: the
// candidates and the radius are dropped. A city must exist in its state; a
// ZIP gives its state and every district it overlaps; a district its state;
// a state alone makes a statewide request.
func (f Fields) Corrected(fix PlaceFix, geo Geo) (Fields, error) {
	city := strings.Join(strings.Fields(fix.City), " ")
	state := strings.ToUpper(strings.TrimSpace(fix.State))
	zip := strings.TrimSpace(fix.ZIP)
	district := strings.TrimSpace(fix.District)
	given := 0
	for _, s := range []string{state, zip, district} {
		if s != "" {
			given++
		}
	}
	if given != 1 || city != "" && state == "" {
		return f, fmt.Errorf("correct place: give --city with --state, or --state, or --zip, or --district: %w", ErrBadPlace)
	}
	out := f
	out.City, out.State, out.ZIP, out.District, out.Districts = "", "", "", "", nil
	out.Candidates, out.Statewide, out.Near, out.RadiusMiles = nil, false, false, 0
	switch {
	case state != "":
		st, ok := geo.StateByCode(state)
		if !ok {
			return f, fmt.Errorf("correct place: %q is not a USPS state code: %w", fix.State, ErrBadPlace)
		}
		out.State = st.USPS
		if city == "" {
			out.Statewide = true
			if st.AtLarge {
				out.District = st.USPS + "-AL"
				out.Districts = []string{out.District}
			}
			break
		}
		p := firstPlace(geo, city, st.USPS)
		if p == nil {
			return f, fmt.Errorf("correct place: no place called %q in %s: %w", city, st.USPS, ErrBadPlace)
		}
		out.City = p.Name // the data's spelling
	case zip != "":
		z, ok := geo.ZIPInfo(zip)
		ds := geo.DistrictsForZIP(zip)
		if !ok && len(ds) == 0 {
			return f, fmt.Errorf("correct place: ZIP %q is not in the ZIP data: %w", fix.ZIP, ErrBadPlace)
		}
		out.ZIP, out.Districts = zip, slices.Clone(ds)
		out.State = z.State
		if out.State == "" {
			out.State = ds[0][:2]
		}
	case district != "":
		d, ok := geo.CheckDistrict(district)
		if !ok {
			return f, fmt.Errorf("correct place: %q is not a current district such as TX-10 or WY-AL: %w", fix.District, ErrBadPlace)
		}
		out.District, out.Districts, out.State = d, []string{d}, d[:2]
	}
	return out, nil
}
