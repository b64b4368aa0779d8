package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"

	"switchboard/jobs"
	"switchboard/store"
	"switchboard/web"
	"switchboard/web/storeadapter"
)

// newWebLoop builds the staff web UI on st (with the stories' files in
// deps.Blobs, and the reverse proxies it may believe), listens on addr, and
// returns the loop that serves it until ctx is done, then shuts it down, with
// the address it listens on (addr may use port 0 for any free port).
func newWebLoop(st *store.Store, deps jobs.Deps, addr string, proxies []netip.Prefix, log *slog.Logger) (func(context.Context) error, string, error) {
	cfg := web.Config{Store: storeadapter.New(st), Redrafter: storeadapter.Redrafter{R: jobs.NewPipeline(deps)},
		DB: st.DB(), Logger: log, TrustedProxies: proxies}
	if deps.Blobs != nil {
		cfg.Blobs = deps.Blobs
	}
	ui, err := web.New(cfg)
	if err != nil {
		return nil, "", err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		ui.Close()
		return nil, "", fmt.Errorf("SWITCHBOARD_HTTP_ADDR: %w", err)
	}
	srv := &http.Server{Handler: ui, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	log.Info("staff web UI listening", "addr", "http://"+ln.Addr().String())
	return func(ctx context.Context) error {
		defer ui.Close()
		errc := make(chan error, 1)
		go func() { errc <- srv.Serve(ln) }()
		select {
		case err := <-errc:
			return fmt.Errorf("web UI: %w", err)
		case <-ctx.Done():
		}
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			return fmt.Errorf("stop web UI: %w", err)
		}
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}, ln.Addr().String(), nil
}

// demoAdmin creates (or resets) the demo's admin with a new random password
// and returns it, for the one-time login the demo prints.
func demoAdmin(ctx context.Context, st *store.Store) (email, password string, err error) {
	b := make([]byte, 15)
	_, _ = rand.Read(b)
	email, password = "admin@demo.example.org", base64.RawURLEncoding.EncodeToString(b)
	hash, err := web.HashPassword(password)
	if err != nil {
		return "", "", err
	}
	_, err = st.CreateUser(ctx, email, "Demo Admin", hash, store.RoleAdmin, "demo")
	if errors.Is(err, store.ErrConflict) {
		if err = st.SetPassword(ctx, email, hash, "demo"); err == nil {
			err = st.SetTOTPSecret(ctx, email, "", "demo")
		}
	}
	return email, password, err
}
