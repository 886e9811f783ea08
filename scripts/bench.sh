#!/usr/bin/env bash
# bench.sh — `make bench`: seed a fresh database `handoff_bench` with
# BENCH_DEALS deals (default 100000), serve it with the real binary, drive
# authenticated load at it from a separate process (cmd/handoffbench), print
# the table, the server's memory and the dashboard query plans.
# See docs/performance.md.
#
#   BENCH_DEALS        deals to seed (100000; 1000000 for the scale check)
#   BENCH_DURATION     measured time per scenario (10s)
#   BENCH_CONCURRENCY  concurrent connections (16)
#   BENCH_PORT         port to serve on, on 127.0.0.1 (18080)
#
# Exits with the load generator's status: non-zero when a scenario has more
# than 1% errors or a dashboard query scans deals or packs sequentially.
set -euo pipefail
cd "$(dirname "$0")/.."

deals=${BENCH_DEALS:-100000}
duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONCURRENCY:-16}
port=${BENCH_PORT:-18080}
say() { printf 'bench: %s\n' "$*" >&2; }

# A superuser URL on the local server (or TEST_DATABASE_URL), pointed at
# handoff_bench instead of its own database.
admin=$(scripts/ensure-db.sh test)
if [[ ! $admin =~ ^([a-z]+://[^/?]*)(/[^?]*)?(\?.*)?$ ]]; then
  say "cannot read the database URL from scripts/ensure-db.sh test"
  exit 1
fi
url="${BASH_REMATCH[1]}/handoff_bench${BASH_REMATCH[3]}"

say "building bin/handoff and bin/handoffbench"
go build -o bin/handoff ./cmd/handoff
go build -o bin/handoffbench ./cmd/handoffbench

say "creating a fresh database handoff_bench"
psql "$admin" -v ON_ERROR_STOP=1 -qX -c 'DROP DATABASE IF EXISTS handoff_bench WITH (FORCE)' -c 'CREATE DATABASE handoff_bench'

say "seeding $deals deals"
start=$SECONDS
DATABASE_URL=$url bin/handoff demo --deals "$deals"
say "seeded in $((SECONDS - start)) s; VACUUM ANALYZE (what autovacuum would have done by the time anyone looks)"
psql "$url" -v ON_ERROR_STOP=1 -qX -c 'VACUUM (ANALYZE)'

log=$(mktemp -t handoff-bench-server.XXXXXX.log)
say "serving on 127.0.0.1:$port (server log: $log)"
DATABASE_URL=$url HANDOFF_ADDR=127.0.0.1:$port HANDOFF_BASE_URL=http://127.0.0.1:$port HANDOFF_LOG_LEVEL=warn \
  bin/handoff serve >"$log" 2>&1 &
server=$!
stop_server() {
  if kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
}
trap stop_server EXIT

status=0
bin/handoffbench -base "http://127.0.0.1:$port" -db "$url" -c "$conns" -d "$duration" -pid "$server" || status=$?
stop_server
trap - EXIT
if [[ $status != 0 ]]; then
  say "FAILED (status $status); last server log lines:"
  tail -n 20 "$log" >&2
else
  rm -f "$log"
fi
exit "$status"
