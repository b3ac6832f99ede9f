#!/usr/bin/env bash
# Runs the whole test suite against this machine's PostgreSQL and Redis (started here if they are not running);
# the run page's test needs Chromium, installed here from Debian when it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
deployment/local/services.sh
deployment/local/browser.sh
exec ./mvnw -B verify "$@"
