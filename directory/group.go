// Package directory is the groups and geography model: groups as published on
// the public map, congressional districts, ZIP→district, places, and Members
// of Congress with their district offices. It does no I/O beyond reading the
// data files embedded in it (directory/data, see PROVENANCE.md there).
package directory

import "time"

// Group is one local group. The public fields are those on the public map;
// LeaderName and LeaderEmail are private (staff only) and never appear in a
// list reply.
type Group struct {
	ID        int64   `db:"id" json:"id"`
	Name      string  `db:"name" json:"name"`
	City      string  `db:"city" json:"city"`
	State     string  `db:"state" json:"state"`       // USPS code
	ZIP       string  `db:"zip" json:"zip"`           // 5 digits or ""
	District  string  `db:"district" json:"district"` // "TX-10", "WY-AL" or ""
	Latitude  float64 `db:"latitude" json:"latitude"` // WGS84 degrees, 0 when unknown
	Longitude float64 `db:"longitude" json:"longitude"`

	PublicEmail string `db:"public_email" json:"public_email"`
	Website     string `db:"website" json:"website"`
	Twitter     string `db:"twitter" json:"twitter"`
	Facebook    string `db:"facebook" json:"facebook"`

	LeaderName  string `db:"leader_name" json:"-"`
	LeaderEmail string `db:"leader_email" json:"-"`

	Status  string    `db:"status" json:"status"` // "active" or "inactive"
	Updated time.Time `db:"updated" json:"updated"`
}

// PublicGroup is the part of a Group that may be sent to anyone.
type PublicGroup struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	City        string `json:"city"`
	State       string `json:"state"`
	District    string `json:"district,omitempty"`
	PublicEmail string `json:"public_email,omitempty"`
	Website     string `json:"website,omitempty"`
	Twitter     string `json:"twitter,omitempty"`
	Facebook    string `json:"facebook,omitempty"`
}

// Public returns the public part of g.
func (g Group) Public() PublicGroup {
	return PublicGroup{ID: g.ID, Name: g.Name, City: g.City, State: g.State, District: g.District,
		PublicEmail: g.PublicEmail, Website: g.Website, Twitter: g.Twitter, Facebook: g.Facebook}
}
