package workflows

import (
	"testing"

	"switchboard/directory"
)

// TestAreaCodeStates checks a sample of codes of every state, DC and the
// territories against NANPA's NPA report (see extract_areacodes.go),
// overlays included.
func TestAreaCodeStates(t *testing.T) {
	sample := map[string][]string{
		"AL": {"205", "256", "938", "483"}, "AK": {"907"}, "AZ": {"480", "602", "928"},
		"AR": {"501", "479", "327"}, "CA": {"213", "415", "341", "357", "369", "738", "837", "840"},
		"CO": {"303", "720", "983", "748"}, "CT": {"203", "475", "959"}, "DE": {"302"}, "DC": {"202", "771"},
		"FL": {"305", "786", "324", "645", "728"}, "GA": {"404", "678", "943"}, "HI": {"808"},
		"ID": {"208", "986"}, "IL": {"312", "872", "447", "861"}, "IN": {"317", "463", "930"},
		"IA": {"515", "319"}, "KS": {"316", "913"}, "KY": {"502", "364"}, "LA": {"504", "457"},
		"ME": {"207"}, "MD": {"301", "240", "227"}, "MA": {"617", "857", "351"}, "MI": {"313", "679", "947"},
		"MN": {"612", "924"}, "MS": {"601", "769", "471"}, "MO": {"314", "557", "235", "975"},
		"MT": {"406"}, "NE": {"402", "531"}, "NV": {"702", "725"}, "NH": {"603"},
		"NJ": {"201", "551", "640"}, "NM": {"505", "575"}, "NY": {"212", "646", "332", "363", "465", "329", "624"},
		"NC": {"919", "984", "472"}, "ND": {"701"}, "OH": {"216", "283", "326", "436"},
		"OK": {"405", "572"}, "OR": {"503", "971", "458"}, "PA": {"215", "445", "835", "582"},
		"RI": {"401"}, "SC": {"803", "839", "821"}, "SD": {"605"}, "TN": {"615", "629", "729"},
		"TX": {"512", "737", "945", "621", "726"}, "UT": {"801", "385"}, "VT": {"802"},
		"VA": {"703", "571", "826", "686"}, "WA": {"206", "564"}, "WV": {"304", "681"},
		"WI": {"414", "274", "353"}, "WY": {"307"},
		"PR": {"787", "939"}, "VI": {"340"}, "GU": {"671"}, "MP": {"670"}, "AS": {"684"},
	}
	geo := directory.MustGeography()
	for _, s := range geo.States() {
		if len(sample[s.USPS]) == 0 {
			t.Errorf("no sample area code for %s", s.USPS)
		}
	}
	for st, codes := range sample {
		for _, c := range codes {
			if got := areaCodeStates[c]; got != st {
				t.Errorf("area code %s: state %q, want %s", c, got, st)
			}
		}
	}
	for c, st := range areaCodeStates {
		if _, ok := geo.StateByCode(st); !ok {
			t.Errorf("area code %s maps to %q, not a state of states.csv", c, st)
		}
	}
	// Non-geographic, Canadian and Caribbean codes say nothing about a state.
	for _, c := range []string{"800", "833", "888", "900", "500", "533", "700", "710", "416", "604", "876", "809", "242"} {
		if st, ok := areaCodeStates[c]; ok {
			t.Errorf("area code %s maps to %s, want none", c, st)
		}
	}
}
