#!/usr/bin/env bash
# Orchestrator overhead: runs a pipeline of STEPS zero-second wait steps in two shapes, a chain (each step depends
# on the one before, so nothing overlaps) and a fan (all steps are roots, limited only by the per-run parallelism),
# and reports how fast the steps go through and how much PostgreSQL work each step costs. A wait of 0 s does no work
# of its own, so everything measured is the orchestrator's bookkeeping: leases, transitions, events, planning.
# Prints a compact summary; raw outputs are kept under $BENCH_RUN_DIR/pipeline-<time>/.
#
# Database work comes from the cumulative counters of pg_stat_database for rime_bench (and from pg_stat_statements
# when PostgreSQL preloads it), read before the run is started and after it has finished. Three things besides the
# run touch the same counters, and each is measured and subtracted rather than ignored: the server's idle
# background work (sweeps, the audit relay, the scheduler), measured as a rate over an idle window; this script's
# own polling GETs, counted and multiplied by the cost of one GET of a finished run of the same size; and nothing
# else, since every other client uses other databases. The raw deltas are printed too.
#
# Knobs: STEPS (default 500, at most 1000), SHAPES (default "chain fan"), POLL_INTERVAL (seconds between polls of
# the run, default 0.2), RUN_TIMEOUT (seconds one run may take, default 600), GET_SAMPLES (GETs used to price one
# poll, default 50), IDLE_SECONDS (idle window for the background rate, default 20), STATS_FLUSH_WAIT (seconds to
# wait before reading the counters, default 12: PostgreSQL 15 backends publish their statistics at most once a
# second while busy and up to 10 s after going idle, so an earlier read misses work already done). RIME_ORCHESTRATOR_*
# variables the caller exports reach the server (e.g. RIME_ORCHESTRATOR_MAX_PARALLEL_STEPS_PER_RUN=16).
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
run_dir="${BENCH_RUN_DIR:-/tmp/rime-bench-run}"
export BENCH_RUN_DIR="$run_dir"
steps="${STEPS:-500}"
shapes="${SHAPES:-chain fan}"
poll_interval="${POLL_INTERVAL:-0.2}"
run_timeout="${RUN_TIMEOUT:-600}"
get_samples="${GET_SAMPLES:-50}"
idle_seconds="${IDLE_SECONDS:-20}"
flush_wait="${STATS_FLUSH_WAIT:-12}"
operator_token=bench-operator-token-for-local-benchmarks
database=rime_bench

log() { echo "pipeline-500: $*" >&2; }
die() { log "$*"; exit 1; }

whole() {  # whole NAME VALUE MIN MAX
  case "$2" in ''|*[!0-9]*) die "$1 must be a whole number" ;; esac
  [ "$2" -ge "$3" ] && [ "$2" -le "$4" ] || die "$1 must be between $3 and $4"
}
whole STEPS "$steps" 1 1000
whole RUN_TIMEOUT "$run_timeout" 1 3600
whole GET_SAMPLES "$get_samples" 1 1000
whole IDLE_SECONDS "$idle_seconds" 5 600
whole STATS_FLUSH_WAIT "$flush_wait" 0 60
case "$poll_interval" in ''|*[!0-9.]*) die "POLL_INTERVAL must be seconds, e.g. 0.2" ;; esac
for shape in $shapes; do
  case "$shape" in chain|fan) ;; *) die "SHAPES may only contain chain and fan (got '$shape')" ;; esac
done
[ -n "$shapes" ] || die "SHAPES is empty"
for tool in curl jq psql awk; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

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

results="$run_dir/pipeline-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$results"
date_started=$(date -u)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
ps -eo pid,pcpu,rss,args --sort=-pcpu > "$results/processes-before.txt"

# The build's own output (Maven prints errors to stdout even with -q) stays out of the summary.
"$bench_dir/start-server.sh" >&2
started_pid=$(cat "$run_dir/server.pid")
port=18443
address=127.0.0.1

source "$bench_dir/fixture.sh"
bench_fixture bench-pipelines
log "tenant $subdomain, project $project_id"
pipelines_url="https://$tenant_host/api/v1/projects/$project_id/pipelines"

