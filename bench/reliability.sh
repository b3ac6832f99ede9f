#!/usr/bin/env bash
# !!! WARNING: this script STOPS the machine's shared Redis and PostgreSQL (127.0.0.1:6379 and :5432), each for
# !!! about 10 s. Everything else using them at the time (other servers, test suites, benchmarks) sees the outage.
# !!! Both are restarted on exit, whatever happens (trap), but run it only when that disturbance is acceptable.
#
# Behaviour of the server while its backing services go away and come back, under steady load:
#   1. Redis outage (REDIS_OUTAGE s, default 10): `redis-cli shutdown nosave`, then redis-server again. The rate
#      limiter fails open, so no request may fail (no 5xx, no unanswered request), the fail-open counter
#      rime_ratelimit_redis_failures_total must grow, and all requests after Redis returns must be 2xx.
#   2. PostgreSQL outage (PG_OUTAGE s, default 6): `pg_ctlcluster stop -m fast`, pause, start. Requests must be
#      answered, not held: every answer in the outage is 2xx or 503 `service_unavailable` with Retry-After and the
#      error envelope, within MAX_OUTAGE_LATENCY_MS (default 2500: the 2 s pool acquire bound plus slack), none is
#      left unanswered. Readiness must go DOWN and come back UP, and requests must be 200 again afterwards.
#   3. No partial writes: a writer creates projects `rel-<n>` every 200 ms through both outages; afterwards every
#      201 must exist in the database, no project may exist that was not answered 201 (a request with no answer is
#      reported as ambiguous), and every created project must have exactly one audit entry (event or outbox).
#
# Load: bench/http-load.py, LOAD_THREADS (default 8) keep-alive connections sending GET /api/v1/projects/{id} back to
# back, plus the writer. Every request is one line in $results/requests.tsv. Phases: BASELINE s (10) of steady load,
# the Redis outage, RECOVERY s (10), the PostgreSQL outage, readiness back UP, RECOVERY s again.
#
# Knobs: BENCH_RUN_DIR, BENCH_BUILD_DIR, BENCH_PORT_OFFSET (as for start-server.sh), LOAD_THREADS, BASELINE,
# RECOVERY, REDIS_OUTAGE, PG_OUTAGE (each at most 15 s), MAX_OUTAGE_LATENCY_MS. Raw outputs go to
# $BENCH_RUN_DIR/reliability-<UTC time>/.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
run_dir="${BENCH_RUN_DIR:-/tmp/rime-bench-run}"
run_dir="${run_dir%/}"
offset="${BENCH_PORT_OFFSET:-0}"
threads="${LOAD_THREADS:-8}"
baseline="${BASELINE:-10}"
recovery="${RECOVERY:-10}"
redis_outage="${REDIS_OUTAGE:-10}"
pg_outage="${PG_OUTAGE:-6}"
max_latency="${MAX_OUTAGE_LATENCY_MS:-2500}"
operator_token=bench-operator-token-for-local-benchmarks
database=rime_bench
address=127.0.0.1
pg_version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)

log() { echo "reliability: $*" >&2; }
die() { log "$*"; exit 1; }

for n in "$offset" "$threads" "$baseline" "$recovery" "$redis_outage" "$pg_outage" "$max_latency"; do
  case "$n" in ''|*[!0-9]*) die "BENCH_PORT_OFFSET, LOAD_THREADS, BASELINE, RECOVERY, REDIS_OUTAGE, PG_OUTAGE and MAX_OUTAGE_LATENCY_MS must be whole numbers" ;; esac
done
[ "$redis_outage" -ge 1 ] && [ "$redis_outage" -le 15 ] || die "REDIS_OUTAGE must be between 1 and 15 s (others share this Redis)"
[ "$pg_outage" -ge 1 ] && [ "$pg_outage" -le 15 ] || die "PG_OUTAGE must be between 1 and 15 s (others share this PostgreSQL)"
[ "$threads" -ge 1 ] && [ "$threads" -le 64 ] || die "LOAD_THREADS must be between 1 and 64"
for tool in curl jq psql awk python3 redis-cli redis-server pg_ctlcluster pg_isready; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
[ -n "$pg_version" ] || die "no PostgreSQL cluster under /etc/postgresql"
port=$((18443 + offset))
management_port=$((19000 + offset))

