package workflows

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"switchboard/directory"
	"switchboard/templates"
)

// MaxGroupsInBody is how many groups a list reply shows in its text and
// HTML; beyond it the body says so and the attached spreadsheet has all.
const MaxGroupsInBody = 500

// maxDistrictsWithOffices is how many districts a reply may concern and
// still list every district office; beyond it (a statewide list of a large
// state) each Member's website stands in for the offices.
const maxDistrictsWithOffices = 6

// ListAnswer is what the directory holds for one list request.
type ListAnswer struct {
	// Place names where the groups are, as the reply says it: "Austin, TX",
	// "TX-10", "Texas", "within 25 miles of Columbus, OH".
	Place string
	// Groups are the active groups found, ordered by city then name.
	Groups []directory.Group
	// ZIP and ZIPDistricts are the leader's ZIP and every district it
	// overlaps (data: directory/data/zccd.csv), set only when the groups are
	// those of these districts, so that the reply may say it covers each.
	ZIP          string
	ZIPDistricts []string
	// Districts are the districts the reply concerns, with their Members
	// and offices (data: directory/data/members_current.csv,
	// district_offices.csv).
	Districts []DistrictContacts
	// Nearest are the nearest active groups, for a reply that found none.
	Nearest []NearGroup
	// Updated is when the listed data was last updated: the latest
	// "updated" of the groups listed, else the last directory import.
	Updated time.Time
}

// DistrictContacts is one congressional district with its Representative
// (none when the seat is vacant) and district offices.
type DistrictContacts struct {
	District string
	Members  []directory.Member
	Offices  []directory.Office
}

// NearGroup is a group with its great-circle distance from the place asked
// about.
type NearGroup struct {
	Group directory.Group
	Miles float64
}

// csvColumns is the header of a list reply's spreadsheet: the public fields
// of directory.PublicGroup.
var csvColumns = []string{"name", "city", "state", "district", "public_email", "website", "twitter", "facebook"}

// ComposeListAnswer drafts the answer to a list request from what the
// directory holds: the groups as a text list and an HTML table (public
// fields only, directory.Group.Public) with the same list attached as a
// UTF-8 CSV, the date of the data, the Member of Congress and district
// offices of each district concerned, and next steps. With no group it is a
// polite answer naming the nearest groups. Inactive groups are left out.
func ComposeListAnswer(in *Inbound, f Fields, a ListAnswer, r Renderer) (Draft, error) {
	if in.ReplyAddress().Address == "" {
		return Draft{}, fmt.Errorf("compose list reply: %w", errNoReplyAddress)
	}
	data := templates.ListReplyData{RecipientName: GreetingName(in.ReplyAddress()), Place: cmp.Or(a.Place, placeName(f))}
	if !a.Updated.IsZero() {
		data.Updated = a.Updated.Format("January 2, 2006")
	}
	var ids []int64
	var public []directory.PublicGroup
	for _, g := range a.Groups {
		if g.Status == "inactive" {
			continue
		}
		p := g.Public()
		public = append(public, p)
		ids = append(ids, p.ID)
		if len(data.Groups) < MaxGroupsInBody {
			data.Groups = append(data.Groups, templateGroup(p))
		}
	}
	if len(public) > len(data.Groups) {
		data.Total = len(public)
	}
	var attachments []DraftAttachment
	if len(public) > 0 {
		file, err := groupsCSV(public)
		if err != nil {
			return Draft{}, fmt.Errorf("compose list reply: %w", err)
		}
		data.Attachment = "groups-" + slug(data.Place) + ".csv"
		attachments = append(attachments, NewDraftAttachment(data.Attachment, "text/csv; charset=utf-8", file))
		if len(a.ZIPDistricts) > 1 {
			data.ZIP, data.ZIPDistricts = a.ZIP, a.ZIPDistricts
		}
		data.Districts = districtData(a.Districts)
	} else {
		for _, n := range a.Nearest {
			p := n.Group.Public()
			data.Nearest = append(data.Nearest, templates.NearGroup{Group: templateGroup(p), Miles: int(math.Round(n.Miles))})
			ids = append(ids, p.ID)
		}
	}
	out, err := r.Render(string(DraftListReply), data)
	if err != nil {
		return Draft{}, fmt.Errorf("compose list reply: %w", err)
	}
	d := reply(DraftListReply, in, out)
	d.GroupIDs = ids
	d.Attachments = attachments
	return d, nil
}