# ---- Database counters --------------------------------------------------------------------------------------
# Read from the maintenance database, so the reads themselves do not count against rime_bench.
pg() { psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAX "$@"; }
statements=0
if pg -c "show shared_preload_libraries" | tr ',' '\n' | tr -d ' ' | grep -qx pg_stat_statements; then
  pg -c "create extension if not exists pg_stat_statements" >/dev/null
  statements=1
fi
snapshot() {  # snapshot: "epoch_ms xact_commit tup_inserted tup_updated tup_fetched statement_calls" (calls -1 if n/a)
  local calls="-1 as calls"
  [ "$statements" = 0 ] || calls="(select coalesce(sum(calls), 0) from pg_stat_statements s join pg_database d
    on d.oid = s.dbid where d.datname = '$database') as calls"
  echo "$(date +%s%3N) $(pg -F ' ' -c "select xact_commit, tup_inserted, tup_updated, tup_fetched, $calls
    from pg_stat_database where datname = '$database'")"
}
settled_snapshot() { sleep "$flush_wait"; snapshot; }

# ---- Helpers ------------------------------------------------------------------------------------------------
pipeline_body() {  # pipeline_body SHAPE NAME
  jq -nc --arg shape "$1" --arg name "$2" --argjson n "$steps" '
    def key(i): "s" + ("00" + (i | tostring) | .[-3:]);
    {name: $name, steps: [range(0; $n) as $i
      | {key: key($i), type: "wait", config: {seconds: 0}}
        + (if $shape == "chain" and $i > 0 then {depends_on: [key($i - 1)]} else {} end)]}'
}
now_ms() { date +%s%3N; }
# poll_run URL FILE: polls until the run is neither queued nor running; prints "<polls> <end epoch_ms> <status>".
poll_run() {
  local url=$1 file=$2 polls=0 status=running deadline=$((SECONDS + run_timeout))
  while :; do
    sleep "$poll_interval"
    polls=$((polls + 1))
    # A failed poll (timeout under load) is retried until the deadline rather than ending the benchmark.
    api -o "$file" "$url" -H "Authorization: Bearer $token" 2>/dev/null || true
    status=$(jq -r '.status // "running"' "$file" 2>/dev/null || echo running)
    case "$status" in queued|running) ;; *) break ;; esac
    if [ "$SECONDS" -ge "$deadline" ]; then status="timed out"; break; fi
    kill -0 "$started_pid" 2>/dev/null || { status="server exited"; break; }
  done
  echo "$polls $(now_ms) $status"
}
start_run() {  # start_run PIPELINE_ID FILE: prints the run id
  local status
  status=$(api -o "$2" -w '%{http_code}' -X POST "$pipelines_url/$1/runs" -H "Authorization: Bearer $token") \
    || die "starting a run of $1 failed (curl exit $?)"
  [ "$status" = 202 ] || die "starting a run of $1 answered $status: $(head -c 500 "$2")"
  jq -r '.id // empty' "$2"
}
# check_events URL FILE: pages through all events oldest first; prints "<count> <problem or ok>".
check_events() {
  local url=$1 file=$2 cursor="" page=0
  : > "$file"
  while :; do
    page=$((page + 1))
    [ "$page" -le 200 ] || { echo "0 more than 200 pages"; return; }
    api -o "$results/events-page.json" "$url?since_seq=0&limit=100${cursor:+&cursor=$cursor}" \
      -H "Authorization: Bearer $token" || { echo "0 reading page $page failed"; return; }
    jq -r '.data[].seq' "$results/events-page.json" >> "$file" 2>/dev/null || { echo "0 page $page is not an event page"; return; }
    [ "$(jq -r '.has_more' "$results/events-page.json")" = true ] || break
    cursor=$(jq -r '.next_cursor // empty' "$results/events-page.json")
    [ -n "$cursor" ] || { echo "0 has_more without next_cursor on page $page"; return; }
  done
  rm -f "$results/events-page.json"
  awk '{ if ($1 != NR && !bad) bad = "seq " $1 " at position " NR } END { print NR, (bad ? bad : "ok") }' "$file"
}

