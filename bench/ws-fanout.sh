#!/usr/bin/env bash
# Live progress fan-out: many WebSocket watchers of one pipeline run on one server, while events are written at a
# fixed rate. Reports per configuration the events delivered and lost, resyncs and closes, the publish-to-receive
# latency, and the server's memory per idle connection. Prints a compact summary; raw outputs are kept under
# $BENCH_RUN_DIR/ws-fanout-<time>/.
#
# Events must come at a known rate whatever the steps do, so the script does not run steps: the run's only step is a
# transform handed to an external runner that never comes, which keeps the run `running` and the server silent
# about it. The Java client (bench/ws/WsFanout.java) then writes step.log events the way another replica would: one
# transaction that bumps the run's last_seq and inserts the event row, then a PUBLISH on the Redis channel the
# server listens to. The server delivers them exactly as it delivers a peer's events. step.log is never coalesced,
# so every seq must reach every watcher unless the server resyncs the watcher with a snapshot (reported apart from
# losses) or closes it (1013). Each configuration gets its own run, which is cancelled at the end.
#
# Knobs: CONFIGS (space-separated WATCHERSxRATE, default "500x200 5000x200"), DURATION (seconds of events per
# configuration, default 30), HANDSHAKES (sockets being opened at once, default 200), WARMUP_WATCHERS and
# WARMUP_SECONDS (an unmeasured group that is connected, fed and closed first, default 200 and 5), DRAIN_TIMEOUT
# (seconds to wait after the last event for every socket to have it, default 60), EVENT_LOOPS (client event loops,
# default 2), LATENCY_BUDGET_MS (a configuration whose p99 latency is above it is reported "late" even when every
# event arrived, default 1000), PROFILE=1 (a JFR recording of the server over each measured event phase, summarised),
# BENCH_PORT_OFFSET (as for start-server.sh: a second benchmark server beside another one). A server that is already
# running (e.g. from start-server.sh) is described by BENCH_URL, BENCH_OPERATOR_TOKEN, BENCH_METRICS_URL,
# BENCH_SERVER_PID (without it no memory or server CPU figures) and BENCH_SERVER_LOG (without it no ERROR check).
# RIME_PROGRESS_* variables the caller exports reach the server this script starts (e.g. RIME_PROGRESS_QUEUE_LIMIT).
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
run_dir="${BENCH_RUN_DIR:-/tmp/rime-bench-run}"
build_dir="${BENCH_BUILD_DIR:-/tmp/rime-bench-build}"
export BENCH_RUN_DIR="$run_dir"
configs="${CONFIGS:-500x200 5000x200}"
duration="${DURATION:-30}"
handshakes="${HANDSHAKES:-200}"
warmup_watchers="${WARMUP_WATCHERS:-200}"
warmup_seconds="${WARMUP_SECONDS:-5}"
drain_timeout="${DRAIN_TIMEOUT:-60}"
event_loops="${EVENT_LOOPS:-2}"
profile="${PROFILE:-0}"
latency_budget="${LATENCY_BUDGET_MS:-1000}"
port_offset="${BENCH_PORT_OFFSET:-0}"
operator_token="${BENCH_OPERATOR_TOKEN:-bench-operator-token-for-local-benchmarks}"
database=rime_bench

log() { echo "ws-fanout: $*" >&2; }
die() { log "$*"; exit 1; }

whole() {  # whole NAME VALUE MIN MAX
  case "$2" in ''|*[!0-9]*) die "$1 must be a whole number" ;; esac
  [ "$2" -ge "$3" ] && [ "$2" -le "$4" ] || die "$1 must be between $3 and $4"
}
# A run's step is failed by the server once its runner deadline (10 min) passes; every configuration must end well
# before that, so the event phase is bounded.
whole DURATION "$duration" 1 300
whole HANDSHAKES "$handshakes" 1 5000
whole WARMUP_WATCHERS "$warmup_watchers" 0 5000
whole WARMUP_SECONDS "$warmup_seconds" 1 60
whole DRAIN_TIMEOUT "$drain_timeout" 1 300
whole EVENT_LOOPS "$event_loops" 1 64
whole PROFILE "$profile" 0 1
whole LATENCY_BUDGET_MS "$latency_budget" 1 600000
whole BENCH_PORT_OFFSET "$port_offset" 0 1000
[ $((duration + drain_timeout)) -le 420 ] || die "DURATION plus DRAIN_TIMEOUT must stay within 420 s (the runner deadline is 10 min)"
[ -n "$configs" ] || die "CONFIGS is empty"
for config in $configs; do
  case "$config" in [0-9]*x[0-9]*) ;; *) die "CONFIGS items look like 5000x200 (watchers x events per second), got '$config'" ;; esac
  whole "watchers in $config" "${config%x*}" 1 20000
  whole "rate in $config" "${config#*x}" 1 5000
