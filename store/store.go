// Package store is Switchboard's PostgreSQL layer: migrations, queries and
// transactions. It implements the small interfaces that mailin, mailout, web
// and the job runner declare.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivermigrate"
)

// ErrNotFound means the row asked for does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict means a write would break a uniqueness rule (SQLSTATE 23505) or
// the row is not in a state that allows the change, e.g. approving twice.
var ErrConflict = errors.New("conflict")

//go:embed migrations/*.sql
var migrationsFS embed.FS

// migrateLockID is the advisory lock key that serialises Migrate across
// replicas ("sbmigrat" as ASCII).
const migrateLockID = 0x73626d6967726174

// Store is the PostgreSQL store. It is safe for concurrent use.
type Store struct {
	db     *sqlx.DB
	logger *slog.Logger
	driver riverdriver.Driver[*sql.Tx]
	river  *river.Client[*sql.Tx]
}

// Open connects to the database at dsn (a postgres:// URL or key=value
// string) and checks that it answers. It does not migrate.
func Open(ctx context.Context, dsn string, logger *slog.Logger) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	db, err := sqlx.Open("postgres", withBinaryParameters(dsn))
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	driver := riverdatabasesql.New(db.DB)
	client, err := river.NewClient(driver, &river.Config{Logger: logger})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open job client: %w", err)
	}
	return &Store{db: db, logger: logger, driver: driver, river: client}, nil
}

// withBinaryParameters adds lib/pq's binary_parameters=yes, which sends
// []byte arguments as binary and saves a round trip per unnamed query.
func withBinaryParameters(dsn string) string {
	if strings.Contains(dsn, "binary_parameters") {
		return dsn
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return dsn
		}
		q := u.Query()
		q.Set("binary_parameters", "yes")
		u.RawQuery = q.Encode()
		return u.String()
	}
	return strings.TrimSpace(dsn + " binary_parameters=yes")
}

// Close closes the database pool.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

// DB returns the underlying pool, for the job runner and health checks.
func (s *Store) DB() *sql.DB { return s.db.DB }

// RiverDriver returns the River driver over the store's pool. The job runner
// builds its working client (with workers and queues) from it, so jobs that
// the store inserts inside its transactions are worked on the same database.
func (s *Store) RiverDriver() riverdriver.Driver[*sql.Tx] { return s.driver }

// Migrate applies the goose migrations embedded in store/migrations, then
// River's migrations, then loads the geography tables from directory/data when
// they changed. Replicas that migrate at once wait for each other.
func (s *Store) Migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, int64(migrateLockID)); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrateLockID))

	p, err := s.goose()
	if err != nil {
		return err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate schema: %w", err)
	}
	for _, r := range results {
		s.logger.InfoContext(ctx, "migration applied", "version", r.Source.Version)
	}
	m, err := rivermigrate.New(s.driver, &rivermigrate.Config{Logger: s.logger})
	if err != nil {
		return fmt.Errorf("migrate jobs: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate jobs: %w", err)
	}
	if err := s.loadGeography(ctx); err != nil {
		return err
	}
	return nil
}

// SchemaCurrent reports whether every migration (ours and River's) has been
// applied, so that serve can refuse to run on an old schema.
func (s *Store) SchemaCurrent(ctx context.Context) (bool, error) {
	p, err := s.goose()
	if err != nil {
		return false, err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return false, fmt.Errorf("check schema: %w", err)
	}
	if pending {
		return false, nil
	}
	m, err := rivermigrate.New(s.driver, &rivermigrate.Config{Logger: s.logger})
	if err != nil {
		return false, fmt.Errorf("check job schema: %w", err)
	}
	res, err := m.Validate(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("check job schema: %w", err)
	}
	return res.OK, nil
}

func (s *Store) goose() (*goose.Provider, error) {
	p, err := goose.NewProvider(goose.DialectPostgres, s.db.DB, mustSub(migrationsFS, "migrations"),
		goose.WithDisableGlobalRegistry(true), goose.WithSlog(s.logger))
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return p, nil
}

// mapErr turns a unique violation into ErrConflict and sql.ErrNoRows into
// ErrNotFound, keeping the original error in the chain.
func mapErr(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "23505" {
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	return err
}
