package directory

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// stateAliases are common written names of states that differ from the
// Census names in states.csv.
var stateAliases = map[string]string{
	"dc": "DC", "d c": "DC", "washington dc": "DC", "washington d c": "DC",
	"usvi": "VI", "us virgin islands": "VI", "virgin islands": "VI",
	"cnmi": "MP", "northern mariana islands": "MP",
}

// readCSV opens an embedded CSV, checks its header and calls row for each
// data row. The record passed to row is reused between calls.
func readCSV(name string, header []string, row func(rec []string) error) error {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.ReuseRecord = true
	r.FieldsPerRecord = len(header)
	first, err := r.Read()
	if err != nil {
		return fmt.Errorf("read %s header: %w", name, err)
	}
	if !slices.Equal(first, header) {
		return fmt.Errorf("read %s: unexpected header %v", name, first)
	}
	for {
		rec, err := r.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("read %s: %w", name, err)
		}
		if err := row(rec); err != nil {
			line, _ := r.FieldPos(0)
			return fmt.Errorf("read %s line %d: %w", name, line, err)
		}
	}
}

// readPlainCSV is a fast reader for the large files that contain no quoted
// fields (zccd.csv, zip_geonames.csv): it splits lines and commas directly.
func readPlainCSV(name string, header []string, row func(rec []string) error) error {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	s := string(b)
	rec := make([]string, len(header))
	for n := 0; len(s) > 0; n++ {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			continue
		}
		if strings.IndexByte(line, '"') >= 0 {
			return fmt.Errorf("read %s line %d: quoted field not supported", name, n+1)
		}
		fields := rec[:0]
		for {
			i := strings.IndexByte(line, ',')
			if i < 0 {
				fields = append(fields, line)
				break
			}
			fields = append(fields, line[:i])
			line = line[i+1:]
		}
		if len(fields) != len(header) {
			return fmt.Errorf("read %s line %d: %d fields, want %d", name, n+1, len(fields), len(header))
		}
		if n == 0 {
			if !slices.Equal(fields, header) {
				return fmt.Errorf("read %s: unexpected header %v", name, fields)
			}
			continue
		}
		if err := row(fields); err != nil {
			return fmt.Errorf("read %s line %d: %w", name, n+1, err)
		}
	}
	return nil
}

func (g *Geography) loadStates() error {
	g.stateByCode = map[string]int{}
	g.stateByName = map[string]int{}
	err := readCSV("states.csv", []string{"state_fips", "usps", "name", "house_seats", "at_large", "nonvoting_member", "senators"},
		func(rec []string) error {
			seats, err := strconv.Atoi(rec[3])
			if err != nil {
				return fmt.Errorf("parse house_seats: %w", err)
			}
			st := State{FIPS: rec[0], USPS: rec[1], Name: rec[2], HouseSeats: seats,
				AtLarge: rec[4] == "true", NonvotingMember: rec[5]}
			g.stateByCode[st.USPS] = len(g.states)
			g.stateByName[normName(st.Name)] = len(g.states)
			g.states = append(g.states, st)
			return nil
		})
	if err != nil {
		return err
	}
	for alias, code := range stateAliases {
		if i, ok := g.stateByCode[code]; ok {
			g.stateByName[alias] = i
		}
	}
	return nil
}

func (g *Geography) loadZCCD() error {
	g.zipDistricts = make(map[string][]string, 34000)
	err := readPlainCSV("zccd.csv", []string{"state_fips", "state_abbr", "zcta", "cd"}, func(rec []string) error {
		n, err := strconv.Atoi(rec[3])
		if err != nil {
			return fmt.Errorf("parse cd: %w", err)
		}
		d := FormatDistrict(rec[1], n)
		if !slices.Contains(g.zipDistricts[rec[2]], d) {
			g.zipDistricts[rec[2]] = append(g.zipDistricts[rec[2]], d)
		}
		return nil
	})
	sortDistricts(g.zipDistricts)
	return err
}

