#!/usr/bin/env bash
# Runs the whole test suite against this machine's PostgreSQL and Redis (started here if they are not running).
set -euo pipefail
cd "$(dirname "$0")/../.."
deployment/local/services.sh
exec ./mvnw -B verify "$@"
