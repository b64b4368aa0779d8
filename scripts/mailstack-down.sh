#!/usr/bin/env bash
# Stops exactly the processes mailstack-up.sh recorded in $MS/pids.
: "${MS:?set MS to the scratch folder given to mailstack-up.sh}"
[ -f "$MS/pids" ] || exit 0
pids=$(cat "$MS/pids")
# shellcheck disable=SC2086
kill $pids 2>/dev/null || true
running() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${s#Z}" = "$s" ]; }
for _ in $(seq 1 100); do
  alive=0; for p in $pids; do running "$p" && alive=1; done
  [ $alive = 0 ] && break; sleep 0.1
done
rm -f "$MS/pids"
