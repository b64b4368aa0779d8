package web

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

const httpsKey ctxKey = 2

// isHTTPS reports whether the client reached us over TLS: directly, or
// through a trusted reverse proxy that said so (X-Forwarded-Proto).
func isHTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	v, _ := r.Context().Value(httpsKey).(bool)
	return v
}

// trusted reports whether addr is one of the trusted proxies.
func (s *Server) trusted(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// fromProxy takes the client's address and scheme from X-Forwarded-For and
// X-Forwarded-Proto when, and only when, the peer is a trusted proxy. The
// client is the rightmost X-Forwarded-For entry that is not itself a
// trusted proxy: entries to its left were written by the client and may be
// forged. The headers of any other peer are ignored.
func (s *Server) fromProxy(next http.Handler) http.Handler {
	if len(s.cfg.TrustedProxies) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peer, err := netip.ParseAddr(clientIP(r))
		if err != nil || !s.trusted(peer) {
			next.ServeHTTP(w, r)
			return
		}
		client := peer
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break
			}
			client = a.Unmap()
			if !s.trusted(a) {
				break
			}
		}
		r2 := r.Clone(r.Context())
		r2.RemoteAddr = net.JoinHostPort(client.String(), "0")
		proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
		if strings.EqualFold(strings.TrimSpace(proto), "https") {
			r2 = r2.WithContext(context.WithValue(r2.Context(), httpsKey, true))
		}
		next.ServeHTTP(w, r2)
	})
}
