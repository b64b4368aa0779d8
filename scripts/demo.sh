#!/usr/bin/env bash
# Runs `switchboard demo`: the whole pipeline on sample data, with a throwaway
# PostgreSQL (unless DATABASE_URL is set) and in-process IMAP and SMTP servers.
# On Debian/Ubuntu it installs PostgreSQL's server binaries when missing.
# Usage: scripts/demo.sh [--once]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
cd "$here/.."
need_go
[ -n "${DATABASE_URL:-}" ] || need_postgres
mkdir -p bin
go build -o bin/switchboard ./cmd/switchboard
exec bin/switchboard demo "$@"
