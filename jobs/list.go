package jobs

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"switchboard/directory"
	"switchboard/mailin"
	"switchboard/store"
	"switchboard/workflows"
)

// nearestShown is how many of the nearest groups a reply that found none
// names.
const nearestShown = 5

// listDraft answers a list request: a question when the place is ambiguous,
// the list when it is known, nil when no place was found at all.
func (p *Pipeline) listDraft(ctx context.Context, in *workflows.Inbound, f workflows.Fields) (*workflows.Draft, error) {
	if f.State == "" && len(f.Candidates) > 0 {
		states := make([]string, 0, len(f.Candidates))
		for _, c := range f.Candidates {
			states = append(states, workflows.CandidateState(c))
		}
		counts, err := p.deps.Store.CityGroupCounts(ctx, f.City, states)
		if err != nil {
			return nil, err
		}
		d, err := workflows.ComposeListQuestion(in, f, counts, p.deps.Templates)
		return &d, err
	}
	a, ok, err := p.listAnswer(ctx, f)
	if err != nil || !ok {
		return nil, err
	}
	d, err := workflows.ComposeListAnswer(in, f, a, p.deps.Templates)
	return &d, err
}

// listAnswer looks up what the directory holds for the place in f, in this
// order: a statewide request, the groups near a place, a district (or
// several), a city, the districts a ZIP overlaps, a state. ok is false when
// f names no usable place.
func (p *Pipeline) listAnswer(ctx context.Context, f workflows.Fields) (a workflows.ListAnswer, ok bool, err error) {
	st, geo := p.deps.Store, p.deps.Geo
	lat, lon, hasCenter := p.center(f)
	var districts []string
	byZIP := false // the groups are those of the districts the ZIP overlaps
	switch {
	case f.State != "" && (f.Statewide || f.City == "" && f.District == "" && len(f.Districts) == 0 && f.ZIP == ""):
		a.Groups, err = st.GroupsInState(ctx, f.State)
		a.Place = f.State
		if s, ok := geo.StateByCode(f.State); ok {
			a.Place = s.Name
		}
		districts = stateDistricts(geo, f.State)
	case f.Near && hasCenter:
		miles := cmp.Or(f.RadiusMiles, p.deps.RadiusMiles, workflows.DefaultRadiusMiles)
		a.Groups, err = st.GroupsNear(ctx, lat, lon, miles)
		a.Place = fmt.Sprintf("within %g miles of %s", miles, nearName(f))
		districts = groupDistricts(geo, a.Groups)
	case f.District != "":
		districts = f.Districts
		if !slices.Contains(districts, f.District) {
			districts = []string{f.District}
		}
		a.Groups, err = st.GroupsInDistricts(ctx, districts)
		a.Place = districtsPlace(geo, districts)
	case f.City != "" && f.State != "":
		a.Groups, err = st.GroupsInCity(ctx, f.City, f.State)
		a.Place = f.City + ", " + f.State
		// The leader's representation: every district of the city's ZIPs,
		// not only those its listed groups sit in.
		if districts = geo.DistrictsForCity(f.City, f.State); len(districts) == 0 {
			districts = groupDistricts(geo, a.Groups)
		}
	case len(f.Districts) > 0:
		districts = f.Districts
		byZIP = f.ZIP != ""
		a.Groups, err = st.GroupsInDistricts(ctx, districts)
		a.Place = "ZIP " + f.ZIP
	default:
		return a, false, nil
	}
	if err != nil {
		return a, false, err
	}
	if f.ZIP != "" {
		zipDistricts := geo.DistrictsForZIP(f.ZIP)
		if byZIP {
			// Only a list made from the ZIP's districts says it covers them.
			a.ZIP, a.ZIPDistricts = f.ZIP, zipDistricts
		}
		if f.District == "" && !f.Statewide && len(zipDistricts) > 0 {
			districts = zipDistricts
		}
	}
	for _, d := range districts {
		a.Districts = append(a.Districts, workflows.DistrictContacts{District: d,
			Members: geo.MembersForDistrict(d), Offices: geo.OfficesForDistrict(d)})
	}
	for _, g := range a.Groups {
		if g.Updated.After(a.Updated) {
			a.Updated = g.Updated
		}
	}
	if len(a.Groups) == 0 {
		if a.Updated, err = st.LastGroupImport(ctx); err != nil {
			return a, false, err
		}
		if hasCenter {
			near, err := st.NearestGroups(ctx, lat, lon, nearestShown)
			if err != nil {
				return a, false, err
			}
			for _, n := range near {
				a.Nearest = append(a.Nearest, workflows.NearGroup{Group: n.Group, Miles: n.Miles})
			}
		}
	}
	return a, true, nil
}

