// Package demo holds what `switchboard demo` runs on: a sample groups
// directory (synthetic data, demo/data/groups.csv), a handful of sample leader
// emails written for the demo (demo/mail), and the loopback servers it starts
// in-process: a throwaway PostgreSQL cluster, an IMAP server (imapmemserver)
// and an SMTP capture server (go-smtp). Tests use the same servers.
package demo

import (
	"embed"
	"io/fs"
	"sort"
)

//go:embed data/groups.csv mail/*.eml
var files embed.FS

// GroupsCSV returns the sample directory in the column layout that
// `switchboard groups import` reads.
func GroupsCSV() []byte {
	b, err := files.ReadFile("data/groups.csv")
	if err != nil {
		panic("demo: embedded groups.csv missing: " + err.Error())
	}
	return b
}

// Mail is one sample leader email.
type Mail struct {
	Name string // file name, e.g. "01_list_boise.eml"
	Raw  []byte // RFC 5322 bytes with CRLF line ends
}

// Mails returns the sample leader emails in file-name order.
func Mails() []Mail {
	names, err := fs.Glob(files, "mail/*.eml")
	if err != nil {
		panic("demo: " + err.Error())
	}
	sort.Strings(names)
	out := make([]Mail, 0, len(names))
	for _, n := range names {
		b, err := files.ReadFile(n)
		if err != nil {
			panic("demo: " + err.Error())
		}
		out = append(out, Mail{Name: n[len("mail/"):], Raw: b})
	}
	return out
}
