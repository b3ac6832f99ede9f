#!/usr/bin/env bash
# Runs the whole test suite against this machine's PostgreSQL and Redis (started here if they are not running),
# plus a second, throwaway PostgreSQL for connector sources (customer-db.sh; port RIME_CUSTOMER_PG_PORT, default
# 55432), stopped at the end whatever happens. The run page's test needs Chromium, installed here from Debian when
# it is missing. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/../.."
deployment/local/services.sh
deployment/local/browser.sh
export RIME_CUSTOMER_PG_PORT="${RIME_CUSTOMER_PG_PORT:-55432}"
trap 'deployment/local/customer-db.sh stop' EXIT
deployment/local/customer-db.sh start
./mvnw -B verify -Drime.test.customer-pg-port="$RIME_CUSTOMER_PG_PORT" "$@"
