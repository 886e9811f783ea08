#!/usr/bin/env bash
# bench.sh — `make bench`: seed a fresh database (BENCH_DB) with BENCH_DEALS
# deals, serve it with the real binary, drive authenticated load at it from a
# separate process (cmd/handoffbench), print the table, the server's memory,
# the dashboard query plans and a one-line verdict on the targets.
# See docs/performance.md.
#
#   BENCH_DEALS        deals to seed (100000; 1000000 for the scale check)
#   BENCH_DURATION     measured time per scenario (10s)
#   BENCH_CONCURRENCY  concurrent connections (16)
#   BENCH_PORT         port to serve on, on 127.0.0.1 (18080)
#   BENCH_DB           database to drop, seed and serve (handoff_bench); its
#                      name must start with handoff_bench
#   BENCH_REUSE        1: when BENCH_DB exists and holds exactly BENCH_DEALS
#                      deals, keep it (migrate and VACUUM ANALYZE only) instead of
#                      dropping and seeding it again (unset: always reseed)
#
# The results are also written to bin/bench-<BENCH_DEALS>.json. From 1000000
# deals on, bin/bench-100000.json (when present) is the baseline: each p99
# should stay under 2× its 100,000-deal figure.
#
# Exits with the load generator's status: non-zero when a scenario has more
# than 1% errors or a dashboard query scans deals or packs sequentially. A
# missed throughput, latency, memory or growth target is marked ✗ and counted
# in the last line ("targets: 5 of 8 met") but does not fail: the machine is
# shared and noisy.
set -euo pipefail
cd "$(dirname "$0")/.."

deals=${BENCH_DEALS:-100000}
duration=${BENCH_DURATION:-10s}
conns=${BENCH_CONCURRENCY:-16}
port=${BENCH_PORT:-18080}
db=${BENCH_DB:-handoff_bench}
reuse=${BENCH_REUSE:-}
say() { printf 'bench: %s\n' "$*" >&2; }

if [[ ! $deals =~ ^[0-9]+$ ]]; then
  say "BENCH_DEALS must be a number of deals, not '$deals'"
  exit 1
fi
# The name goes into DROP DATABASE and the URL unquoted; the prefix keeps a
# slip (BENCH_DB=handoff, postgres) from dropping a database that is not a bench's.
if [[ ! $db =~ ^handoff_bench[a-z0-9_]*$ ]]; then
  say "BENCH_DB must start with handoff_bench and hold only a-z, 0-9 and _, not '$db'"
  exit 1
fi
if [[ -n $reuse && $reuse != 1 && $reuse != 0 ]]; then
  say "BENCH_REUSE must be 1 (or 0, or unset), not '$reuse'"
  exit 1
fi

# A superuser URL on the local server (or TEST_DATABASE_URL), pointed at
# BENCH_DB instead of its own database.
admin=$(scripts/ensure-db.sh test)
if [[ ! $admin =~ ^([a-z]+://[^/?]*)(/[^?]*)?(\?.*)?$ ]]; then
  say "cannot read the database URL from scripts/ensure-db.sh test"
  exit 1
fi
url="${BASH_REMATCH[1]}/$db${BASH_REMATCH[3]}"

say "building bin/handoff and bin/handoffbench"
go build -o bin/handoff ./cmd/handoff
go build -o bin/handoffbench ./cmd/handoffbench

reused=0
if [[ $reuse == 1 ]]; then
  if [[ $(psql "$admin" -v ON_ERROR_STOP=1 -qXAt -c "SELECT 1 FROM pg_database WHERE datname = '$db'") != 1 ]]; then
    say "BENCH_REUSE: no database $db yet, seeding one"
  else
    # A database without the deals table (never seeded) is not reusable either.
    if ! have=$(psql "$url" -qXAt -c 'SELECT count(*) FROM deals' 2>/dev/null); then
      say "BENCH_REUSE: $db has no deals table: dropping and seeding it"
    elif [[ $have == "$deals" ]]; then
      reused=1
    else
      say "BENCH_REUSE: $db holds $have deals, not $deals: dropping and seeding it"
    fi
  fi
fi

if [[ $reused == 1 ]]; then
  # The code may have migrations the seed predates. They run here rather
  # than when the server starts, so that ANALYZE afterwards gives the planner
  # statistics of what they add (a new column or expression index has none).
  # VACUUM too: earlier runs' saves leave dead rows and pages the visibility
  # map no longer calls all-visible, which turns index-only counts into heap
  # reads — a state autovacuum would not leave a live database in.
  say "reusing $db ($deals deals): migrating and VACUUM ANALYZE"
  DATABASE_URL=$url bin/handoff migrate up
  psql "$url" -v ON_ERROR_STOP=1 -qX -c 'VACUUM (ANALYZE)'
else
  say "creating a fresh database $db"
  psql "$admin" -v ON_ERROR_STOP=1 -qX -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"

  say "seeding $deals deals"
  start=$SECONDS
  DATABASE_URL=$url bin/handoff demo --deals "$deals"
  say "seeded in $((SECONDS - start)) s; VACUUM ANALYZE (what autovacuum would have done by the time anyone looks)"
  psql "$url" -v ON_ERROR_STOP=1 -qX -c 'VACUUM (ANALYZE)'
fi

results=bin/bench-$deals.json
bench_args=(-base "http://127.0.0.1:$port" -db "$url" -c "$conns" -d "$duration" -json "$results")
if ((deals >= 1000000)) && [[ -f bin/bench-100000.json ]]; then
  say "comparing each p99 with bin/bench-100000.json"
  bench_args+=(-baseline bin/bench-100000.json)
fi

log=$(mktemp -t handoff-bench-server.XXXXXX.log)
say "serving on 127.0.0.1:$port (server log: $log)"
# Job workers off: their reminder sweeps would take the shared CPUs at random
# moments of the measurement, and write to a database BENCH_REUSE keeps.
DATABASE_URL=$url HANDOFF_ADDR=127.0.0.1:$port HANDOFF_BASE_URL=http://127.0.0.1:$port HANDOFF_LOG_LEVEL=warn HANDOFF_WORKERS=off \
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
bin/handoffbench "${bench_args[@]}" -pid "$server" || status=$?
stop_server
trap - EXIT
if [[ $status != 0 ]]; then
  say "FAILED (status $status); last server log lines:"
  tail -n 20 "$log" >&2
else
  rm -f "$log"
fi
exit "$status"
