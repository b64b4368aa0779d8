package directory

import "embed"

// DataFS holds the reference data files of directory/data (see PROVENANCE.md
// there): states, ZIP→district, ZIPs, places, members and district offices.
//
//go:embed data/*.csv
var DataFS embed.FS
