#!/usr/bin/env bash
# Makes a local PostgreSQL available for the reference server's tests and prints
# DATABASE_URL=... on stdout (all progress goes to stderr, so CI can do
# `./ensure-postgres.sh >> "$GITHUB_ENV"` or `export "$(./ensure-postgres.sh)"`).
# Idempotent: a second run against a running cluster only checks it and prints the URL.
set -euo pipefail

PORT="${PGPORT:-55432}"
DATA_DIR="${TMPDIR:-/tmp}/wa-contacts-pg"
URL="postgres://wa_contacts:wa_contacts@127.0.0.1:${PORT}/wa_contacts"

log() { echo "ensure-postgres: $*" >&2; }

# Uses psql when present, else the pg package the server already depends on.
reachable() {
  if command -v psql >/dev/null 2>&1; then
    PGCONNECT_TIMEOUT=3 psql "$1" -Atqc 'select 1' >/dev/null 2>&1
  else
    (cd "$(dirname "$0")/.." && node -e '
      const pg = require("pg");
      const c = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
      c.connect().then(() => c.end()).then(() => process.exit(0), () => process.exit(1));
    ' "$1") >/dev/null 2>&1
  fi
}

if [ -n "${DATABASE_URL:-}" ]; then
  if reachable "$DATABASE_URL"; then
    log "DATABASE_URL is set and reachable; nothing to do"
    echo "DATABASE_URL=${DATABASE_URL}"
    exit 0
  fi
  log "DATABASE_URL is set but not reachable; starting a local cluster instead"
fi

if reachable "$URL"; then
  echo "DATABASE_URL=${URL}"
  exit 0
fi

# Debian keeps the server binaries out of PATH, under /usr/lib/postgresql/<version>/bin.
find_bin_dir() {
  # Resolve symlinks: a bare pg_ctl in PATH may sit apart from psql and pg_isready.
  if command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return
  fi
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] && echo "$d"
}

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

BIN_DIR="$(find_bin_dir || true)"
if [ -z "$BIN_DIR" ]; then
  log "pg_ctl not found; installing postgresql with apt-get"
  $SUDO apt-get update >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y postgresql >&2
  BIN_DIR="$(find_bin_dir || true)"
  [ -n "$BIN_DIR" ] || { log "postgresql installed but pg_ctl still not found"; exit 1; }
fi

# initdb refuses to run as root, so root runs the cluster as the postgres user.
if [ "$(id -u)" -eq 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi
  as_owner() { su postgres -s /bin/bash -c "$(printf '%q ' "$@")"; }
else
  as_owner() { "$@"; }
fi

if [ ! -s "$DATA_DIR/PG_VERSION" ]; then
  log "initializing a cluster in $DATA_DIR"
  mkdir -p "$DATA_DIR"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$DATA_DIR"; fi
  chmod 700 "$DATA_DIR"
  # Local (socket) connections are trusted: the socket lives in the 0700 data dir,
  # so only its owner reaches it. TCP needs a password.
  as_owner "$BIN_DIR/initdb" -D "$DATA_DIR" -U postgres -E UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 >&2
fi

SERVER_OPTS="-c listen_addresses=127.0.0.1 -p ${PORT} -c unix_socket_directories=${DATA_DIR}"
if ! as_owner "$BIN_DIR/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; then
  log "starting PostgreSQL on 127.0.0.1:${PORT}"
  as_owner "$BIN_DIR/pg_ctl" -D "$DATA_DIR" -l "$DATA_DIR/server.log" -o "$SERVER_OPTS" -w -t 60 start >&2
fi

ready=""
for _ in $(seq 1 60); do
  if as_owner "$BIN_DIR/pg_isready" -q -h "$DATA_DIR" -p "$PORT"; then ready=1; break; fi
  sleep 0.5
done
[ -n "$ready" ] || { log "PostgreSQL did not become ready; see $DATA_DIR/server.log"; exit 1; }

psql_admin() { as_owner "$BIN_DIR/psql" -h "$DATA_DIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq "$@"; }
psql_admin -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'wa_contacts') THEN
    CREATE ROLE wa_contacts LOGIN PASSWORD 'wa_contacts';
  END IF;
END \$\$;" >&2
# Test files each create a throwaway database, so they never see each other's rows.
psql_admin -c "ALTER ROLE wa_contacts CREATEDB" >&2
if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'wa_contacts'")" ]; then
  psql_admin -c "CREATE DATABASE wa_contacts OWNER wa_contacts" >&2
fi

reachable "$URL" || { log "cluster started but $URL is not reachable; see $DATA_DIR/server.log"; exit 1; }
echo "DATABASE_URL=${URL}"