# ---- Runs ---------------------------------------------------------------------------------------------------
parallel=$(sed -n 's/.*up to \([0-9]*\) parallel steps per run.*/\1/p' "$run_dir/server.log" | head -n 1)
failures=()
rows=()
for shape in $shapes; do
  status=$(api -o "$results/pipeline-$shape.json" -w '%{http_code}' -X POST "$pipelines_url" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "$(pipeline_body "$shape" "bench $shape $steps")") || die "creating the $shape pipeline failed (curl exit $?)"
  [ "$status" = 201 ] || die "creating the $shape pipeline answered $status: $(head -c 500 "$results/pipeline-$shape.json")"
  pipeline_id=$(jq -r '.id // empty' "$results/pipeline-$shape.json")
  runs_url="$pipelines_url/$pipeline_id/runs"

  # The first run of a shape runs before the JIT has compiled its path; it is not measured, and its finished run
  # (same number of step rows as the measured one) is what one poll is priced on.
  log "$shape: warm-up run"
  warm_id=$(start_run "$pipeline_id" "$results/warmup-$shape-start.json")
  read -r _ _ warm_status < <(poll_run "$runs_url/$warm_id" "$results/warmup-$shape.json")
  [ "$warm_status" = succeeded ] || die "$shape: the warm-up run ended $warm_status"

  log "$shape: background rate over ${idle_seconds}s idle"
  read -r -a s0 < <(settled_snapshot)
  sleep "$idle_seconds"
  read -r -a s1 < <(snapshot)
  log "$shape: pricing one poll with $get_samples GETs of the warm-up run"
  for _ in $(seq 1 "$get_samples"); do
    api -o /dev/null "$runs_url/$warm_id" -H "Authorization: Bearer $token" || die "GET of the warm-up run failed"
  done
  read -r -a s2 < <(settled_snapshot)

  log "$shape: measured run"
  posted_ms=$(now_ms)
  run_id=$(start_run "$pipeline_id" "$results/run-$shape-start.json")
  accepted_ms=$(now_ms)
  read -r polls finished_ms run_status < <(poll_run "$runs_url/$run_id" "$results/run-$shape.json")
  read -r -a s3 < <(settled_snapshot)

  read -r events_count events_check < <(check_events "$runs_url/$run_id/events" "$results/events-$shape.txt")
  # With one live replica no step should ever be taken over: a takeover here means a step's outcome was lost and the
  # step sat until its lease ran out, which the run's duration then includes.
  taken=$(psql -h 127.0.0.1 -U postgres -d "$database" -qtAX -c "select coalesce(string_agg(key || ' (takeovers ' ||
    takeovers || ')', ', ' order by key), '') from pipeline_run_steps where run_id = '$run_id' and takeovers > 0")
  taken_count=0
  if [ -n "$taken" ]; then
    taken_count=$(grep -o 'takeovers' <<< "$taken" | wc -l | tr -d ' ')
    failures+=("$shape: $taken_count steps were taken over by a sweep although the only replica was alive: $taken")
  fi
  cp "$results/run-$shape.json" "$results/run-$shape-final.json"
  duration_ms=$(jq -r '.duration_ms // 0' "$results/run-$shape.json")
  last_seq=$(jq -r '.last_seq // -1' "$results/run-$shape.json")
  succeeded_steps=$(jq -r '[.steps[]? | select(.status == "succeeded")] | length' "$results/run-$shape.json")
  counts=$(jq -c '.counts' "$results/run-$shape.json")
  [ "$run_status" = succeeded ] || failures+=("$shape: the run ended $run_status ($counts)")
  [ "$succeeded_steps" = "$steps" ] || failures+=("$shape: $succeeded_steps of $steps steps succeeded ($counts)")
  [ "$events_check" = ok ] || failures+=("$shape: events are not 1..N without gaps: $events_check")
  [ "$events_count" = "$last_seq" ] || failures+=("$shape: $events_count events read, last_seq is $last_seq")
  events_note="1..$events_count"
  [ "$events_check" = ok ] && [ "$events_count" = "$last_seq" ] || events_note="BAD"

  # One awk does the arithmetic: rate r per ms over the idle window, cost g of one GET, then the run's share.
  row=$(awk -v s0="${s0[*]}" -v s1="${s1[*]}" -v s2="${s2[*]}" -v s3="${s3[*]}" -v k="$get_samples" \
    -v polls="$polls" -v n="$steps" -v shape="$shape" -v wall=$((finished_ms - posted_ms)) \
    -v accept=$((accepted_ms - posted_ms)) -v dur="$duration_ms" -v ev="$events_note" -v out="$results/subtracted-$shape.txt" \
    -v taken="$taken_count" '
    BEGIN {
      split(s0, a); split(s1, b); split(s2, c); split(s3, d)
      idle = b[1] - a[1]; window = d[1] - c[1]; getwin = c[1] - b[1]
      names[2] = "xact"; names[3] = "ins"; names[4] = "upd"; names[5] = "fetched"; names[6] = "stmts"
      for (i = 2; i <= 6; i++) {
        if (a[i] < 0) { per[i] = "n/a"; continue }
        rate = (b[i] - a[i]) / idle
        get = (c[i] - b[i] - rate * getwin) / k
        raw = d[i] - c[i]
        bg = rate * window
        pollcost = polls * get
        net = raw - bg - pollcost
        per[i] = sprintf("%.2f", net / n)
        printf "     %-6s %-8s raw %8d  - background %8.0f (%.2f/s)  - polls %8.0f (%.2f per GET)  = %8.0f\n",
          (i == 2 ? shape : ""), names[i], raw, bg, rate * 1000, pollcost, get, net > out
      }
      printf "     %-6s window %.1f s from before the POST to the read after the run, %d polls\n", "", window / 1000, polls > out
      printf "%s %d %.1f %d %.1f %d %s %d %s %s %s %s %s %d\n", shape, n, wall / 1000, dur, (dur > 0 ? n * 1000 / dur : 0),
        polls, ev, taken, per[2], per[3], per[4], per[5], per[6], accept
    }')
  rows+=("$row")
  log "$shape: $run_status in ${duration_ms} ms, $polls polls, events $events_note"
done

ps -eo pid,pcpu,rss,args --sort=-pcpu > "$results/processes-after.txt"
others="none seen"
if grep -qE 'surefirebooter|plexus-classworlds' "$results/processes-before.txt" "$results/processes-after.txt"; then
  others="Maven/Surefire processes were running (see processes-*.txt)"
fi
cp "$run_dir/server.log" "$results/server.log" 2>/dev/null || true
errors=$(grep -c '"level":"ERROR"' "$run_dir/server.log" || true)
server_log_line="$errors ERROR, $(grep -c '"level":"WARN"' "$run_dir/server.log" || true) WARN lines"
[ "$errors" = 0 ] || failures+=("server log has $errors ERROR lines, first: $(grep -m 1 '"level":"ERROR"' "$run_dir/server.log")")
if [ "$statements" = 1 ]; then
  statements_line="pg_stat_statements calls (BEGIN and COMMIT count as statements)"
else
  statements_line="not measurable: pg_stat_statements is not in shared_preload_libraries, so xact/step (transactions, \
not round trips; one is BEGIN, a few statements, COMMIT, or a single statement on its own) is the closest figure"
fi

cat <<SUMMARY

== $steps zero-second wait steps per run, max ${parallel:-?} parallel steps per run, polled every ${poll_interval}s
   wall s: from sending POST /runs to the first poll that saw the run finished (so up to one poll late).
   duration_ms: the run's own started_at..finished_at. steps/s = steps / duration_ms.
   per step: deltas of pg_stat_database for $database between just before the POST and after the run (read after
   ${flush_wait}s for PostgreSQL to publish them), minus the idle background rate times that window, minus the
   polls times the cost of one GET of a finished run of the same size, divided by $steps. fetched = tup_fetched.
   taken over: steps the server's own sweep restarted after their lease ran out; with one live replica it must be 0.
   shape   steps  result     wall s  duration_ms  steps/s  polls  events     taken over  xact/step  ins/step  upd/step  fetched/step  stmts/step  POST ms
SUMMARY
for row in "${rows[@]}"; do
  read -r shape n wall dur rate polls ev taken xact ins upd fetched stmts accept <<< "$row"
  shape_result=succeeded
  for f in "${failures[@]}"; do case "$f" in "$shape:"*) shape_result=FAILED ;; esac; done
  printf '   %-6s %6s  %-9s %7s  %11s  %7s  %5s  %-9s  %10s  %9s  %8s  %8s  %12s  %10s  %7s\n' \
    "$shape" "$n" "$shape_result" "$wall" "$dur" "$rate" "$polls" "$ev" "$taken" "$xact" "$ins" "$upd" "$fetched" "$stmts" "$accept"
done
echo "   what was subtracted (totals per run):"
for shape in $shapes; do cat "$results/subtracted-$shape.txt"; done
cat <<SUMMARY
   statements      $statements_line
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
