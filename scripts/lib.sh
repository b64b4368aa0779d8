# Shared helpers for Switchboard's set-up scripts (sourced, not run).
# Debian/Ubuntu: installs what is missing with apt-get (as root or with sudo),
# otherwise stops with a message naming what to install.

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root to run: $* (run as root, or install sudo)"; fi
}

# need_pkgs PKG... installs the Debian packages given, in one apt-get run.
need_pkgs() {
  [ $# -gt 0 ] || return 0
  command -v apt-get >/dev/null 2>&1 || die "missing: $* — install these packages with your system's package manager, then re-run"
  say "installing $*"
  echo "postfix postfix/main_mailer_type select No configuration" | as_root debconf-set-selections 2>/dev/null || true
  as_root apt-get update -qq || die "apt-get update failed: check the network or your apt sources"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || die "apt-get install $* failed: install them by hand, then re-run"
}

# need_go checks for a Go toolchain new enough for go.mod.
need_go() {
  if ! command -v go >/dev/null 2>&1; then
    [ -x /usr/local/go/bin/go ] && export PATH=/usr/local/go/bin:$PATH
  fi
  command -v go >/dev/null 2>&1 || die "Go is not installed: install Go 1.26 (https://go.dev/doc/install), make sure 'go' is on PATH, then re-run"
  local v; v=$(go env GOVERSION | sed 's/^go//')
  case "$v" in 1.2[6-9]*|1.[3-9]*) ;; *) die "Go $v is too old: install Go 1.26 or newer" ;; esac
  export GOTOOLCHAIN=${GOTOOLCHAIN:-local} GOFLAGS=${GOFLAGS:--buildvcs=false}
}

pgbin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return 0; }; done
  return 1
}

# need_postgres makes sure PostgreSQL server binaries exist (initdb, pg_ctl).
need_postgres() {
  pgbin >/dev/null || need_pkgs postgresql postgresql-contrib
  pgbin >/dev/null || die "PostgreSQL server binaries (initdb) not found: install the postgresql package"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

waitport() {
  local i
  for i in $(seq 1 100); do port_open "$1" && return 0; sleep 0.1; done
  die "nothing listens on 127.0.0.1:$1 after 10 s"
}
