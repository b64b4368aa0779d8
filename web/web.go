// Package web is Switchboard's staff UI: server-rendered pages on the
// standard library router, sessions in PostgreSQL (scs), CSRF checks on every
// state-changing request, and roles (admin, staff, press). It reaches the
// database only through the Store interface it declares.
package web

import (
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/v2"

	"switchboard/stories"
)

//go:embed templates/*.html
var templatesFS embed.FS

//go:embed static
var staticFS embed.FS

// Config is what New needs.
type Config struct {
	Store     Store
	Redrafter Redrafter
	// Blobs holds the files of stories (thumbnails, press copies); without
	// it the gallery shows stories without their files.
	Blobs stories.BlobGetter
	// DB is the pool the sessions table lives in (the store's).
	DB     *sql.DB
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// SessionLifetime is how long a session lives at most (12h when 0);
	// IdleTimeout ends it earlier when unused (2h when 0).
	SessionLifetime time.Duration
	IdleTimeout     time.Duration
	// Limits on failed logins in LoginWindow (15 min when 0): per account
	// (5 when 0) and per client IP (20 when 0).
	LoginWindow     time.Duration
	MaxFailsAccount int
	MaxFailsIP      int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (SWITCHBOARD_TRUSTED_PROXY): for the
	// client IP of the login limits, and for https (Secure cookies, HSTS).
	TrustedProxies []netip.Prefix
}

// Server is the staff UI. It is an http.Handler.
type Server struct {
	cfg      Config
	store    Store
	log      *slog.Logger
	sessions *scs.SessionManager
	pg       *postgresstore.PostgresStore
	pages    map[string]*pageTemplate
	handler  http.Handler
	cop      *http.CrossOriginProtection
}

// New builds the server and parses every template; a broken template is an
// error at start, not at the first request.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.DB == nil || cfg.Redrafter == nil {
		return nil, errors.New("web: Store, Redrafter and DB are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionLifetime == 0 {
		cfg.SessionLifetime = 12 * time.Hour
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = 2 * time.Hour
	}
	if cfg.LoginWindow == 0 {
		cfg.LoginWindow = 15 * time.Minute
	}
	if cfg.MaxFailsAccount == 0 {
		cfg.MaxFailsAccount = 5
	}
	if cfg.MaxFailsIP == 0 {
		cfg.MaxFailsIP = 20
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, store: cfg.Store, log: cfg.Logger, pages: pages, cop: http.NewCrossOriginProtection()}
	s.pg = postgresstore.NewWithCleanupInterval(cfg.DB, 10*time.Minute)
	sm := scs.New()
	sm.Store = s.pg
	sm.Lifetime = cfg.SessionLifetime
	sm.IdleTimeout = cfg.IdleTimeout
	sm.Cookie.Name = "switchboard_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		s.log.ErrorContext(r.Context(), "session", "error", err)
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
	}
	s.sessions = sm
	s.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "cross-origin request refused", http.StatusForbidden)
	}))
	mux := http.NewServeMux()
	s.routes(mux)
	s.handler = s.fromProxy(securityHeaders(secureCookies(sm.LoadAndSave(s.checkCSRF(mux)))))
	return s, nil
}

// Close stops the session cleanup goroutine.
func (s *Server) Close() { s.pg.StopCleanup() }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// routes lists every route and who may use it.
func (s *Server) routes(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))

	mux.Handle("GET /login", s.h(s.loginShow))
	mux.Handle("POST /login", s.h(s.loginSubmit))
	mux.Handle("GET /login/totp", s.h(s.totpShow))
	mux.Handle("POST /login/totp", s.h(s.totpSubmit))
	mux.Handle("POST /logout", s.h(s.logout))

	all := []string{RoleAdmin, RoleStaff, RolePress}
	desk := []string{RoleAdmin, RoleStaff}
	admin := []string{RoleAdmin}
	mux.Handle("GET /{$}", s.auth(all, s.home))
	mux.Handle("GET /account/totp", s.auth(all, s.totpSetupShow))
	mux.Handle("POST /account/totp", s.auth(all, s.totpSetupSubmit))
	mux.Handle("GET /stories", s.auth(all, s.stories))
	mux.Handle("GET /stories/{id}/zip", s.auth(all, s.storyZip))
	mux.Handle("GET /stories/{id}/files/{pos}", s.auth(all, s.storyFile))
	mux.Handle("GET /stories/{id}/files/{pos}/thumb", s.auth(all, s.storyThumb))
	mux.Handle("POST /stories/{id}/approve", s.auth(desk, s.storyApprove))

	mux.Handle("GET /queue", s.auth(desk, s.queue))
	mux.Handle("POST /queue/approve", s.auth(desk, s.queueApprove))
	mux.Handle("GET /requests/{id}", s.auth(desk, s.requestShow))
	mux.Handle("POST /requests/{id}/approve", s.auth(desk, s.requestApprove))
	mux.Handle("POST /requests/{id}/reject", s.auth(desk, s.requestReject))
	mux.Handle("POST /requests/{id}/reclassify", s.auth(desk, s.requestReclassify))
	mux.Handle("POST /requests/{id}/claim", s.auth(desk, s.requestClaim))
	mux.Handle("POST /requests/{id}/place", s.auth(desk, s.requestPlace))
	mux.Handle("POST /requests/{id}/target", s.auth(desk, s.requestTarget))
	mux.Handle("POST /drafts/{id}/edit", s.auth(desk, s.draftEdit))
	mux.Handle("GET /drafts/{id}/preview", s.auth(desk, s.draftPreview))
	mux.Handle("GET /drafts/{id}/attachments/{n}", s.auth(desk, s.draftAttachment))
	mux.Handle("GET /attachments/{id}", s.auth(desk, s.attachmentDownload))
	mux.Handle("GET /directory", s.auth(desk, s.directory))
	mux.Handle("GET /directory/broken", s.auth(desk, s.directoryBroken))
	mux.Handle("POST /groups/{id}/status", s.auth(desk, s.groupStatus))
	mux.Handle("POST /groups/{id}/contact", s.auth(desk, s.groupContact))
	mux.Handle("GET /failed", s.auth(desk, s.failed))
	mux.Handle("POST /failed/{id}/retry", s.auth(desk, s.failedRetry))
	mux.Handle("GET /health", s.auth(desk, s.health))

	mux.Handle("GET /admin/users", s.auth(admin, s.users))
	mux.Handle("POST /admin/users", s.auth(admin, s.userUpdate))
}

// errForbidden is answered 403; errBadRequest 400.
var (
	errForbidden  = errors.New("forbidden")
	errBadRequest = errors.New("bad request")
)

// badRequest wraps a message the user may see as a 400.
func badRequest(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errBadRequest}, args...)...)
}

// handlerFunc is a handler that may fail; h maps its error to a status.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) h(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := fn(w, r)
		if err == nil {
			return
		}
		switch {
		case errors.Is(err, ErrNotFound):
			s.renderError(w, r, http.StatusNotFound, "Not found.")
		case errors.Is(err, ErrConflict):
			s.renderError(w, r, http.StatusConflict, "That change is not possible any more: the item changed state. Reload the page.")
		case errors.Is(err, errForbidden):
			s.renderError(w, r, http.StatusForbidden, "You do not have access to this page.")
		case errors.Is(err, errBadRequest), errors.Is(err, ErrInvalid):
			s.renderError(w, r, http.StatusBadRequest, err.Error())
		default:
			s.log.ErrorContext(r.Context(), "web request failed", "path", r.URL.Path, "error", err)
			s.renderError(w, r, http.StatusInternalServerError, "Something went wrong; it was logged.")
		}
	})
}