done
for tool in curl jq psql awk; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

started_pid=""
run_to_cancel=""
cleanup() {
  # A run left running would be failed by the runner deadline minutes later, in whatever else runs then.
  if [ -n "$run_to_cancel" ]; then
    api -o /dev/null -X POST "$runs_url/$run_to_cancel/cancel" -H "Authorization: Bearer $token" 2>/dev/null || true
  fi
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

results="$run_dir/ws-fanout-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$results"
date_started=$(date -u)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
ps -eo pid,pcpu,rss,args --sort=-pcpu > "$results/processes-before.txt"

# ---- Server ---------------------------------------------------------------------------------------------------
if [ -n "${BENCH_URL:-}" ]; then
  base_url="${BENCH_URL%/}"
  metrics_url="${BENCH_METRICS_URL:-}"
  server_pid="${BENCH_SERVER_PID:-}"
  server_log="${BENCH_SERVER_LOG:-}"
else
  # The build's own output (Maven prints errors to stdout even with -q) stays out of the summary.
  "$bench_dir/start-server.sh" >&2
  started_pid=$(cat "$run_dir/server.pid")
  server_pid=$started_pid
  base_url="https://127.0.0.1:$((18443 + port_offset))"
  metrics_url="${BENCH_METRICS_URL:-http://localhost:$((19000 + port_offset))/q/metrics}"
  server_log="$run_dir/server.log"
fi
case "$base_url" in
  https://127.*:[0-9]*|https://localhost:[0-9]*) ;;
  *) die "BENCH_URL must be https://127.0.0.1:PORT or https://localhost:PORT (got $base_url)" ;;
esac
case "$metrics_url" in
  ''|http://127.*:[0-9]*/*|http://localhost:[0-9]*/*) ;;
  *) die "BENCH_METRICS_URL must be on 127.0.0.1 or localhost (got $metrics_url)" ;;
esac
port=${base_url##*:}
address=${base_url#https://}; address=${address%:*}
[ "$address" = localhost ] && address=127.0.0.1

# The client runs on the JDK the server runs on (the server's own jcmd attaches reliably too); without a PID, the
# newest JDK >= 21 is chosen the way start-server.sh chooses one.
java_bin=""
jcmd_bin=""
if [ -n "$server_pid" ] && [ -r "/proc/$server_pid/exe" ]; then
  java_bin=$(readlink -f "/proc/$server_pid/exe")
  [ -x "$(dirname "$java_bin")/jcmd" ] && jcmd_bin="$(dirname "$java_bin")/jcmd"
fi
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | cut -d. -f1; }
if [ -z "$java_bin" ]; then
  best_major=0
  for candidate in ${JAVA_HOME:+$JAVA_HOME/bin/java} /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    major=$(java_major "$candidate" 2>/dev/null || echo 0)
    if [ "${major:-0}" -gt "$best_major" ]; then java_bin="$candidate"; best_major=$major; fi
  done
  [ "$best_major" -ge 21 ] || die "a JDK 21 or newer is required for the client (set JAVA_HOME)"
fi

# The client uses the same Vert.x, Netty, Jackson and PostgreSQL driver jars the server was built with, so nothing
# is downloaded and the versions match what the server speaks.
lib="$build_dir/target/quarkus-app/lib/main"
classpath=""
for pattern in 'io.vertx.vertx-core-*.jar' 'io.vertx.vertx-codegen-*.jar' 'io.netty.netty-*.jar' \
    'com.fasterxml.jackson.core.jackson-core-*.jar' 'org.postgresql.postgresql-*.jar'; do
  for jar in "$lib"/$pattern; do
    [ -f "$jar" ] && classpath="$classpath${classpath:+:}$jar"
  done
done
case "$classpath" in
  *vertx-core*netty*jackson-core*postgresql*) ;;
  *) die "no Vert.x, Netty, Jackson and PostgreSQL jars under $lib; build the server once with start-server.sh" ;;