func (g *Geography) loadZIPs() error {
	g.zips = make(map[string]ZIPEntry, 41000)
	return readPlainCSV("zip_geonames.csv", []string{"zip", "city", "state", "county", "county_fips", "lat", "lon", "accuracy"},
		func(rec []string) error {
			lat, lon, err := parseLatLon(rec[5], rec[6])
			if err != nil {
				return err
			}
			g.zips[rec[0]] = ZIPEntry{ZIP: rec[0], City: rec[1], State: rec[2], County: rec[3], CountyFIPS: rec[4], Lat: lat, Lon: lon}
			return nil
		})
}

func (g *Geography) loadPlaces() error {
	g.places = make([]Place, 0, 36000)
	g.placesByName = make(map[string][]int32, 30000)
	return readCSV("places.csv", []string{"pop_rank", "kind", "name", "state", "lat", "lon"}, func(rec []string) error {
		rank, err := strconv.Atoi(rec[0])
		if err != nil {
			return fmt.Errorf("parse pop_rank: %w", err)
		}
		lat, lon, err := parseLatLon(rec[4], rec[5])
		if err != nil {
			return err
		}
		key := normName(rec[2])
		g.placesByName[key] = append(g.placesByName[key], int32(len(g.places)))
		g.places = append(g.places, Place{Name: rec[2], State: rec[3], Kind: rec[1], Lat: lat, Lon: lon, PopRank: rank})
		return nil
	})
}

func (g *Geography) loadMembers() error {
	g.membersByDist = map[string][]int{}
	g.senatorsByState = map[string][]int{}
	return readCSV("members_current.csv", []string{"bioguide", "chamber", "state", "district", "senate_class", "state_rank",
		"party", "first_name", "last_name", "official_full", "term_start", "term_end", "dc_phone", "dc_office", "url",
		"contact_form", "twitter", "facebook", "youtube", "instagram"}, func(r []string) error {
		m := Member{Bioguide: r[0], Chamber: r[1], State: r[2], SenateClass: r[4], StateRank: r[5], Party: r[6],
			FirstName: r[7], LastName: r[8], OfficialFull: r[9], TermStart: r[10], TermEnd: r[11], DCPhone: r[12],
			DCOffice: r[13], URL: r[14], ContactForm: r[15], Twitter: r[16], Facebook: r[17], YouTube: r[18], Instagram: r[19]}
		i := len(g.members)
		if m.Chamber == "house" {
			d, err := districtField(m.State, r[3])
			if err != nil {
				return err
			}
			m.District = d
			g.membersByDist[d] = append(g.membersByDist[d], i)
		} else {
			g.senatorsByState[m.State] = append(g.senatorsByState[m.State], i)
		}
		g.members = append(g.members, m)
		return nil
	})
}

func (g *Geography) loadOffices() error {
	g.officesByDist = map[string][]int{}
	g.officesByMember = map[string][]int{}
	return readCSV("district_offices.csv", []string{"office_id", "bioguide", "member_chamber", "member_state",
		"member_district", "building", "address", "suite", "city", "state", "zip", "phone", "fax", "hours",
		"latitude", "longitude"}, func(r []string) error {
		o := Office{ID: r[0], Bioguide: r[1], Chamber: r[2], Building: r[5], Address: r[6], Suite: r[7], City: r[8],
			State: r[9], ZIP: r[10], Phone: r[11], Fax: r[12], Hours: r[13]}
		if r[14] != "" && r[15] != "" {
			lat, lon, err := parseLatLon(r[14], r[15])
			if err != nil {
				return err
			}
			o.Lat, o.Lon = lat, lon
		}
		i := len(g.offices)
		if o.Chamber == "house" {
			d, err := districtField(r[3], r[4])
			if err != nil {
				return err
			}
			o.District = d
			g.officesByDist[d] = append(g.officesByDist[d], i)
		}
		g.officesByMember[o.Bioguide] = append(g.officesByMember[o.Bioguide], i)
		g.offices = append(g.offices, o)
		return nil
	})
}

func districtField(state, cd string) (string, error) {
	n, err := strconv.Atoi(cd)
	if err != nil {
		return "", fmt.Errorf("parse district %q: %w", cd, err)
	}
	return FormatDistrict(state, n), nil
}

func parseLatLon(lat, lon string) (float64, float64, error) {
	la, err := strconv.ParseFloat(lat, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("parse latitude: %w", err)
	}
	lo, err := strconv.ParseFloat(lon, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("parse longitude: %w", err)
	}
	return la, lo, nil
}
