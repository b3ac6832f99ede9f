#!/usr/bin/env bash
# Load benchmark of GET /api/v1/projects/{id} with a valid token (wrk), followed by a read-only pgbench run at
# the same concurrency and duration, so the API figure can be read against what PostgreSQL alone does on the
# same machine. Prints a compact summary; raw outputs are kept under $BENCH_RUN_DIR/results-<time>/.
#
# Knobs: CONNECTIONS (default 32), DURATION (wrk syntax: 30s, 2m or plain seconds; default 30s, at most 10m),
# BENCH_URL (a server that is already running, e.g. https://127.0.0.1:18443; otherwise start-server.sh builds and
# starts one and this script stops it on exit). BENCH_OPERATOR_TOKEN (default bench-operator-token-for-local-benchmarks) and
# BENCH_METRICS_URL (default http://localhost:19000/q/metrics when this script starts the server) go with BENCH_URL.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo_root=$(cd "$bench_dir/.." && pwd)
run_dir="${BENCH_RUN_DIR:-/tmp/rime-bench-run}"
export BENCH_RUN_DIR="$run_dir"
connections="${CONNECTIONS:-32}"
duration="${DURATION:-30s}"
operator_token="${BENCH_OPERATOR_TOKEN:-bench-operator-token-for-local-benchmarks}"
warmup_seconds=10
threads=2

log() { echo "projects-get: $*" >&2; }
die() { log "$*"; exit 1; }

case "$connections" in ''|*[!0-9]*) die "CONNECTIONS must be a positive integer" ;; esac
[ "$connections" -ge 1 ] || die "CONNECTIONS must be a positive integer"
# wrk needs at least one connection per thread.
[ "$connections" -ge "$threads" ] || threads=$connections

# pgbench wants whole seconds while wrk takes 30s/2m; both must run for the same time.
case "$duration" in
  *[0-9]s) seconds=${duration%s} ;;
  *[0-9]m) seconds=$(( ${duration%m} * 60 )) ;;
  *) seconds=$duration ;;
esac
case "$seconds" in ''|*[!0-9]*) die "DURATION must look like 30s, 2m or 30" ;; esac
# Runs stay bounded: this is a benchmark, not a soak test.
[ "$seconds" -ge 1 ] && [ "$seconds" -le 600 ] || die "DURATION must be between 1 s and 10 min"

for tool in curl jq psql pgbench; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
if ! command -v wrk >/dev/null; then
  log "installing wrk (Debian package)"
  apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi

started_pid=""
cleanup() {
  # Only the server this script started is stopped, by its own PID.
  if [ -n "$started_pid" ] && kill -0 "$started_pid" 2>/dev/null; then
    log "stopping the server (PID $started_pid)"
    kill "$started_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$started_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$started_pid" 2>/dev/null || true
    rm -f "$run_dir/server.pid"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${BENCH_URL:-}" ]; then
  base_url="${BENCH_URL%/}"
  metrics_url="${BENCH_METRICS_URL:-}"
else
  "$bench_dir/start-server.sh"
  started_pid=$(cat "$run_dir/server.pid")
  base_url="https://127.0.0.1:18443"
  metrics_url="${BENCH_METRICS_URL:-http://localhost:19000/q/metrics}"
fi

# Traffic goes to this machine only: the address must be loopback, and tenant names are pinned to it below.
case "$base_url" in
  https://127.*:[0-9]*|https://localhost:[0-9]*) ;;
  *) die "BENCH_URL must be https://127.0.0.1:PORT or https://localhost:PORT (got $base_url)" ;;
