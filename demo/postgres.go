package demo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// Postgres is a throwaway PostgreSQL cluster started from the local server
// binaries (initdb, pg_ctl) in a data folder of its own, listening on
// 127.0.0.1 only.
type Postgres struct {
	Dir  string // the cluster's folder; the data is in Dir/data
	Port int
	bin  string
	run  []string // prefix that runs a command as the cluster's owner
}

// DSN is the connection URL of the cluster's "postgres" database.
func (p *Postgres) DSN() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", p.Port)
}

// StartPostgres creates a cluster in dir and starts it. initdb refuses to run
// as root, so as root the cluster belongs to the "postgres" system user (it
// must exist: Debian's postgresql package creates it). Errors say what to
// install or fix.
func StartPostgres(ctx context.Context, dir string) (*Postgres, error) {
	bin, err := findPGBin()
	if err != nil {
		return nil, err
	}
	p := &Postgres{Dir: dir, bin: bin}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, errors.New("running as root, but there is no \"postgres\" user to own the cluster: install the postgresql package, or run as a normal user")
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, fmt.Errorf("give %s to the postgres user: %w", dir, err)
		}
		p.run = []string{"runuser", "-u", "postgres", "--"}
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if p.Port, err = freePort(); err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if err := p.exec(ctx, "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
		"--locale=C.UTF-8", "--no-sync", "--no-instructions"); err != nil {
		return nil, fmt.Errorf("initdb in %s: %w", dir, err)
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off", p.Port, dir)
	if err := p.exec(ctx, "pg_ctl", "-D", data, "-l", filepath.Join(dir, "server.log"), "-w", "-t", "30", "-o", opts, "start"); err != nil {
		return nil, fmt.Errorf("start PostgreSQL (log: %s): %w", filepath.Join(dir, "server.log"), err)
	}
	return p, nil
}

// Stop shuts the cluster down (fast mode) and waits for it.
func (p *Postgres) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return p.exec(ctx, "pg_ctl", "-D", filepath.Join(p.Dir, "data"), "-m", "fast", "-w", "stop")
}

func (p *Postgres) exec(ctx context.Context, name string, args ...string) error {
	argv := append(append(append([]string(nil), p.run...), filepath.Join(p.bin, name)), args...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // Ctrl-C reaches us, not the server
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", name, err, out)
	}
	return nil
}

func findPGBin() (string, error) {
	if d := os.Getenv("PG_BIN"); d != "" {
		return d, nil
	}
	if path, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(path), nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		return "", errors.New("no PostgreSQL server binaries found (initdb): install the postgresql package (apt-get install postgresql), set PG_BIN to their folder, or set DATABASE_URL to a running server")
	}
	return filepath.Dir(matches[len(matches)-1]), nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
