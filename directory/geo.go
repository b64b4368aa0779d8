package directory

import (
	"embed"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// dataFS holds the reference CSVs described in data/PROVENANCE.md.
//
//go:embed data/*.csv
var dataFS embed.FS

// State is one state, DC or territory (data: directory/data/states.csv).
type State struct {
	FIPS string // 2-digit state FIPS code
	USPS string // USPS code, "TX"
	Name string // Census name, "Texas"
	// HouseSeats is the number of voting House seats (2020 apportionment);
	// 0 for DC and the territories.
	HouseSeats int
	// AtLarge is true when the state elects its one Representative
	// statewide, written "WY-AL".
	AtLarge bool
	// NonvotingMember is "Delegate" or "Resident Commissioner" for DC and the
	// territories, else "".
	NonvotingMember string
}

// ZIPEntry is one USPS ZIP code with its GeoNames place name and centroid
// (data: directory/data/zip_geonames.csv, © GeoNames, CC BY).
type ZIPEntry struct {
	ZIP        string
	City       string
	State      string // USPS code
	County     string
	CountyFIPS string
	Lat, Lon   float64
}

// Place is one state, county or populated place with its Census TIGER internal
// point (data: directory/data/places.csv).
type Place struct {
	Name     string
	State    string // USPS code
	Kind     string // "state", "county", "place", or "postal" (a USPS town name only)
	Lat, Lon float64
	// PopRank is the 1-based population rank; use it only as a tie-breaker.
	PopRank int
}

// Geography is the in-memory reference geography: states, ZIP→district,
// ZIP→place, places, and Members of Congress with their district offices.
// It is read-only once loaded and safe for concurrent use.
type Geography struct {
	states       []State
	stateByCode  map[string]int
	stateByName  map[string]int
	zipDistricts map[string][]string
	zipDerived   map[string]DerivedZIP // ZIPs without a ZCTA: see deriveZIPDistricts
	zips         map[string]ZIPEntry
	places       []Place
	placesByName map[string][]int32

	members         []Member
	membersByDist   map[string][]int
	senatorsByState map[string][]int
	offices         []Office
	officesByDist   map[string][]int
	officesByMember map[string][]int
}

var (
	geoOnce sync.Once
	geoVal  *Geography
	geoErr  error
)

// MustGeography returns the Geography loaded once from the embedded data and
// shared by every caller. It panics if the embedded data is broken, which a
// test of LoadGeography would have caught.
func MustGeography() *Geography {
	geoOnce.Do(func() { geoVal, geoErr = LoadGeography() })
	if geoErr != nil {
		panic(geoErr)
	}
	return geoVal
}

// LoadGeography parses the embedded CSVs in directory/data into a new
// Geography. The files are independent, so they are parsed concurrently.
func LoadGeography() (*Geography, error) {
	g := &Geography{}
	loaders := []func() error{g.loadStates, g.loadZCCD, g.loadZIPs, g.loadPlaces, g.loadMembers, g.loadOffices}
	errs := make([]error, len(loaders))
	var wg sync.WaitGroup
	for i, load := range loaders {
		wg.Go(func() { errs[i] = load() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	g.addPostalNames()
	g.deriveZIPDistricts()
	return g, nil
}

// addPostalNames adds, as places of kind "postal", the USPS town names of
// zip_geonames.csv that places.csv lacks in that state. People write the
// postal name: "Boise" where the Census place is "Boise City". Each gets the
// centroid of its first ZIP and ranks after every Census place.
func (g *Geography) addPostalNames() {
	zips := make([]string, 0, len(g.zips))
	for z := range g.zips {
		zips = append(zips, z)
	}
	slices.Sort(zips)
	for _, z := range zips {
		e := g.zips[z]
		key := normName(e.City)
		if slices.ContainsFunc(g.placesByName[key], func(i int32) bool { return g.places[i].State == e.State }) {
			continue
		}
		g.placesByName[key] = append(g.placesByName[key], int32(len(g.places)))
		g.places = append(g.places, Place{Name: e.City, State: e.State, Kind: "postal", Lat: e.Lat, Lon: e.Lon, PopRank: len(g.places) + 1})
	}
}

// StateByCode returns the state with the USPS code code ("tx" or "TX").
func (g *Geography) StateByCode(code string) (State, bool) {
	i, ok := g.stateByCode[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return State{}, false
	}
	return g.states[i], true
}

// StateByName returns the state named name, case-insensitively ("texas",
// "District of Columbia", "D.C.", "USVI").
func (g *Geography) StateByName(name string) (State, bool) {
	i, ok := g.stateByName[normName(name)]
	if !ok {
		return State{}, false
	}
	return g.states[i], true
}

// States returns every state, DC and territory in FIPS order.
func (g *Geography) States() []State {
	return append([]State(nil), g.states...)
}

// DistrictsForZIP returns every congressional district the ZIP (ZCTA)
// overlaps, sorted, such as ["NY-10", "NY-12"], or nil for an unknown ZIP
// (data: directory/data/zccd.csv). A PO-box or unique ZIP, which has no
// ZCTA, gets the districts of the nearest ZCTA of its state
// (DerivedDistrictsForZIP says so). The slice must not be modified.
func (g *Geography) DistrictsForZIP(zip string) []string {
	return g.zipDistricts[zip]
}

// ZIPInfo returns the place name, state and centroid of a ZIP
// (data: directory/data/zip_geonames.csv, © GeoNames, CC BY).
func (g *Geography) ZIPInfo(zip string) (ZIPEntry, bool) {
	z, ok := g.zips[zip]
	return z, ok
}

// PlacesNamed returns the states, counties and places whose name is name,
// case-insensitively, most populous first (data: directory/data/places.csv).
func (g *Geography) PlacesNamed(name string) []Place {
	idx := g.placesByName[normName(name)]
	out := make([]Place, len(idx))
	for i, j := range idx {
		out[i] = g.places[j]
	}
	return out
}

// HasPlaceName reports whether any place, county or state is called name,
// case-insensitively, without allocating.
func (g *Geography) HasPlaceName(name string) bool {
	return len(g.placesByName[normName(name)]) > 0
}

// CheckDistrict normalises a district such as "tx10", "TX-10", "VT-1" or
// "WY-0" to its canonical form ("TX-10", "VT-AL") and reports whether the
// state has such a seat (data: directory/data/states.csv).
func (g *Geography) CheckDistrict(s string) (string, bool) {
	d, ok := ParseDistrict(s)
	if !ok {
		return "", false
	}
	st, ok := g.StateByCode(d[:2])
	if !ok {
		return "", false
	}
	if st.AtLarge || st.HouseSeats == 0 {
		n := d[3:]
		if n == "AL" || n == "01" {
			return FormatDistrict(st.USPS, 0), true
		}
		return "", false
	}
	n, err := strconv.Atoi(d[3:])
	if err != nil || n < 1 || n > st.HouseSeats {
		return "", false
	}
	return d, true
}

// FormatDistrict writes district n of state as "TX-10" (two digits), or
// "WY-AL" for n == 0, the at-large or delegate seat as numbered in
// directory/data/zccd.csv.
func FormatDistrict(state string, n int) string {
	state = strings.ToUpper(state)
	if n == 0 {
		return state + "-AL"
	}
	return fmt.Sprintf("%s-%02d", state, n)
}

// ParseDistrict normalises the written forms "TX-10", "tx10", "TX 10",
// "TX-AL" and "WY-0" to "TX-10" or "WY-AL". It checks syntax only; use
// Geography.CheckDistrict to check that the seat exists.
func ParseDistrict(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) < 3 || !isUpper(s[0]) || !isUpper(s[1]) {
		return "", false
	}
	state, rest := s[:2], strings.TrimLeft(s[2:], " -")
	if rest == "AL" {
		return state + "-AL", true
	}
	if len(rest) == 0 || len(rest) > 2 {
		return "", false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 {
		return "", false
	}
	return FormatDistrict(state, n), true
}

func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }

// normName lower-cases a name, drops periods and collapses spaces, so that
// "St. Louis", "st louis" and "D.C." find the data's spelling.
func normName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, ".", "")
	return strings.Join(strings.Fields(s), " ")
}

// sortDistricts sorts every ZIP's district list, so look-ups are stable.
func sortDistricts(m map[string][]string) {
	for k, v := range m {
		sort.Strings(v)
		m[k] = v
	}
}