func templateGroup(p directory.PublicGroup) templates.Group {
	return templates.Group{Name: p.Name, City: p.City, State: p.State, PublicEmail: p.PublicEmail,
		Website: p.Website, Twitter: p.Twitter, Facebook: p.Facebook}
}

// districtData turns the districts concerned into what the template shows,
// leaving out the offices when there are too many districts to list them.
func districtData(ds []DistrictContacts) []templates.District {
	out := make([]templates.District, 0, len(ds))
	for _, d := range ds {
		td := templates.District{Name: d.District, Vacant: len(d.Members) == 0}
		if !td.Vacant {
			m := d.Members[0]
			title := "Rep."
			switch m.State {
			case "DC", "GU", "VI", "AS", "MP":
				title = "Del."
			case "PR":
				title = "Resident Commissioner"
			}
			td.Member = fmt.Sprintf("%s %s (%s)", title, m.Name(), m.Party)
			td.DCPhone, td.URL = m.DCPhone, m.URL
		}
		if len(ds) > maxDistrictsWithOffices {
			td.OfficesLeftOut = len(d.Offices) > 0
		} else {
			for _, o := range d.Offices {
				td.Offices = append(td.Offices, templates.Office{Address: officeAddress(o), Phone: o.Phone})
			}
		}
		out = append(out, td)
	}
	return out
}

// officeAddress writes an office on one line: "300 E. 8th Street, Suite
// 763, Austin, TX 78701".
func officeAddress(o directory.Office) string {
	var parts []string
	for _, s := range []string{o.Building, o.Address, o.Suite, o.City} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	addr := strings.Join(parts, ", ")
	if st := strings.TrimSpace(o.State + " " + o.ZIP); st != "" {
		addr += ", " + st
	}
	return addr
}

// groupsCSV writes groups as a UTF-8 CSV (RFC 4180) with a header row.
func groupsCSV(groups []directory.PublicGroup) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true // RFC 4180 §2
	if err := w.Write(csvColumns); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	for _, g := range groups {
		if err := w.Write([]string{g.Name, g.City, g.State, g.District, g.PublicEmail, g.Website, g.Twitter,
			g.Facebook}); err != nil {
			return nil, fmt.Errorf("write csv: %w", err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	return b.Bytes(), nil
}

// slug makes a file-name part of a place: "Coeur d'Alene, ID" becomes
// "coeur-d-alene-id", "Nuñez" "nunez".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(unicode.ToLower(r))
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return cmp.Or(strings.TrimSuffix(b.String(), "-"), "list")
}

// ComposeListQuestion drafts the question sent when the place of a list
// request is ambiguous: each of f.Candidates ("Springfield, MO") with the
// number of active groups it has in groupCounts (by USPS state code), most
// groups first. When some have groups, two or more without are summarised
// in one line ("also: Springfield in 15 other states where no group is
// listed yet") rather than listed.
func ComposeListQuestion(in *Inbound, f Fields, groupCounts map[string]int, r Renderer) (Draft, error) {
	if in.ReplyAddress().Address == "" {
		return Draft{}, fmt.Errorf("compose list question: %w", errNoReplyAddress)
	}
	data := templates.ListQuestionData{RecipientName: GreetingName(in.ReplyAddress()), Place: placeName(f)}
	for _, c := range f.Candidates {
		data.Candidates = append(data.Candidates, templates.PlaceOption{Place: c, Groups: groupCounts[CandidateState(c)]})
	}
	slices.SortStableFunc(data.Candidates, func(a, b templates.PlaceOption) int { return cmp.Compare(b.Groups, a.Groups) })
	with := slices.IndexFunc(data.Candidates, func(o templates.PlaceOption) bool { return o.Groups == 0 })
	if without := len(data.Candidates) - with; with > 0 && without >= 2 {
		data.Candidates, data.Others = data.Candidates[:with], without
	}
	out, err := r.Render("list_question", data)
	if err != nil {
		return Draft{}, fmt.Errorf("compose list question: %w", err)
	}
	return reply(DraftQuestion, in, out), nil
}

// CandidateState returns the state code of a candidate place written
// "Springfield, MO", or "".
func CandidateState(c string) string {
	if i := strings.LastIndex(c, ", "); i >= 0 {
		return c[i+2:]
	}
	return ""
}
