package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lib/pq"

	"switchboard/directory"
)

// DefaultTestDatabaseURL is the server MustOpenTest uses when DATABASE_URL is
// not set.
const DefaultTestDatabaseURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// testTemplateLockID serialises building the template database across test
// binaries that run at once ("sbtmpl" as ASCII).
const testTemplateLockID = 0x7362746d706c

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// MustOpenTest returns a Store on a fresh, migrated, uniquely named database
// on the server of DATABASE_URL, and drops that database when tb ends. The
// first call in a process builds (or reuses) a migrated template database so
// later ones are a cheap CREATE DATABASE ... TEMPLATE. It fails tb at once if
// PostgreSQL cannot be reached.
func MustOpenTest(tb testing.TB) *Store {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	base := os.Getenv("DATABASE_URL")
	if base == "" {
		base = DefaultTestDatabaseURL
	}
	admin, err := sql.Open("postgres", base)
	if err != nil {
		tb.Fatalf("store test: open %s: %v", redactURL(base), err)
	}
	defer admin.Close()
	if err := admin.PingContext(ctx); err != nil {
		tb.Fatalf("store test: PostgreSQL is not reachable at %s: %v\n"+
			"Start it (for example `service postgresql start`, or `docker run -d -p 5432:5432 "+
			"-e POSTGRES_HOST_AUTH_METHOD=trust postgres:15`) or set DATABASE_URL.", redactURL(base), err)
	}

	templateOnce.Do(func() { templateName, templateErr = ensureTemplate(ctx, admin, base) })
	if templateErr != nil {
		tb.Fatalf("store test: build template database: %v", templateErr)
	}

	name := "sbtest_" + randomHex(8)
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+pq.QuoteIdentifier(name)+
		` TEMPLATE `+pq.QuoteIdentifier(templateName)); err != nil {
		tb.Fatalf("store test: create database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		admin, err := sql.Open("postgres", base)
		if err != nil {
			tb.Errorf("store test: drop database %s: %v", name, err)
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+pq.QuoteIdentifier(name)+` WITH (FORCE)`); err != nil {
			tb.Errorf("store test: drop database %s: %v", name, err)
		}
	})

	dsn, err := withDatabase(base, name)
	if err != nil {
		tb.Fatalf("store test: %v", err)
	}
	s, err := Open(ctx, dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatalf("store test: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// ensureTemplate creates the template database for this exact schema and data
// (its name carries their hash) unless it exists already.
func ensureTemplate(ctx context.Context, admin *sql.DB, base string) (string, error) {
	name, err := templateDBName()
	if err != nil {
		return "", err
	}
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, int64(testTemplateLockID)); err != nil {
		return "", err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(testTemplateLockID))

	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_tmp"
	if _, err := conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+pq.QuoteIdentifier(building)+` WITH (FORCE)`); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+pq.QuoteIdentifier(building)); err != nil {
		return "", err
	}
	dsn, err := withDatabase(base, building)
	if err != nil {
		return "", err
	}
	s, err := Open(ctx, dsn, slog.New(slog.DiscardHandler))
	if err != nil {
		return "", err
	}
	err = s.Migrate(ctx)
	s.Close()
	if err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, `ALTER DATABASE `+pq.QuoteIdentifier(building)+` RENAME TO `+pq.QuoteIdentifier(name)); err != nil {
		return "", err
	}
	return name, nil
}

// templateDBName names the template after the migrations and geography data.
func templateDBName() (string, error) {
	h := sha256.New()
	for _, fsys := range []fs.FS{migrationsFS, directory.DataFS} {
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s %d\n", p, len(b))
			h.Write(b)
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return "sbtemplate_" + hex.EncodeToString(h.Sum(nil))[:16], nil
}

// withDatabase returns dsn (a URL) pointed at database name.
func withDatabase(dsn, name string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return "", fmt.Errorf("DATABASE_URL must be a postgres:// URL")
	}
	u.Path = "/" + name
	return u.String(), nil
}

func redactURL(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparseable DATABASE_URL)"
	}
	return u.Redacted()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return strings.ToLower(hex.EncodeToString(b))
}