log "WARNING: this run stops the shared Redis for ${redis_outage}s and PostgreSQL for about ${pg_outage}s + its start-up"

server_pid=""; load_pid=""; ready_pid=""
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }
pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
start_redis() { redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null; }
start_pg() { pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start; }
restore_services() {
  # Whatever happened, Redis and PostgreSQL are running again when this script ends.
  if ! redis_up; then log "restoring Redis"; start_redis || log "COULD NOT RESTART REDIS"; fi
  if ! pg_up; then
    log "restoring PostgreSQL"
    start_pg 2>/dev/null || true
    for _ in $(seq 1 60); do pg_up && break; sleep 0.5; done
    pg_up || log "COULD NOT RESTART POSTGRESQL"
  fi
}
cleanup() {
  [ -z "${results:-}" ] || touch "$results/stop"
  for p in "$load_pid" "$ready_pid"; do [ -z "$p" ] || kill "$p" 2>/dev/null || true; done
  restore_services
  # Only the server this script started is stopped, by its own PID.
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    log "stopping the server (PID $server_pid)"
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$server_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$server_pid" 2>/dev/null || true
    rm -f "$run_dir/server.pid"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

mkdir -p "$run_dir"
results="$run_dir/reliability-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$results"
date_started=$(date -u)
ps -eo pid,pcpu,rss,args --sort=-pcpu > "$results/processes-before.txt"

BENCH_RUN_DIR="$run_dir" BENCH_PORT_OFFSET="$offset" "$bench_dir/start-server.sh" >&2
server_pid=$(cat "$run_dir/server.pid")
source "$bench_dir/fixture.sh"
bench_fixture bench-reliability
log "tenant $subdomain, project $project_id"
tenant_id=$(psql -h 127.0.0.1 -U postgres -d "$database" -qtAX -c "select id from tenants where subdomain = '$subdomain'")

now_ms() { date +%s%3N; }
mark() { echo "$1 $(now_ms)" >> "$results/phases.txt"; log "$1"; }
metric() {  # the fail-open counter (sum over its series), or -1 when the metrics page does not answer
  curl -s --max-time 3 "http://127.0.0.1:$management_port/q/metrics" 2>/dev/null \
    | awk '/^rime_ratelimit_redis_failures_total/ { s += $NF; seen = 1 } END { if (seen) printf "%d", s; else print (NR ? 0 : -1) }'
}

# ---- Load ------------------------------------------------------------------------------------------------------
: > "$results/requests.tsv"
python3 "$bench_dir/http-load.py" "$address" "$port" "$subdomain.localhost:$port" "$token" \
  "/api/v1/projects/$project_id" "$threads" "$results/requests.tsv" "$results/stop" "/api/v1/projects" 0.2 rel- 15 \
  2> "$results/load.err" &
load_pid=$!
( set +e  # readiness every 250 ms for the whole run: time and status
  while [ ! -e "$results/stop" ]; do
    echo "$(now_ms) $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$management_port/q/health/ready" 2>/dev/null)" >> "$results/ready.txt"
    sleep 0.25
  done ) &
ready_pid=$!

mark baseline
sleep "$baseline"

# ---- Redis outage --------------------------------------------------------------------------------------------------
redis_before=$(metric)
redis_run_id=$(redis-cli -h 127.0.0.1 -p 6379 info server | awk -F: '/^run_id/ { print $2 }' | tr -d '\r')
mark redis-down
redis-cli -h 127.0.0.1 -p 6379 shutdown nosave >/dev/null 2>&1 || true
for _ in $(seq 1 20); do redis_up || break; sleep 0.1; done
redis_up && die "Redis still answers after shutdown"
sleep "$redis_outage"
start_redis
for _ in $(seq 1 50); do redis_up && break; sleep 0.1; done
redis_up || die "Redis did not come back"
mark redis-back
sleep "$recovery"
redis_after=$(metric)

