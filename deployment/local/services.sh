#!/usr/bin/env bash
# Starts the local PostgreSQL and Redis when they are not running (no-op otherwise), waits until both answer, and
# makes sure the platform's two database roles exist (roles.sql; idempotent, safe beside parallel runs).
set -euo pipefail

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "services: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "services: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi
for _ in $(seq 1 60); do
  if pg_isready -h 127.0.0.1 -p 5432 -q && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -d postgres -q -v ON_ERROR_STOP=1 -f "$(dirname "$0")/roles.sql"
    exit 0
  fi
  sleep 0.5
done
echo "services: PostgreSQL or Redis did not come up on 127.0.0.1" >&2
exit 1