// center is the point of the place in f: the city's Census internal point
// (data: directory/data/places.csv), else the ZIP's centroid
// (zip_geonames.csv, © GeoNames), else the state's internal point.
func (p *Pipeline) center(f workflows.Fields) (lat, lon float64, ok bool) {
	geo := p.deps.Geo
	if f.City != "" && f.State != "" {
		for _, pl := range geo.PlacesNamed(f.City) {
			if pl.Kind == "place" && pl.State == f.State {
				return pl.Lat, pl.Lon, true
			}
		}
	}
	if z, ok := geo.ZIPInfo(f.ZIP); ok && f.ZIP != "" {
		return z.Lat, z.Lon, true
	}
	if s, ok := geo.StateByCode(f.State); ok {
		for _, pl := range geo.PlacesNamed(s.Name) {
			if pl.Kind == "state" && pl.State == s.USPS {
				return pl.Lat, pl.Lon, true
			}
		}
	}
	return 0, 0, false
}

// nearName names the centre of a radius request: "Columbus, OH" or
// "ZIP 43215".
func nearName(f workflows.Fields) string {
	if f.City != "" && f.State != "" {
		return f.City + ", " + f.State
	}
	return "ZIP " + f.ZIP
}

// districtsPlace names districts as a reply says them: "TX-10 and TX-35",
// an at-large district by its state, "Wyoming (at-large district WY-AL)".
func districtsPlace(geo *directory.Geography, districts []string) string {
	names := make([]string, 0, len(districts))
	for _, d := range districts {
		if strings.HasSuffix(d, "-AL") {
			if s, ok := geo.StateByCode(d[:2]); ok {
				d = s.Name + " (at-large district " + d + ")"
			}
		}
		names = append(names, d)
	}
	return strings.Join(names, " and ")
}

// stateDistricts lists every House seat of a state: "WY-AL", or "TX-01" to
// "TX-38" (data: directory/data/states.csv).
func stateDistricts(geo *directory.Geography, state string) []string {
	s, ok := geo.StateByCode(state)
	if !ok {
		return nil
	}
	if s.AtLarge || s.HouseSeats <= 1 {
		return []string{directory.FormatDistrict(s.USPS, 0)}
	}
	out := make([]string, 0, s.HouseSeats)
	for n := 1; n <= s.HouseSeats; n++ {
		out = append(out, directory.FormatDistrict(s.USPS, n))
	}
	return out
}

// groupDistricts lists, sorted, the districts of groups: each group's
// recorded district, else every district its ZIP overlaps.
func groupDistricts(geo *directory.Geography, groups []directory.Group) []string {
	var out []string
	for _, g := range groups {
		if g.District != "" {
			out = append(out, g.District)
		} else {
			out = append(out, geo.DistrictsForZIP(g.ZIP)...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// listKinds are the kinds of draft a list request produces; a correction of
// the place replaces them.
var listKinds = []workflows.DraftKind{workflows.DraftListReply, workflows.DraftQuestion}

// Redraft applies a staff correction of the place of request requestID and
// re-drafts its list reply from the message: the corrected fields and the
// new list draft replace the request's awaiting list reply or question in
// one transaction (store.CorrectPlace), other drafts staying as they are.
// The request must be a list request or a mixed one with a list ask.
func (p *Pipeline) Redraft(ctx context.Context, requestID int64, fix workflows.PlaceFix, by string) error {
	req, err := p.deps.Store.Request(ctx, requestID)
	if err != nil {
		return err
	}
	if !slices.Contains(req.Kinds, string(workflows.KindListRequest)) {
		return fmt.Errorf("redraft request %d: it is not a list request (%s): %w", requestID, req.Kind, store.ErrConflict)
	}
	f, err := req.Fields.Corrected(fix, p.deps.Geo)
	if err != nil {
		return fmt.Errorf("redraft request %d: %w", requestID, err)
	}
	msg, err := p.deps.Store.Message(ctx, req.MessageID)
	if err != nil {
		return fmt.Errorf("redraft request %d: %w", requestID, err)
	}
	in, err := parseStored(msg.Raw, msg.InternalDate)
	if err != nil {
		return fmt.Errorf("redraft request %d: %w", requestID, err)
	}
	d, err := p.listDraft(ctx, in, f)
	if err != nil {
		return fmt.Errorf("redraft request %d: %w", requestID, err)
	}
	pc := store.PlaceCorrection{RequestID: requestID, Fields: f, Kinds: listKinds, By: by}
	if d != nil {
		pc.Drafts = []workflows.Draft{*d}
	}
	if err := p.deps.Store.CorrectPlace(ctx, pc); err != nil {
		return err
	}
	p.deps.Logger.InfoContext(ctx, "request re-drafted", "request_id", requestID)
	return nil
}

// parseStored parses a stored message as Process does.
func parseStored(raw []byte, date time.Time) (*workflows.Inbound, error) {
	in, err := mailin.Parse(raw, date)
	if err != nil {
		return nil, err
	}
	sanitize(in)
	return in, nil
}
