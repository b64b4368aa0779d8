package config

import (
	"fmt"
	"net/netip"
	"strings"
)

// parseTrustedProxies parses SWITCHBOARD_TRUSTED_PROXY: CIDR prefixes or
// single addresses, separated by commas or spaces; empty trusts no proxy.
func parseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("SWITCHBOARD_TRUSTED_PROXY has %q: give CIDR prefixes or addresses of your reverse proxies, e.g. 10.0.0.0/8,::1", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// formatPrefixes is the list as SWITCHBOARD_TRUSTED_PROXY spells it.
func formatPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}
