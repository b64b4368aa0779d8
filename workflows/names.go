package workflows

import (
	"strings"
	"unicode"
)

// GreetingName is how a reply addresses a person: the display name as people
// say it ("Whitaker, Lorraine" becomes "Lorraine Whitaker"), or "" when there
// is no usable name (none, or only an address), so the template can fall back
// to a neutral greeting.
func GreetingName(a Address) string {
	name := strings.Join(strings.Fields(strings.Trim(a.Name, `"' `)), " ")
	if name == "" || strings.Contains(name, "@") {
		return ""
	}
	if last, first, ok := strings.Cut(name, ","); ok && !strings.Contains(first, ",") {
		last, first = strings.TrimSpace(last), strings.TrimSpace(first)
		if isNameWord(last) && first != "" && !isSuffix(first) {
			name = first + " " + last
		}
	}
	return name
}

// isNameWord reports whether s is one word of letters, hyphens and
// apostrophes, as a surname before a comma is.
func isNameWord(s string) bool {
	if s == "" || strings.ContainsRune(s, ' ') {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '’' {
			return false
		}
	}
	return true
}

// isSuffix reports whether s is a name suffix written after a comma
// ("King, Jr."), which keeps the name as written.
func isSuffix(s string) bool {
	switch strings.ToLower(strings.TrimSuffix(s, ".")) {
	case "jr", "sr", "ii", "iii", "iv", "phd", "md", "esq":
		return true
	}
	return false
}
