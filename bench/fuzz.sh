#!/usr/bin/env bash
# Fuzzes the API from its OpenAPI document with a large budget: the test CI runs with 1500 requests
# (OpenApiFuzzTest), run through Maven with REQUESTS requests spread over more tenants. The test application gets its
# own ports and database, so this can run while another checkout runs its test suite on the default ones.
# Prints the fuzzer's summary (requests per operation and mutation, statuses, 5xx, findings with one example each)
# and exits non-zero when the test fails, that is when a finding is not in the test's KNOWN_FINDINGS allow-list.
# The summary, every finding, every request with its answer, and Maven's output are kept under
# $BENCH_RUN_DIR/fuzz-<UTC time>/.
#
# Knobs: REQUESTS (default 20000, at most 200000), SEED (default the test's own, 20250611), TENANTS (default
# REQUESTS/1000, between 3 and 20), FUZZ_HTTP_PORT, FUZZ_HTTPS_PORT, FUZZ_MANAGEMENT_PORT (default 8181, 8544, 9101),
# FUZZ_DATABASE (default rime_test_fuzz; the test profile empties it at start-up), MAVEN_OFFLINE (default 1: -o).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
run_dir="${BENCH_RUN_DIR:-/tmp/rime-bench-run}"
requests="${REQUESTS:-20000}"
seed="${SEED:-}"
tenants="${TENANTS:-}"
http_port="${FUZZ_HTTP_PORT:-8181}"
https_port="${FUZZ_HTTPS_PORT:-8544}"
management_port="${FUZZ_MANAGEMENT_PORT:-9101}"
database="${FUZZ_DATABASE:-rime_test_fuzz}"
offline="${MAVEN_OFFLINE:-1}"

log() { echo "fuzz: $*" >&2; }
die() { log "$*"; exit 1; }

whole() {  # whole NAME VALUE MIN MAX
  case "$2" in ''|*[!0-9]*) die "$1 must be a whole number" ;; esac
  [ "$2" -ge "$3" ] && [ "$2" -le "$4" ] || die "$1 must be between $3 and $4"
}
whole REQUESTS "$requests" 1 200000
[ -z "$seed" ] || case "$seed" in -[0-9]*|[0-9]*) ;; *) die "SEED must be a number" ;; esac
[ -z "$tenants" ] || whole TENANTS "$tenants" 2 50
whole FUZZ_HTTP_PORT "$http_port" 1024 65535
whole FUZZ_HTTPS_PORT "$https_port" 1024 65535
whole FUZZ_MANAGEMENT_PORT "$management_port" 1024 65535
case "$database" in ''|*[!a-z0-9_]*) die "FUZZ_DATABASE may only hold a-z, 0-9 and _" ;; esac
case "$database" in rime|rime_test|rime_bench) die "FUZZ_DATABASE must not be $database: the test profile empties it" ;; esac

results="$run_dir/fuzz-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$results"

args=(-B test -Dtest=OpenApiFuzzTest -Dsurefire.failIfNoSpecifiedTests=false
  "-Drime.fuzz.requests=$requests"
  "-Drime.test.http-port=$http_port" "-Drime.test.https-port=$https_port"
  "-Drime.test.management-port=$management_port" "-Drime.test.database=$database")
[ "$offline" = 1 ] && args=(-o "${args[@]}")
[ -n "$seed" ] && args+=("-Drime.fuzz.seed=$seed")
[ -n "$tenants" ] && args+=("-Drime.fuzz.tenants=$tenants")

# a report left by an earlier run must not pass for this one's
rm -f "$repo/target/fuzz-report.txt" "$repo/target/fuzz-findings.txt" "$repo/target/fuzz-requests.log"
log "$requests requests; ports $http_port/$https_port/$management_port, database $database; Maven output in $results/maven.log"
started=$(date +%s)
status=0
(cd "$repo" && ./mvnw "${args[@]}") > "$results/maven.log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - started ))

for file in fuzz-report.txt fuzz-findings.txt fuzz-requests.log; do
  [ -f "$repo/target/$file" ] && cp "$repo/target/$file" "$results/"
done
if [ -f "$results/fuzz-report.txt" ]; then
  cat "$results/fuzz-report.txt"
else
  log "no report: the test did not get to the end; the end of Maven's output follows"
  tail -n 60 "$results/maven.log" >&2
fi
log "Maven took ${elapsed} s and exited with $status; outputs in $results"
if [ "$status" -ne 0 ]; then
  grep -h -A3 "new fuzz findings\|Tests run:.*Fail" "$results/maven.log" | head -n 20 >&2 || true
fi
exit "$status"
