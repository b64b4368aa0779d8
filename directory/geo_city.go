package directory

import (
	"slices"
	"strings"
)

// ZIPsForCity returns, sorted, the ZIPs whose USPS place name in
// zip_geonames.csv (© GeoNames, CC BY) is city, case-insensitively, in the
// state with USPS code state. A Census name the USPS does not use ("Boise
// City") falls back to its postal form ("Boise").
func (g *Geography) ZIPsForCity(city, state string) []string {
	state = strings.ToUpper(strings.TrimSpace(state))
	key := normName(city)
	if key == "" || state == "" {
		return nil
	}
	find := func(key string) []string {
		var out []string
		for zip, e := range g.zips {
			if e.State == state && normName(e.City) == key {
				out = append(out, zip)
			}
		}
		slices.Sort(out)
		return out
	}
	out := find(key)
	if base, ok := strings.CutSuffix(key, " city"); ok && len(out) == 0 && base != "" {
		out = find(base)
	}
	return out
}

// DistrictsForCity returns, sorted and once each, every congressional
// district of the state that one of the city's ZIPs (ZIPsForCity) overlaps:
// a ZCTA's districts from zccd.csv, a PO-box or unique ZIP's those of the
// nearest ZCTA (DerivedDistrictsForZIP). Districts of another state, where a
// ZCTA straddles the line, are left out. Nil when the state has no ZIP with
// that name.
func (g *Geography) DistrictsForCity(city, state string) []string {
	state = strings.ToUpper(strings.TrimSpace(state))
	var out []string
	for _, zip := range g.ZIPsForCity(city, state) {
		for _, d := range g.zipDistricts[zip] {
			if strings.HasPrefix(d, state+"-") {
				out = append(out, d)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
