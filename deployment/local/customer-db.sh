#!/usr/bin/env bash
# A throwaway "customer" PostgreSQL, separate from the platform's own, for connector sources in tests: a fresh
# initdb cluster under target/customer-pg listening on 127.0.0.1 only (trust auth, superuser postgres).
# Usage: customer-db.sh start|stop. Port: RIME_CUSTOMER_PG_PORT (default 55432); directory: RIME_CUSTOMER_PG_DIR;
# RIME_CUSTOMER_PG_KEEP=1 reuses a cluster already in that directory instead of starting from an empty one.
set -euo pipefail
cd "$(dirname "$0")/../.."

port="${RIME_CUSTOMER_PG_PORT:-55432}"
dir="${RIME_CUSTOMER_PG_DIR:-$PWD/target/customer-pg}"
bin="${RIME_PG_BIN:-/usr/lib/postgresql/15/bin}"

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    if pg_isready -h 127.0.0.1 -p "$port" -q 2>/dev/null; then
      echo "customer-db: something already answers on 127.0.0.1:$port; set RIME_CUSTOMER_PG_PORT to a free port" >&2
      exit 1
    fi
    if [ "${RIME_CUSTOMER_PG_KEEP:-0}" != 1 ] || [ ! -f "$dir/data/PG_VERSION" ]; then
      rm -rf "$dir"
      mkdir -p "$dir"
      if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
      as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
      echo "host all all 127.0.0.1/32 trust" | as_postgres tee "$dir/data/pg_hba.conf" >/dev/null
    fi
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='' -c fsync=off \
          -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "customer-db: PostgreSQL for connector sources on 127.0.0.1:$port ($dir)"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
