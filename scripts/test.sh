#!/usr/bin/env bash
# Runs Switchboard's whole test suite, starting what it needs first
# (PostgreSQL when none is running, Dovecot and Postfix for the end-to-end
# test). On Debian/Ubuntu it installs missing packages with apt-get.
# Usage: scripts/test.sh [go test flags...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
cd "$here/.."
need_go
command -v gcc >/dev/null 2>&1 || need_pkgs gcc libc6-dev   # go test -race needs cgo
[ -x /usr/bin/chromium ] || need_pkgs chromium         # the web UI browser tests

if [ -z "${MS:-}" ]; then
  MS=$(mktemp -d /tmp/sbtest.XXXXXX)
  trap '"$here/mailstack-down.sh"; rm -rf "$MS"' EXIT
else
  trap '"$here/mailstack-down.sh"' EXIT
fi
export MS
"$here/mailstack-up.sh"
set -a; . "$MS/env"; set +a
export SWITCHBOARD_CORPUS=${SWITCHBOARD_CORPUS:-$(cd .. && pwd)/shared/corpus}

say "go vet"
go vet ./...
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
[ -z "$unformatted" ] || die "gofmt would change: $unformatted (run gofmt -w on them)"
say "go test"
go test -race -count=1 -timeout 30m "$@" ./...
