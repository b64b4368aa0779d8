package directory

import (
	"math"
	"slices"
	"strings"
)

// DerivedZIP is the district list given to a ZIP that has no ZCTA (a PO-box
// or unique ZIP): the districts, in the ZIP's state, of the nearest ZCTA
// centroid of that state.
type DerivedZIP struct {
	ZIP       string
	State     string
	FromZCTA  string   // the nearest ZCTA of the state
	Districts []string // its districts in State, sorted
}

// deriveZIPDistricts gives every ZIP of zip_geonames.csv without a row in
// zccd.csv the districts of the nearest ZCTA of the same state, as
// directory/data/PROVENANCE.md §4 advises for the 7,317 PO-box and unique
// ZIPs ("use the lat/lon to find the nearest ZCTA"). A ZCTA's centroid is
// its ZIP's centroid in zip_geonames.csv (© GeoNames, CC BY); ZCTAs absent
// from that file are not candidates. Only districts of the ZIP's state are
// taken, so a ZCTA that straddles a state line lends only its in-state part.
// The results are added to zipDistricts and recorded in zipDerived.
func (g *Geography) deriveZIPDistricts() {
	type centroid struct {
		zcta     string
		lat, lon float64 // radians
	}
	byState := map[string][]centroid{}
	for zcta, ds := range g.zipDistricts {
		z, ok := g.zips[zcta]
		if !ok {
			continue
		}
		seen := ""
		for _, d := range ds {
			st := d[:2]
			if st != seen {
				byState[st] = append(byState[st], centroid{zcta, z.Lat * math.Pi / 180, z.Lon * math.Pi / 180})
				seen = st
			}
		}
	}
	for _, cs := range byState { // map order must not pick between equidistant ZCTAs
		slices.SortFunc(cs, func(a, b centroid) int { return strings.Compare(a.zcta, b.zcta) })
	}
	g.zipDerived = map[string]DerivedZIP{}
	for zip, z := range g.zips {
		if _, ok := g.zipDistricts[zip]; ok {
			continue
		}
		lat, lon := z.Lat*math.Pi/180, z.Lon*math.Pi/180
		best, bestD := "", math.Inf(1)
		for _, c := range byState[z.State] {
			// Haversine's monotone core: enough to compare distances.
			sa, so := math.Sin((c.lat-lat)/2), math.Sin((c.lon-lon)/2)
			if d := sa*sa + math.Cos(lat)*math.Cos(c.lat)*so*so; d < bestD {
				best, bestD = c.zcta, d
			}
		}
		if best == "" {
			continue
		}
		var ds []string
		for _, d := range g.zipDistricts[best] {
			if d[:2] == z.State {
				ds = append(ds, d)
			}
		}
		g.zipDerived[zip] = DerivedZIP{ZIP: zip, State: z.State, FromZCTA: best, Districts: ds}
	}
	for zip, d := range g.zipDerived {
		g.zipDistricts[zip] = d.Districts
	}
}

// DerivedDistrictsForZIP reports whether the districts DistrictsForZIP gives
// zip were derived from the nearest ZCTA (zip has none of its own) and, if
// so, from which.
func (g *Geography) DerivedDistrictsForZIP(zip string) (DerivedZIP, bool) {
	d, ok := g.zipDerived[zip]
	return d, ok
}

// DerivedZIPs returns every ZIP whose districts were derived from the
// nearest ZCTA, sorted by ZIP.
func (g *Geography) DerivedZIPs() []DerivedZIP {
	out := make([]DerivedZIP, 0, len(g.zipDerived))
	for _, d := range g.zipDerived {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b DerivedZIP) int { return strings.Compare(a.ZIP, b.ZIP) })
	return out
}