# ---- PostgreSQL outage ---------------------------------------------------------------------------------------------
mark pg-down
pg_ctlcluster --skip-systemctl-redirect "$pg_version" main stop -m fast
sleep "$pg_outage"
mark pg-starting
start_pg
for _ in $(seq 1 120); do pg_up && break; sleep 0.25; done
pg_up || die "PostgreSQL did not come back"
mark pg-back
deadline=$((SECONDS + 60))
until [ "$(tail -n 1 "$results/ready.txt" | awk '{ print $2 }')" = 200 ]; do
  [ "$SECONDS" -lt "$deadline" ] || { log "readiness not UP 60 s after PostgreSQL returned"; break; }
  sleep 0.25
done
mark ready-again
sleep "$recovery"
mark end
touch "$results/stop"
wait "$load_pid" 2>/dev/null || true; load_pid=""
wait "$ready_pid" 2>/dev/null || true; ready_pid=""
# The audit relay moves entries from the outbox every 500 ms; give it a moment, then read both tables.
sleep 3
ps -eo pid,pcpu,rss,args --sort=-pcpu > "$results/processes-after.txt"

# ---- Evidence ------------------------------------------------------------------------------------------------------
phase() { awk -v p="$1" '$1 == p { print $2 }' "$results/phases.txt"; }
t_base=$(phase baseline); t_rdown=$(phase redis-down); t_rback=$(phase redis-back); t_pdown=$(phase pg-down)
t_pstart=$(phase pg-starting); t_pback=$(phase pg-back); t_ready=$(phase ready-again); t_end=$(phase end)
rel() { awk -v t="$1" -v z="$2" 'BEGIN { printf "%+.2f s", (t - z) / 1000 }'; }
failures=0
check() { if [ "$1" = OK ]; then echo "PASS  $2"; else echo "FAIL  $2"; failures=$((failures + 1)); fi; }
window() {  # window FROM TO [METHOD]: requests started in [FROM, TO)
  awk -F'\t' -v a="$1" -v b="$2" -v m="${3:-}" '$1 >= a && $1 < b && (m == "" || $3 == m)' "$results/requests.tsv"
}
by_status() { awk -F'\t' '{ k = ($4 == 0 ? "no-answer" : $4); c[k]++ } END { for (k in c) { printf "%s%s x%d", sep, k, c[k]; sep = ", " } }'; }
latency() { awk -F'\t' '{ n++; s += $5; if ($5 > m) m = $5 } END { if (n) printf "mean %.0f ms, max %d ms", s / n, m; else printf "none" }'; }
counts_line() { printf '   %-26s %6d requests  %-40s %s\n' "$1" "$(window "$2" "$3" | wc -l)" "$(window "$2" "$3" | by_status)" "$(window "$2" "$3" | latency)"; }

# Redis
redis_bad=$(window "$t_rdown" "$t_rback" | awk -F'\t' '$4 == 0 || $4 >= 500' | wc -l)
redis_n=$(window "$t_rdown" "$t_rback" | wc -l)
if [ "$redis_n" -gt 0 ] && [ "$redis_bad" = 0 ]; then
  check OK "Redis down: $redis_n requests, none 5xx or unanswered ($(window "$t_rdown" "$t_rback" | by_status); $(window "$t_rdown" "$t_rback" | latency))"
else
  check FAIL "Redis down: $redis_n requests, $redis_bad 5xx or unanswered ($(window "$t_rdown" "$t_rback" | by_status))"
fi
if [ "$redis_before" -ge 0 ] && [ "$redis_after" -gt "$redis_before" ]; then
  check OK "fail-open counter rime_ratelimit_redis_failures_total $redis_before -> $redis_after (+$((redis_after - redis_before)))"
else
  check FAIL "fail-open counter rime_ratelimit_redis_failures_total $redis_before -> $redis_after"