esac

source "$bench_dir/fixture.sh"
bench_fixture bench-ws-fanout
log "tenant $subdomain, project $project_id"
pipelines_url="https://$tenant_host/api/v1/projects/$project_id/pipelines"

# A transform step is handed to an external runner; none is registered, so the step waits (up to the runner
# deadline) and the run stays running without the server writing any event of its own.
status=$(api -o "$results/pipeline.json" -w '%{http_code}' -X POST "$pipelines_url" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench ws fan-out\",\"steps\":[{\"key\":\"model\",\"type\":\"transform\",\"config\":{\"transformation_id\":\"$(cat /proc/sys/kernel/random/uuid)\"}}]}") \
  || die "creating the pipeline failed (curl exit $?)"
[ "$status" = 201 ] || die "creating the pipeline answered $status: $(head -c 500 "$results/pipeline.json")"
pipeline_id=$(jq -r '.id // empty' "$results/pipeline.json")
runs_url="$pipelines_url/$pipeline_id/runs"

queue_limit="${RIME_PROGRESS_QUEUE_LIMIT:-1024 (default)}"
coalesce_above="${RIME_PROGRESS_COALESCE_ABOVE:-64 (default)}"
log_lines_before=0
[ -n "$server_log" ] && log_lines_before=$(wc -l < "$server_log")

