package config

import (
	"strings"
	"testing"
)

func TestTrustedProxy(t *testing.T) {
	env := func(v string) Getenv {
		return func(k string) (string, bool) {
			if k == "SWITCHBOARD_TRUSTED_PROXY" {
				return v, true
			}
			return "", false
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"10.0.0.0/8", "10.0.0.0/8"},
		{"10.1.2.3/8, 192.168.1.5 ::1", "10.0.0.0/8,192.168.1.5/32,::1/128"},
		{"fd00::/8,127.0.0.1", "fd00::/8,127.0.0.1/32"},
	} {
		c, err := Load(env(tc.in))
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if got := formatPrefixes(c.TrustedProxies); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
		var b strings.Builder
		_ = c.Dump(&b)
		if !strings.Contains(b.String(), "SWITCHBOARD_TRUSTED_PROXY="+tc.want+"\n") {
			t.Errorf("dump lacks the setting: %s", b.String())
		}
	}
	if _, err := Load(env("10.0.0.0/8,proxy.example.org")); err == nil || !strings.Contains(err.Error(), "SWITCHBOARD_TRUSTED_PROXY") {
		t.Errorf("a host name was accepted: %v", err)
	}
}
