#!/usr/bin/env bash
# ensure-db.sh run|test — make sure a PostgreSQL is reachable and print the URL
# to use on stdout (everything else goes to stderr).
#   run:  DATABASE_URL if set; else a local server's `handoff` database.
#   test: TEST_DATABASE_URL if set; else a local superuser URL (tests create a
#         database per test, so they need CREATEDB and CREATEROLE).
# With no local server it starts an installed Debian cluster, or installs one
# when run as root on Debian, or says exactly what to do.
set -euo pipefail
mode=${1:-run}
say() { printf 'handoff: %s\n' "$*" >&2; }

if [[ $mode == run && -n ${DATABASE_URL:-} ]]; then echo "$DATABASE_URL"; exit 0; fi
if [[ $mode == test && -n ${TEST_DATABASE_URL:-} ]]; then echo "$TEST_DATABASE_URL"; exit 0; fi

host=${PGHOST_FOR_HANDOFF:-127.0.0.1}
port=${PGPORT_FOR_HANDOFF:-5432}

ready() { command -v pg_isready >/dev/null && pg_isready -q -h "$host" -p "$port"; }

start_clusters() {
  command -v pg_lsclusters >/dev/null || return 1
  local started=1
  while read -r ver name _ status _; do
    [[ $status == down* ]] || continue
    say "starting PostgreSQL cluster $ver/$name"
    pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start >&2 && started=0
  done < <(pg_lsclusters --no-header 2>/dev/null)
  return $started
}

if ! ready; then
  start_clusters || true
  for _ in $(seq 1 20); do ready && break; sleep 0.5; done
fi
if ! ready; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    say "no PostgreSQL found: installing Debian's postgresql (this takes a minute)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
    start_clusters || true
    for _ in $(seq 1 30); do ready && break; sleep 0.5; done
  fi
fi
if ! ready; then
  say "no PostgreSQL is reachable on $host:$port."
  say "Either set DATABASE_URL (and TEST_DATABASE_URL for tests) to a PostgreSQL you have,"
  say "or install one: sudo apt-get install postgresql   (Debian/Ubuntu)"
  say "             or: docker compose up -d db          (see docker-compose.yml)"
  exit 1
fi

# A superuser connection: trust over TCP as on CI, else the local socket as the
# postgres OS user (Debian's default peer auth), which then makes a password role.
admin_psql() { psql "postgres://postgres@$host:$port/postgres?sslmode=disable" -v ON_ERROR_STOP=1 -qtA "$@"; }
if ! admin_psql -c 'select 1' >/dev/null 2>&1; then
  if [[ $(id -u) == 0 ]] && command -v runuser >/dev/null; then
    admin_psql() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA "$@"; }
  else
    admin_psql() { sudo -u postgres psql -v ON_ERROR_STOP=1 -qtA "$@"; }
  fi
  if ! admin_psql -c 'select 1' >/dev/null 2>&1; then
    say "PostgreSQL is up but I cannot connect as a superuser to set up the database."
    say "Set DATABASE_URL (and TEST_DATABASE_URL) to a URL with a role that may create databases."
    exit 1
  fi
  # A dev role with a password, so the app and tests connect over TCP.
  admin_psql -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'handoff_dev') THEN
        CREATE ROLE handoff_dev LOGIN SUPERUSER PASSWORD 'handoff_dev';
      END IF; END \$\$;" >&2
  base="postgres://handoff_dev:handoff_dev@$host:$port"
else
  base="postgres://postgres@$host:$port"
fi

if [[ $mode == test ]]; then
  echo "$base/postgres?sslmode=disable"
  exit 0
fi

if [[ -z $(admin_psql -c "SELECT 1 FROM pg_database WHERE datname = 'handoff'") ]]; then
  say "creating database handoff"
  admin_psql -c 'CREATE DATABASE handoff' >&2
fi
echo "$base/handoff?sslmode=disable"