field() {  # field CONFIG KEY: a figure the client printed as "BENCH KEY=value"
  awk -v key="BENCH $2=" 'index($0, key) == 1 { print substr($0, length(key) + 1); exit }' "$results/client-$1.out" 2>/dev/null
}
# The test suite stops and restarts the shared Redis; a different run_id afterwards means it happened mid-run.
redis_run_id() { redis-cli -h 127.0.0.1 -p 6379 info server 2>/dev/null | tr -d '\r' | awk -F: '$1 == "run_id" { print $2 }'; }
# It restarts PostgreSQL too: a later start time means the server and the writer lost their connections mid-run.
postgres_started() { psql -h 127.0.0.1 -U postgres -d postgres -qtAX -c "select pg_postmaster_start_time()" 2>/dev/null || true; }
rows=()
failures=()
for config in $configs; do
  watchers=${config%x*}
  rate=${config#*x}
  status=$(api -o "$results/run-$config-start.json" -w '%{http_code}' -X POST "$runs_url" -H "Authorization: Bearer $token") \
    || die "$config: starting a run failed (curl exit $?)"
  [ "$status" = 202 ] || die "$config: starting a run answered $status: $(head -c 500 "$results/run-$config-start.json")"
  run_id=$(jq -r '.id // empty' "$results/run-$config-start.json")
  run_to_cancel=$run_id
  log "$config: run $run_id, $watchers watchers, $rate events/s for ${duration}s"

  redis_before=$(redis_run_id)
  postgres_before=$(postgres_started)
  # The token reaches the client through the environment, never its command line.
  client_status=0
  BENCH_TOKEN="$token" "$java_bin" -cp "$classpath" "$bench_dir/ws/WsFanout.java" \
    --address "$address" --port "$port" --host-header "$tenant_host" \
    --project "$project_id" --pipeline "$pipeline_id" --run "$run_id" \
    --jdbc "jdbc:postgresql://127.0.0.1:5432/$database?user=postgres" --redis 127.0.0.1:6379 \
    --watchers "$watchers" --rate "$rate" --seconds "$duration" --handshakes "$handshakes" \
    --warmup-watchers "$warmup_watchers" --warmup-seconds "$warmup_seconds" --drain "$drain_timeout" \
    --event-loops "$event_loops" --profile "$profile" --server-pid "${server_pid:-0}" --jcmd "$jcmd_bin" --metrics-url "$metrics_url" \
    --out "$results/$config" > "$results/client-$config.out" 2> >(tee "$results/client-$config.log" >&2) || client_status=$?
  redis_note=""
  [ "$(redis_run_id)" = "$redis_before" ] || redis_note="REDIS RESTARTED DURING THE RUN"
  [ "$(postgres_started)" = "$postgres_before" ] || redis_note="${redis_note:+$redis_note, }POSTGRESQL RESTARTED DURING THE RUN"
  status=$(api -o "$results/run-$config-cancel.json" -w '%{http_code}' -X POST "$runs_url/$run_id/cancel" \
    -H "Authorization: Bearer $token") || status="curl exit $?"
  run_to_cancel=""
  [ "$status" = 200 ] || failures+=("$config: cancelling run $run_id answered $status")
  [ "$client_status" = 0 ] || { failures+=("$config: the client exited with $client_status (see client-$config.log)"); continue; }

  get() { field "$config" "$1"; }
  lost=$(get lost); duplicates=$(get duplicates); unaccounted=$(get unaccounted); failed=$(get connect_failed)
  behind=$(get snapshot_behind)
  [ "$lost" = 0 ] || failures+=("$config: $lost events lost (real gaps), first: $(get first_gap)")
  [ "$duplicates" = 0 ] || failures+=("$config: $duplicates events received twice")
  [ "$behind" = 0 ] || failures+=("$config: $behind resync snapshots were older than what the socket already had")
  [ "$unaccounted" = 0 ] || failures+=("$config: $unaccounted expected events are unaccounted for (client bookkeeping)")
  [ "$failed" = 0 ] || failures+=("$config: $failed of $watchers handshakes failed")
  # Live progress that arrives complete but seconds late has not kept up either: the p99 must stay within the budget.
  verdict="kept up"
  if [ "$lost" != 0 ]; then
    verdict=LOST
  elif [ "$(get resyncs)" != 0 ] || [ "$(get cut_off)" != 0 ] || [ "$(get unfinished_sockets)" != 0 ] || [ "$(get closes)" != none ]; then
    verdict="fell behind"
  elif awk -v p="$(get p99_ms)" -v b="$latency_budget" 'BEGIN { exit !(p > b) }'; then
    verdict="late"
  fi
  [ -z "$redis_note" ] || verdict="$verdict, $redis_note"
  rows+=("$config|$verdict")
done

ps -eo pid,pcpu,rss,args --sort=-pcpu > "$results/processes-after.txt"
others="none seen"
if grep -qE 'surefirebooter|plexus-classworlds' "$results/processes-before.txt" "$results/processes-after.txt"; then
  others="Maven/Surefire processes were running (see processes-*.txt)"
fi
server_log_line="n/a (server not started by this script)"
if [ -n "$server_log" ]; then
  tail -n +"$((log_lines_before + 1))" "$server_log" > "$results/server.log"
  errors=$(grep -c '"level":"ERROR"' "$results/server.log" || true)
  warns=$(grep -c '"level":"WARN"' "$results/server.log" || true)
  server_log_line="$errors ERROR, $warns WARN lines while watchers were connected"
  [ "$errors" = 0 ] || failures+=("server log has $errors ERROR lines, first: $(grep -m 1 '"level":"ERROR"' "$results/server.log" | cut -c1-400)")
fi

cat <<SUMMARY

== live progress fan-out: watchers of one pipeline run, step.log events for ${duration}s at a fixed rate
   Each event: one transaction (run row last_seq + 1, event row), then PUBLISH on Redis, as another replica would.
   expected = events after each socket's first snapshot up to the final marker, summed over sockets.
   lost: seqs neither received nor covered by a later snapshot (real gaps; must be 0). resynced: events skipped by a
   resync snapshot the server sent because the socket's queue was full (resyncs: how many snapshots). cut off: events
   after a socket the server closed (1013: fell behind twice within 30 s). latency: receive time minus sent_at, the
   writer's clock right after its commit (same machine), over events that came through Redis.
   result: kept up (all delivered, p99 within ${latency_budget} ms), late (all delivered, p99 above), fell behind
   (resyncs, closes, or events still missing when the drain ended), LOST (a real gap).
   open: sockets that got their first snapshot (to snapshot: from connect to it); refused attempts were retried after
   1 s, at most 5 times. writer/s: events per second the writer achieved; when it ran late it wrote what was due in
   one transaction (writer tx, largest batch).
   config       result       open  connect s  expected     delivered    lost  resynced (resyncs)  cut off (closes)          p50 ms  p99 ms  max ms  writer/s
SUMMARY
for row in "${rows[@]}"; do
  config=${row%%|*}; verdict=${row#*|}
  get() { field "$config" "$1"; }
  printf '   %-11s  %-11s  %5s  %9s  %-11s  %-11s  %4s  %-18s  %-24s  %6s  %6s  %6s  %8s\n' "$config" "$verdict" \
    "$(get connected)" "$(get connect_s)" "$(get expected)" "$(get delivered)" "$(get lost)" \
    "$(get resynced) ($(get resyncs))" "$(get cut_off) ($(get closes))" "$(get p50_ms)" "$(get p99_ms)" "$(get max_ms)" \
    "$(get writer_rate)"
done
cat <<SUMMARY
   config       to snapshot p50/p99 ms  refused attempts  idle RSS per conn  live heap per conn  heap used per conn  top live-heap growth per conn
SUMMARY
for row in "${rows[@]}"; do
  config=${row%%|*}
  get() { field "$config" "$1"; }
  printf '   %-11s  %-22s  %16s  %13s KiB  %14s KiB  %14s KiB  %s\n' "$config" "$(get handshake_p50_ms) / $(get handshake_p99_ms)" \
    "$(get handshake_refusals)" "$(get rss_per_conn_kb)" "$(get live_heap_per_conn_kb)" "$(get heap_used_per_conn_kb)" \
    "$(get top_heap_classes)"
  [ "$(get handshake_refusals)" = 0 ] || echo "                refused handshakes by status: $(get handshake_refusal_kinds)"
done
cat <<SUMMARY
   config       event window s  server CPU s  client CPU s  machine busy / available CPU s  writer tx (largest)  via log  unfinished sockets  resynced sockets
SUMMARY
for row in "${rows[@]}"; do
  config=${row%%|*}
  get() { field "$config" "$1"; }
  printf '   %-11s  %14s  %12s  %12s  %30s  %19s  %7s  %18s  %16s\n' "$config" "$(get window_s)" "$(get server_cpu_s)" \
    "$(get client_cpu_s)" "$(get machine_busy_cpu_s) / $(get machine_cpu_s)" \
    "$(get writer_transactions) ($(get writer_largest_batch))" "$(get via_log)" "$(get unfinished_sockets)" "$(get resynced_sockets)"
  echo "                busiest server threads (CPU s): $(get server_hot_threads)"
  echo "                peak bytes waiting: Redis output buffers for subscribers $(get redis_peak_subscriber_buffer_kb) KiB;" \
    "kernel send queues of the server's sockets $(get peak_server_send_queues_kb) KiB; receive queues of the client's $(get peak_client_receive_queues_kb) KiB"
  [ "$(get server_profile)" = off ] || echo "                server profile (share of JFR execution samples): $(get server_profile | tr ';' ' ')"
done
cat <<SUMMARY
   memory          server RSS (VmRSS) and live heap (jcmd GC.class_histogram without G1 fillers, after jcmd GC.run) with none of
                   the measured sockets open and with all of them open and idle (snapshot received, no events),
                   divided by the open sockets; heap used = jvm_memory_used_bytes{area="heap"} at the same moments
   server          RIME_PROGRESS_QUEUE_LIMIT=$queue_limit, RIME_PROGRESS_COALESCE_ABOVE=$coalesce_above, reactive DB pool ${RIME_DB_POOL_SIZE:-20}
   client          $("$java_bin" -version 2>&1 | awk 'NR == 1'); $event_loops event loops; $handshakes handshakes in flight; warm-up $warmup_watchers sockets x ${warmup_seconds}s first
   shared CPUs     client, server, PostgreSQL and Redis run on the same $(nproc) CPUs
   server log      $server_log_line
   server built    $(cat "$run_dir/build-commit.txt" 2>/dev/null || echo unknown)
   machine         $(nproc) CPUs, $(free -m | awk '/^Mem:/ { printf "%d MiB total, %d MiB available", $2, $7 }'); started $date_started
   other work      $others
   load average    before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)
raw output: $results
SUMMARY

if [ "${#failures[@]}" -gt 0 ]; then
  for f in "${failures[@]}"; do log "FAILED: $f"; done
  exit 1
fi