fi
after_redis_bad=$(window "$t_rback" "$t_pdown" | awk -F'\t' '$4 < 200 || $4 >= 300' | wc -l)
after_redis_n=$(window "$t_rback" "$t_pdown" | wc -l)
if [ "$after_redis_n" -gt 0 ] && [ "$after_redis_bad" = 0 ]; then
  check OK "after Redis returned: $after_redis_n requests, all 2xx"
else
  check FAIL "after Redis returned: $after_redis_n requests, $after_redis_bad not 2xx ($(window "$t_rback" "$t_pdown" | by_status))"
fi

# PostgreSQL: requests started while it was stopped or starting.
window "$t_pdown" "$t_pback" > "$results/pg-window.tsv"
pg_n=$(wc -l < "$results/pg-window.tsv")
pg_503=$(awk -F'\t' '$4 == 503' "$results/pg-window.tsv" | wc -l)
pg_bad_503=$(awk -F'\t' '$4 == 503 && ($6 == "" || $7 != "service_unavailable")' "$results/pg-window.tsv" | wc -l)
pg_other=$(awk -F'\t' '$4 != 503 && ($4 < 200 || $4 >= 300)' "$results/pg-window.tsv" | wc -l)
pg_slow=$(awk -F'\t' -v m="$max_latency" '$5 > m' "$results/pg-window.tsv" | wc -l)
first_503=$(awk -F'\t' '$4 == 503 { print; exit }' <(sort -n "$results/pg-window.tsv"))
first_503_latency=$(cut -f5 <<< "$first_503")
first_503_at=$(cut -f1 <<< "$first_503")
retry_after_values=$(awk -F'\t' '$4 == 503 { c[$6 == "" ? "missing" : $6]++ } END { for (k in c) { printf "%s%s x%d", sep, k, c[k]; sep = ", " } }' "$results/pg-window.tsv")
if [ "$pg_503" -gt 0 ] && [ "$pg_bad_503" = 0 ] && [ "$pg_other" = 0 ]; then
  check OK "PostgreSQL down: $pg_n requests, answers $(by_status < "$results/pg-window.tsv"); every 503 is service_unavailable with Retry-After ($retry_after_values)"
else
  check FAIL "PostgreSQL down: $pg_n requests, answers $(by_status < "$results/pg-window.tsv"); 503 without envelope code or Retry-After: $pg_bad_503; other non-2xx or unanswered: $pg_other ($(awk -F'\t' '$4 != 503 && ($4 < 200 || $4 >= 300) { c[$3 " " ($4 ? $4 : "no-answer") " " ($7 ? $7 : "-")]++ } END { for (k in c) { printf "%s%s x%d", sep, k, c[k]; sep = ", " } }' "$results/pg-window.tsv"))"
fi
if [ "$pg_n" -gt 0 ] && [ "$pg_slow" = 0 ]; then
  check OK "PostgreSQL down: no request held: $(latency < "$results/pg-window.tsv") (bound ${max_latency} ms); first 503 sent at $(rel "${first_503_at:-$t_pdown}" "$t_pdown") took ${first_503_latency:-?} ms"
else
  check FAIL "PostgreSQL down: $pg_slow of $pg_n requests took longer than ${max_latency} ms ($(latency < "$results/pg-window.tsv")); first 503 took ${first_503_latency:-?} ms"
fi
first_down=$(awk -v a="$t_pdown" '$1 >= a && $2 != 200 { print $1 " " $2; exit }' "$results/ready.txt")
up_again=$(awk -v a="${first_down%% *}" '$1 > a && $2 == 200 { print $1; exit }' "$results/ready.txt")
# UP while PostgreSQL was still stopped would be wrong; UP once the start command runs is fine (it accepts
# connections before pg_ctlcluster returns).
if [ -n "$first_down" ] && [ "${first_down#* }" = 503 ] && [ -n "$up_again" ] && [ "$up_again" -ge "$t_pstart" ]; then
  check OK "readiness DOWN (503) from $(rel "${first_down%% *}" "$t_pdown") to $(rel "$up_again" "$t_pdown") after the stop (start command at $(rel "$t_pstart" "$t_pdown"), pg_isready ok at $(rel "$t_pback" "$t_pdown"))"