esac
port=${base_url##*:}
address=${base_url#https://}; address=${address%:*}
[ "$address" = localhost ] && address=127.0.0.1
target_url="https://$address:$port"

results="$run_dir/results-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$results"
# Client and server share the machine, so anything else running skews the figures: keep a trace of it.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
ps -eo pid,pcpu,rss,args --sort=-pcpu > "$results/processes-before.txt"

# ---- Fixture: a fresh tenant, its admin's token, one project ------------------------------------------------
source "$(dirname "$0")/fixture.sh"
bench_fixture bench

status=$(api -o /dev/null -w '%{http_code}' "https://$tenant_host/api/v1/projects/$project_id" \
  -H "Authorization: Bearer $token") || die "GET /projects/$project_id failed (curl exit $?)"
[ "$status" = 200 ] || die "GET /projects/$project_id answered $status before the benchmark"
log "tenant $subdomain, project $project_id"

# ---- API benchmark ----------------------------------------------------------------------------------------------
export BENCH_TOKEN="$token" BENCH_HOST="$tenant_host"
get_url="$target_url/api/v1/projects/$project_id"
wrk_cmd=(wrk "-t$threads" "-c$connections" --latency -s "$bench_dir/wrk-get.lua")

# Server-side view of the same run, from the Prometheus endpoint: how many GET /projects/{id} were served and
# with which status, and how often the limiter gave up waiting for Redis and let a request through unchecked.
snapshot() {  # snapshot FILE: saves the metrics page, empty when there is no metrics URL
  : > "$1"
  [ -z "$metrics_url" ] || curl -s --max-time 10 "$metrics_url" > "$1" || true
}
served() {  # served FILE: prints "<all> <200> <redis-failures>"
  awk '
    /^http_server_requests_seconds_count\{/ && /method="GET"/ && /uri="\/projects\/\{id\}"/ {
      all += $NF; if ($0 ~ /status="200"/) ok += $NF }
    /^rime_ratelimit_redis_failures_total/ { redis += $NF }
    END { printf "%d %d %d\n", all, ok, redis }' "$1"
}
statuses() {  # statuses BEFORE AFTER: non-200 statuses of GET /projects/{id} that grew during the run
  awk '
    /^http_server_requests_seconds_count\{/ && /method="GET"/ && /uri="\/projects\/\{id\}"/ && !/status="200"/ {
      match($0, /status="[^"]*"/); key = substr($0, RSTART + 8, RLENGTH - 9)
      match($0, /outcome="[^"]*"/); key = key "/" substr($0, RSTART + 9, RLENGTH - 10)
      if (FILENAME == ARGV[1]) before[key] += $NF; else after[key] += $NF }
    END { sep = ""; for (k in after) if (after[k] > before[k]) { printf "%s%s x%d", sep, k, after[k] - before[k]; sep = ", " } }
  ' "$1" "$2"
}

# The JIT compiles the hot path during the warm-up; its figures are kept but not reported.
log "warming up for ${warmup_seconds}s"
timeout $((warmup_seconds + 30)) "${wrk_cmd[@]}" -d "${warmup_seconds}s" "$get_url" > "$results/wrk-warmup.txt"

# wrk closes connections with requests still in flight; give the server a moment to record those before reading
# the counters, so they do not land in the measured window.
sleep 1
# The test suite stops and restarts the shared Redis to exercise fail-open; a restart inside the window makes the
# run meaningless, so note Redis's identity on both sides of it.
redis_run_id() { redis-cli -h 127.0.0.1 -p 6379 info server 2>/dev/null | sed -n 's/^run_id:\([0-9a-f]*\).*/\1/p'; }
redis_before=$(redis_run_id)
snapshot "$results/metrics-before.txt"
log "measuring: ${wrk_cmd[*]} -d ${seconds}s $get_url"
timeout $((seconds + 30)) "${wrk_cmd[@]}" -d "${seconds}s" "$get_url" > "$results/wrk.txt"
sleep 1
snapshot "$results/metrics-after.txt"
redis_after=$(redis_run_id)
ps -eo pid,pcpu,rss,args --sort=-pcpu > "$results/processes-after-api.txt"

# Maven builds and Surefire forks of other work compete for the same two cores.
others="none seen"
if grep -qE 'surefirebooter|plexus-classworlds' "$results/processes-before.txt" "$results/processes-after-api.txt"; then
  others="Maven/Surefire processes were running (see processes-*.txt)"
fi
redis_note=""
[ "$redis_before" = "$redis_after" ] || redis_note="; REDIS RESTARTED DURING THE RUN"

field() { sed -n "s/^BENCH $1=//p" "$2"; }
rps=$(field rps "$results/wrk.txt")
p50=$(field p50_ms "$results/wrk.txt")
p99=$(field p99_ms "$results/wrk.txt")
requests=$(field requests "$results/wrk.txt")
non2xx=$(field non2xx "$results/wrk.txt")
socket_errors=$(field socket_errors "$results/wrk.txt")
warmup_non2xx=$(field non2xx "$results/wrk-warmup.txt")
if [ -s "$results/metrics-after.txt" ]; then
  read -r before_all before_ok before_redis < <(served "$results/metrics-before.txt")
  read -r after_all after_ok after_redis < <(served "$results/metrics-after.txt")
  not_ok=$(( (after_all - before_all) - (after_ok - before_ok) ))
  server_line="$((after_all - before_all)) served, $not_ok not 200"
  [ "$not_ok" = 0 ] || server_line="$server_line ($(statuses "$results/metrics-before.txt" "$results/metrics-after.txt"))"
  redis_line="$((after_redis - before_redis)) requests let through after a Redis failure or timeout"
else
  server_line="n/a (no metrics URL)"
  redis_line="n/a"
fi

# ---- pgbench at the same concurrency ----------------------------------------------------------------------------
"$repo_root/deployment/local/create-database.sh" rime_pgbench
# -S only reads, so a database initialised once at scale 10 stays valid across runs.
scale=$(psql -h 127.0.0.1 -U postgres -d rime_pgbench -tAc \
  "select count(*) from pgbench_branches" 2>/dev/null || echo 0)
if [ "$scale" != 10 ]; then
  log "initialising rime_pgbench (pgbench -i -s 10)"
  pgbench -i -s 10 -q -h 127.0.0.1 -U postgres rime_pgbench > "$results/pgbench-init.txt" 2>&1
fi
pg_threads=$threads
pg_cmd=(pgbench -S -c "$connections" -j "$pg_threads" -T "$seconds" -h 127.0.0.1 -U postgres rime_pgbench)
log "measuring: ${pg_cmd[*]}"
timeout $((seconds + 60)) "${pg_cmd[@]}" > "$results/pgbench.txt" 2>&1
tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$results/pgbench.txt" | head -n 1 | awk '{ printf "%.1f", $1 }')
pg_latency=$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$results/pgbench.txt")
pg_failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$results/pgbench.txt")

built_from="n/a (server not started here)"
[ -z "$started_pid" ] || built_from=$(cat "$run_dir/build-commit.txt" 2>/dev/null || echo unknown)
server_log_line="n/a (server not started here)"
if [ -n "$started_pid" ]; then
  server_log_line="$(grep -c '"level":"ERROR"' "$run_dir/server.log" || true) ERROR, $(grep -c '"level":"WARN"' "$run_dir/server.log" || true) WARN lines"
fi

cat <<SUMMARY

== GET /api/v1/projects/{id}  (wrk, ${threads} threads, ${connections} connections, ${seconds}s after ${warmup_seconds}s warm-up)
   requests/s      $rps   ($requests requests)
   latency p50     $p50 ms
   latency p99     $p99 ms
   non-2xx         $non2xx   (warm-up: $warmup_non2xx; socket errors: $socket_errors)
   server metrics  $server_line
   limiter         $redis_line$redis_note
   server log      $server_log_line
   server built    $built_from
   other work      $others
   load average    before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)
== pgbench -S  (${connections} clients, ${pg_threads} threads, ${seconds}s, scale 10)
   tps             $tps
   latency avg     $pg_latency ms
   failed          ${pg_failed:-0}
raw output: $results
SUMMARY

[ "${non2xx:-1}" = 0 ] && [ "${socket_errors:-1}" = 0 ] || die "the API run had non-2xx responses or socket errors"