else
  check FAIL "readiness: first non-200 after the stop: ${first_down:+$(rel "${first_down%% *}" "$t_pdown") ${first_down#* }}${first_down:-none}; UP again: ${up_again:+$(rel "$up_again" "$t_pdown")}${up_again:-never} (start command at $(rel "$t_pstart" "$t_pdown"))"
fi
first_200=$(awk -F'\t' -v a="$t_pstart" '$1 >= a && $4 == 200 { print $1 + $5; exit }' <(sort -n "$results/requests.tsv"))
tail_bad=$(window "$t_ready" "$t_end" | awk -F'\t' '$4 < 200 || $4 >= 300' | wc -l)
tail_n=$(window "$t_ready" "$t_end" | wc -l)
if [ "$tail_n" -gt 0 ] && [ "$tail_bad" = 0 ]; then
  check OK "recovered: first 200 answered $(rel "${first_200:-$t_pstart}" "$t_pstart") after the start command; $tail_n requests after readiness UP, all 2xx"
else
  check FAIL "recovery: $tail_bad of $tail_n requests after readiness UP were not 2xx ($(window "$t_ready" "$t_end" | by_status))"
fi

# Writes: what the clients were told against what the database holds.
awk -F'\t' '$3 == "POST" && $4 == 201 { print $9 }' "$results/requests.tsv" | sort > "$results/created-201.txt"
awk -F'\t' '$3 == "POST" && $4 == 0 { print $8 }' "$results/requests.tsv" | sort > "$results/unanswered-names.txt"
awk -F'\t' '$3 == "POST" && $4 != 201 && $4 != 0 { print $8 }' "$results/requests.tsv" | sort > "$results/refused-names.txt"
q() { psql -h 127.0.0.1 -U postgres -d "$database" -qtAX -F ' ' -c "$1"; }
q "select id, name from projects where tenant_id = '$tenant_id' and name like 'rel-%' order by name" > "$results/db-projects.txt"
cut -d' ' -f1 "$results/db-projects.txt" | sort > "$results/db-ids.txt"
missing=$(comm -23 "$results/created-201.txt" "$results/db-ids.txt" | wc -l)
extra_ids=$(comm -13 "$results/created-201.txt" "$results/db-ids.txt")
extra_names=$(for id in $extra_ids; do awk -v i="$id" '$1 == i { print $2 }' "$results/db-projects.txt"; done | sort)
extra_refused=$(comm -12 <(echo "$extra_names" | sed '/^$/d') "$results/refused-names.txt" | wc -l)
extra_unanswered=$(comm -12 <(echo "$extra_names" | sed '/^$/d') "$results/unanswered-names.txt" | wc -l)
extra_n=$(echo "$extra_names" | sed '/^$/d' | wc -l)
posts=$(awk -F'\t' '$3 == "POST"' "$results/requests.tsv" | wc -l)
posts_by_status=$(awk -F'\t' '$3 == "POST"' "$results/requests.tsv" | by_status)
if [ "$missing" = 0 ] && [ "$extra_refused" = 0 ] && [ "$((extra_n - extra_unanswered))" = 0 ]; then
  check OK "writes: $posts POSTs ($posts_by_status); all $(wc -l < "$results/created-201.txt") answered 201 exist, none answered otherwise exists$([ "$extra_unanswered" -gt 0 ] && echo "; $extra_unanswered unanswered POST(s) did commit (ambiguous to the client)")"
else
  check FAIL "writes: $missing answered 201 but missing; $extra_refused exist although refused; $((extra_n - extra_unanswered - extra_refused)) exist with no request at all"
fi
# Audit entries of the created projects: events, plus any still in the outbox.
q "select resource_id from audit_events where tenant_id = '$tenant_id' and action = 'resource.created' and resource_type = 'project'
   union all select payload::json #>> '{resource,id}' from audit_outbox where tenant_id = '$tenant_id'
     and payload::json ->> 'action' = 'resource.created' and payload::json #>> '{resource,type}' = 'project'" | sort > "$results/audit-ids.txt"
no_audit=$(comm -23 "$results/db-ids.txt" <(sort -u "$results/audit-ids.txt") | wc -l)
dup_audit=$(uniq -d "$results/audit-ids.txt" | wc -l)
orphan_audit=$(comm -13 "$results/db-ids.txt" <(sort -u "$results/audit-ids.txt") | grep -vx "$project_id" | wc -l || true)
if [ "$no_audit" = 0 ] && [ "$dup_audit" = 0 ] && [ "$orphan_audit" = 0 ]; then
  check OK "audit: each of the $(wc -l < "$results/db-ids.txt") projects has exactly one resource.created entry, and no entry names a project that does not exist"
else
  check FAIL "audit: $no_audit projects without an entry, $dup_audit with more than one, $orphan_audit entries for projects that do not exist"
fi

fail_open_lines=$(grep -c 'failing open' "$run_dir/server.log" || true)
errors=$(grep -c '"level":"ERROR"' "$run_dir/server.log" || true)
# ERROR lines grouped by logger and exception: what the 500s (if any) were.
jq -rR 'fromjson? | select(.level == "ERROR") | "\(.loggerName | split(".") | last): \(.message) \(.exception.exceptionType // "") \(.exception.message // "" | .[0:70])"' \
  "$run_dir/server.log" 2>/dev/null | sort | uniq -c | sort -rn > "$results/errors-grouped.txt" || true
cp "$run_dir/server.log" "$results/server.log"
cat <<SUMMARY

== Reliability under load ($threads GET connections back to back + 1 writer every 200 ms; times relative to each outage)
$(counts_line "baseline" "$t_base" "$t_rdown")
$(counts_line "Redis down" "$t_rdown" "$t_rback")
$(counts_line "after Redis" "$t_rback" "$t_pdown")
$(counts_line "PostgreSQL stopped" "$t_pdown" "$t_pstart")
$(counts_line "PostgreSQL starting" "$t_pstart" "$t_pback")
$(counts_line "pg_isready ok, ready DOWN" "$t_pback" "$t_ready")
$(counts_line "after readiness UP" "$t_ready" "$t_end")
   outages         Redis $(rel "$t_rback" "$t_rdown" | tr -d +) (run_id before: ${redis_run_id:0:12}...); PostgreSQL stopped $(rel "$t_pstart" "$t_pdown" | tr -d +), accepting again after $(rel "$t_pback" "$t_pdown" | tr -d +)
   readiness       $(awk -v a="$t_pdown" -v b="${up_again:-$t_end}" '$1 >= a && $1 < b { c[$2]++ } END { for (k in c) { printf "%s%s x%d", sep, k, c[k]; sep = ", " } }' "$results/ready.txt") from the PostgreSQL stop until the first UP (every 250 ms)
   server log      $fail_open_lines "failing open" lines, $errors ERROR lines$([ -s "$results/errors-grouped.txt" ] && echo ":" && sed 's/^ */                     /' "$results/errors-grouped.txt")
   server built    $(cat "$run_dir/build-commit.txt" 2>/dev/null || echo unknown)
   machine         $(nproc) CPUs, $(free -m | awk '/^Mem:/ { printf "%d MiB total, %d MiB available", $2, $7 }'); started $date_started
   other work      $(grep -qE 'surefirebooter|plexus-classworlds' "$results/processes-before.txt" "$results/processes-after.txt" && echo "Maven/Surefire processes were running (they saw the outages too)" || echo "none seen")
raw output: $results (requests.tsv: start_ms end_ms method status latency_ms retry_after code name id error)
SUMMARY

[ "$failures" = 0 ] || { log "$failures check(s) failed"; exit 1; }
log "all checks passed"
