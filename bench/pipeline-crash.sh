#!/usr/bin/env bash
# Crash safety of the orchestrator with two real server processes on one database: replica a starts a run, is
# killed with SIGKILL while it executes two steps, and replica b must take those steps over once their leases run
# out and finish the run. The pipeline is `first` (wait 8 s) -> `second` (wait 2 s), plus an independent `side`
# (wait 8 s), so the kill catches two steps in flight and the run still has a step to start afterwards.
# SIGKILL, not a shutdown: a replica that dies gets no chance to hand anything back, which is the case leases are for.
#
# It fails (exit 1) unless the run ends succeeded, every step succeeded, the two steps that were running on a were
# taken over by b exactly once, `second` ran on b, and the run's events read through b number 1..last_seq without a
# gap. Prints the timeline and the final step rows; raw outputs are kept under $BENCH_RUN_DIR/crash-<time>/.
#
# Knobs: BENCH_RUN_DIR (replica a's run directory, default /tmp/rime-bench-run; replica b uses the same path with
# -b appended), BENCH_PORT_OFFSET_B (replica b's ports are the defaults plus this, default 100), RUN_TIMEOUT
# (seconds the run may take after the kill, default 120), KILL_AFTER (seconds between seeing `first` running on a
# and the kill, default 2: by then a has renewed its leases and written progress events, so the takeover has to
# respect a renewed lease and b's events must continue a's numbering; 0 kills before the first renewal). Leases are
# shortened for the test (5 s, renewed every 1 s, sweeps every 1 s), so a takeover is expected 4-6 s after the kill
# rather than after the default 30 s.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
run_dir_a="${BENCH_RUN_DIR:-/tmp/rime-bench-run}"
run_dir_b="${run_dir_a%/}-b"
offset_b="${BENCH_PORT_OFFSET_B:-100}"
run_timeout="${RUN_TIMEOUT:-120}"
kill_after="${KILL_AFTER:-2}"
operator_token=bench-operator-token-for-local-benchmarks
database=rime_bench
sample_interval=0.2

log() { echo "pipeline-crash: $*" >&2; }
die() { log "$*"; exit 1; }

case "$offset_b" in ''|*[!0-9]*) die "BENCH_PORT_OFFSET_B must be a whole number" ;; esac
[ "$offset_b" -ge 1 ] && [ "$offset_b" -le 1000 ] || die "BENCH_PORT_OFFSET_B must be between 1 and 1000"
case "$run_timeout" in ''|*[!0-9]*) die "RUN_TIMEOUT must be whole seconds" ;; esac
[ "$run_timeout" -ge 10 ] && [ "$run_timeout" -le 1800 ] || die "RUN_TIMEOUT must be between 10 s and 30 min"
case "$kill_after" in ''|*[!0-9]*) die "KILL_AFTER must be whole seconds" ;; esac
# The steps wait 8 s; a later kill would find them finished.
[ "$kill_after" -le 5 ] || die "KILL_AFTER must be at most 5 s"
for tool in curl jq psql awk; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

pid_a=""
pid_b=""
sampler_pid=""
stop_server() {  # stop_server PID RUN_DIR
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
  log "stopping the server (PID $1)"
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$1" 2>/dev/null || break; sleep 1; done
  kill -9 "$1" 2>/dev/null || true
  rm -f "$2/server.pid"
}
cleanup() {
  if [ -n "$sampler_pid" ]; then kill "$sampler_pid" 2>/dev/null || true; fi
  # Only the servers this script started are stopped, by their own PIDs; a is normally dead already.
  stop_server "$pid_b" "$run_dir_b"
  stop_server "$pid_a" "$run_dir_a"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$run_dir_a"
results="$run_dir_a/crash-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$results"
date_started=$(date -u)
ps -eo pid,pcpu,rss,args --sort=-pcpu > "$results/processes-before.txt"

# ---- Two replicas ---------------------------------------------------------------------------------------------
export RIME_ORCHESTRATOR_LEASE_DURATION=5s RIME_ORCHESTRATOR_LEASE_RENEW_INTERVAL=1s RIME_ORCHESTRATOR_SWEEP_INTERVAL=1s
# The build's own output (Maven prints errors to stdout even with -q) stays out of the summary.
RIME_PLATFORM_REPLICA_ID=a BENCH_RUN_DIR="$run_dir_a" "$bench_dir/start-server.sh" >&2
pid_a=$(cat "$run_dir_a/server.pid")
RIME_PLATFORM_REPLICA_ID=b BENCH_RUN_DIR="$run_dir_b" BENCH_PORT_OFFSET="$offset_b" \
  BENCH_SHARE_FROM="$run_dir_a" "$bench_dir/start-server.sh" >&2
pid_b=$(cat "$run_dir_b/server.pid")
port_a=18443
port_b=$((18443 + offset_b))
address=127.0.0.1
for replica in a b; do
  dir=$run_dir_a; [ "$replica" = a ] || dir=$run_dir_b
  grep -q "Orchestrator replica $replica:" "$dir/server.log" \
    || die "replica $replica's log does not name it $replica: $(grep -m 1 'Orchestrator replica' "$dir/server.log" || echo 'no orchestrator line')"
done

port=$port_a
source "$bench_dir/fixture.sh"
bench_fixture bench-crash
log "tenant $subdomain, project $project_id"
on_b() { local port=$port_b; api "$@"; }
url_a="https://$subdomain.localhost:$port_a/api/v1/projects/$project_id"
url_b="https://$subdomain.localhost:$port_b/api/v1/projects/$project_id"
# A token from a must work on b, or b could not serve anything after the kill.
status=$(on_b -o "$results/project-via-b.json" -w '%{http_code}' "$url_b" -H "Authorization: Bearer $token") \
  || die "GET of the project through b failed (curl exit $?)"
[ "$status" = 200 ] || die "b answered $status to a token issued by a (are the keys shared?): $(head -c 300 "$results/project-via-b.json")"

status=$(api -o "$results/pipeline.json" -w '%{http_code}' -X POST "$url_a/pipelines" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d '{"name": "bench crash", "steps": [
    {"key": "first", "type": "wait", "config": {"seconds": 8}},
    {"key": "second", "type": "wait", "config": {"seconds": 2}, "depends_on": ["first"]},
    {"key": "side", "type": "wait", "config": {"seconds": 8}}]}') || die "creating the pipeline failed (curl exit $?)"
[ "$status" = 201 ] || die "creating the pipeline answered $status: $(head -c 500 "$results/pipeline.json")"
pipeline_id=$(jq -r '.id // empty' "$results/pipeline.json")

# ---- Run through a, kill a --------------------------------------------------------------------------------------
db() { psql -h 127.0.0.1 -U postgres -d "$database" -v ON_ERROR_STOP=1 -qtAX -F ' ' "$@"; }
now_ms() { date +%s%3N; }
sampler() {  # sampler RUN_ID FILE: "epoch_ms key status attempt owner takeovers lease_expires_ms" per step until killed
  set +e
  while :; do
    db -c "select (extract(epoch from clock_timestamp()) * 1000)::bigint, key, status, attempt,
             coalesce(lease_owner, '-'), takeovers, coalesce((extract(epoch from lease_expires_at) * 1000)::bigint, 0)
           from pipeline_run_steps where run_id = '$1' order by key" >> "$2" 2>/dev/null
    sleep "$sample_interval"
  done
}

posted_ms=$(now_ms)
status=$(api -o "$results/run-start.json" -w '%{http_code}' -X POST "$url_a/pipelines/$pipeline_id/runs" \
  -H "Authorization: Bearer $token") || die "starting the run through a failed (curl exit $?)"
[ "$status" = 202 ] || die "starting the run through a answered $status: $(head -c 500 "$results/run-start.json")"
run_id=$(jq -r '.id // empty' "$results/run-start.json")
: > "$results/samples.txt"
sampler "$run_id" "$results/samples.txt" &
sampler_pid=$!

deadline=$((SECONDS + 30))
until [ "$(db -c "select lease_owner from pipeline_run_steps where run_id = '$run_id' and key = 'first' and status = 'running'")" = a ]; do
  [ "$SECONDS" -lt "$deadline" ] || die "step first was not running on a within 30 s: $(db -c "select key, status, lease_owner from pipeline_run_steps where run_id = '$run_id'")"
  sleep 0.1
done
seen_running_ms=$(now_ms)
sleep "$kill_after"
db -c "select key || ' ' || status || coalesce(' on ' || lease_owner, '') || ' (attempt ' || attempt || ', takeovers '
         || takeovers || ')' from pipeline_run_steps where run_id = '$run_id' order by key" > "$results/steps-at-kill.txt"
grep -qx 'first running on a (attempt 1, takeovers 0)' "$results/steps-at-kill.txt" \
  || die "first is no longer running on a attempt 1 just before the kill: $(tr '\n' ';' < "$results/steps-at-kill.txt")"
kill_ms=$(now_ms)
kill -9 "$pid_a"
log "SIGKILL to a (PID $pid_a) $((kill_ms - posted_ms)) ms after the POST; steps then: $(paste -sd ';' "$results/steps-at-kill.txt" | sed 's/;/; /g')"
for _ in $(seq 1 50); do kill -0 "$pid_a" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$pid_a" 2>/dev/null || die "a (PID $pid_a) is still alive after SIGKILL"
killed_pid=$pid_a
pid_a=""
rm -f "$run_dir_a/server.pid"

# ---- Poll through b until the run ends ----------------------------------------------------------------------------
run_status=running
polls=0
deadline=$((SECONDS + run_timeout))
while :; do
  sleep 0.5
  polls=$((polls + 1))
  on_b -o "$results/run.json" "$url_b/pipelines/$pipeline_id/runs/$run_id" -H "Authorization: Bearer $token" 2>/dev/null || true
  run_status=$(jq -r '.status // "running"' "$results/run.json" 2>/dev/null || echo running)
  case "$run_status" in queued|running) ;; *) break ;; esac
  if [ "$SECONDS" -ge "$deadline" ]; then run_status="still $run_status after ${run_timeout}s"; break; fi
  kill -0 "$pid_b" 2>/dev/null || { run_status="b exited"; break; }
done
ended_ms=$(now_ms)
sleep 1  # one more sample after the end, for the rows' final state
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
sampler_pid=""

# ---- Evidence -----------------------------------------------------------------------------------------------
failures=()
[ "$run_status" = succeeded ] || failures+=("the run ended '$run_status' (expected succeeded): $(jq -c '{status, error, counts}' "$results/run.json" 2>/dev/null)")

# Events through b, oldest first, paged with the cursor.
: > "$results/events.ndjson"
cursor=""
events_problem=""
for page in $(seq 1 100); do
  if ! on_b -o "$results/events-page.json" "$url_b/pipelines/$pipeline_id/runs/$run_id/events?since_seq=0&limit=100${cursor:+&cursor=$cursor}" \
      -H "Authorization: Bearer $token"; then
    events_problem="reading events page $page through b failed"; break
  fi
  jq -c '.data[]' "$results/events-page.json" >> "$results/events.ndjson" 2>/dev/null \
    || { events_problem="events page $page is not an event page: $(head -c 300 "$results/events-page.json")"; break; }
  [ "$(jq -r '.has_more' "$results/events-page.json")" = true ] || break
  cursor=$(jq -r '.next_cursor // empty' "$results/events-page.json")
  [ -n "$cursor" ] || { events_problem="has_more without next_cursor on page $page"; break; }
done
rm -f "$results/events-page.json"
last_seq=$(jq -r '.last_seq // -1' "$results/run.json" 2>/dev/null || echo -1)
events_count=$(wc -l < "$results/events.ndjson" | tr -d ' ')
gap=$(jq -r '.seq' "$results/events.ndjson" | awk '$1 != NR { print "seq " $1 " at position " NR; exit }')
[ -z "$events_problem" ] || failures+=("$events_problem")
[ -z "$gap" ] || failures+=("events through b are not 1..N without gaps: $gap")
[ "$events_count" = "$last_seq" ] || failures+=("$events_count events read through b, but last_seq is $last_seq")

# Timestamps to epoch ms; the server writes them with milliseconds and a Z.
jq_ms='def ms: ((sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601) * 1000)
  + ((((capture("\\.(?<f>[0-9]+)Z$") | .f)? // "0") + "000") | .[0:3] | tonumber);'
ms_of() { jq -r "$jq_ms $1" "${@:2}"; }
# Running events of a step after its first: each is a takeover (or a retry, which these steps do not have).
takeover_ms() {
  jq -rs "$jq_ms"' map(select(.type == "step.status" and .step_key == $k and .status == "running")) | .[1]
    | if . == null then empty else (.occurred_at | ms) end' --arg k "$1" "$results/events.ndjson"
}
takeover_first=$(takeover_ms first)
takeover_side=$(takeover_ms side)
finished_ms=$(ms_of '.finished_at // empty | ms' "$results/run.json" 2>/dev/null || true)

db -c "select key, status, attempt, takeovers, coalesce(lease_owner, '-'),
         to_char(started_at at time zone 'UTC', 'HH24:MI:SS.MS'), to_char(finished_at at time zone 'UTC', 'HH24:MI:SS.MS')
       from pipeline_run_steps where run_id = '$run_id' order by position" > "$results/steps-final.txt"
# Owners in the order the samples saw them while the step was running, e.g. "a b".
owners() { awk -v k="$1" '$2 == k && $3 == "running" && $5 != last { printf "%s%s", sep, $5; sep = " "; last = $5 }' "$results/samples.txt"; }
# The end of a's last lease on a step, as the database had it.
lease_end_a() { awk -v k="$1" '$2 == k && $5 == "a" && $7 > m { m = $7 } END { print m + 0 }' "$results/samples.txt"; }
declare -A expect_owners=([first]="a b" [side]="a b" [second]="b")
declare -A expect_takeovers=([first]=1 [side]=1 [second]=0)
declare -A seen_owners
while read -r key st attempt takeovers _ _ _; do
  seen_owners[$key]=$(owners "$key")
  [ "$st" = succeeded ] || failures+=("step $key ended $st")
  [ "$takeovers" = "${expect_takeovers[$key]:-?}" ] || failures+=("step $key has takeovers = $takeovers, expected ${expect_takeovers[$key]:-?}")
  [ "$attempt" = 1 ] || failures+=("step $key ended on attempt $attempt (a takeover repeats the attempt; expected 1)")
  [ "${seen_owners[$key]}" = "${expect_owners[$key]:-?}" ] \
    || failures+=("step $key was seen running on '${seen_owners[$key]}', expected '${expect_owners[$key]:-?}'")
done < "$results/steps-final.txt"
# A takeover before a's lease ran out would mean two replicas executing one step at once.
for key in first side; do
  t=$(takeover_ms "$key"); end=$(lease_end_a "$key")
  [ -z "$t" ] || [ "$end" = 0 ] || [ "$t" -ge "$end" ] || failures+=("$key was taken over $((end - t)) ms before a's lease ran out")
done
[ "$(wc -l < "$results/steps-final.txt")" = 3 ] || failures+=("expected 3 step rows, found $(wc -l < "$results/steps-final.txt")")
[ -n "$takeover_first" ] || failures+=("no second step.status running event for first (no takeover recorded)")
[ -z "$takeover_first" ] || [ "$takeover_first" -gt "$kill_ms" ] || failures+=("first was restarted before a was killed")

cp "$run_dir_a/server.log" "$results/server-a.log" 2>/dev/null || true
cp "$run_dir_b/server.log" "$results/server-b.log" 2>/dev/null || true
grep -h 'Took over step' "$run_dir_b/server.log" | jq -r '"\(.timestamp) \(.message)"' > "$results/takeovers-b.txt" 2>/dev/null || true
errors_b=$(grep -c '"level":"ERROR"' "$run_dir_b/server.log" || true)
[ "$errors_b" = 0 ] || failures+=("b's log has $errors_b ERROR lines, first: $(grep -m 1 '"level":"ERROR"' "$run_dir_b/server.log")")

rel() { awk -v t="$1" -v z="$posted_ms" 'BEGIN { if (t == "" || t == 0) print "n/a"; else printf "%+.2f s", (t - z) / 1000 }'; }
since_kill() { awk -v t="$1" -v k="$kill_ms" 'BEGIN { if (t == "" || t == 0) print "n/a"; else printf "%.2f s", (t - k) / 1000 }'; }
others="none seen"
ps -eo pid,pcpu,rss,args --sort=-pcpu > "$results/processes-after.txt"
if grep -qE 'surefirebooter|plexus-classworlds' "$results/processes-before.txt" "$results/processes-after.txt"; then
  others="Maven/Surefire processes were running (see processes-*.txt)"
fi

echo
echo "== Crash of replica a mid-run, takeover by b  (leases 5 s, renewed every 1 s, sweeps every 1 s; t = 0 at POST /runs through a)"
echo "   events read through b (server times; step.progress left out):"
{
  jq -r --argjson z "$posted_ms" "$jq_ms"' select(.type != "step.progress")
    | [((.occurred_at | ms) - $z), "#\(.seq) \(.type)" + (if .step_key then " \(.step_key)" else "" end)
        + " \(.status // "")" + (if .attempt then " (attempt \(.attempt))" else "" end)] | @tsv' "$results/events.ndjson"
  printf '%s\t%s\n' "$((seen_running_ms - posted_ms))" "(the database shows first running on a; the kill follows ${kill_after}s later)"
  printf '%s\t%s\n' "$((kill_ms - posted_ms))" "SIGKILL to a (PID $killed_pid)"
} | sort -t $'\t' -n -k1,1 -s | awk -F '\t' '{ printf "     %+8.2f s  %s\n", $1 / 1000, $2 }'
echo "   lease owners seen in the database (every ${sample_interval}s) and the final rows:"
echo "     step     status     attempt  takeovers  owners seen  a's lease ran out          started       finished"
while read -r key st attempt takeovers _ started finished; do
  lease_end=$(lease_end_a "$key")
  lease_note="n/a"
  [ "$lease_end" = 0 ] || lease_note="$(rel "$lease_end") (kill + $(since_kill "$lease_end"))"
  printf '     %-8s %-10s %7s  %9s  %-11s  %-25s  %-12s  %s\n' "$key" "$st" "$attempt" "$takeovers" \
    "$(echo "${seen_owners[$key]:-}" | sed 's/ / -> /g')" "$lease_note" "$started" "$finished"
done < "$results/steps-final.txt"
cat <<SUMMARY
   SIGKILL         $(rel "$kill_ms") after the POST, with $(paste -sd ';' "$results/steps-at-kill.txt" | sed 's/;/; /g')
   kill -> takeover  first: $(since_kill "$takeover_first"); side: $(since_kill "$takeover_side")  (b's step.status running event: a's lease runs out 4-5 s after the kill, b's next sweep follows within 1 s)
   kill -> run end   $(since_kill "$finished_ms") (the run's finished_at; b's poll saw it after $(since_kill "$ended_ms"), $polls polls)
   run             $(jq -c '{status, duration_ms, counts}' "$results/run.json" 2>/dev/null)
   events via b    $events_count read, last_seq $last_seq, $([ -z "$gap$events_problem" ] && [ "$events_count" = "$last_seq" ] && echo "1..$last_seq without gaps" || echo "NOT gap-free")
   b's log         $(wc -l < "$results/takeovers-b.txt" | tr -d ' ') "Took over" lines: $(sed 's/^[^ ]* //' "$results/takeovers-b.txt" | tr '\n' ';' | sed 's/;$//; s/;/; /g'); $errors_b ERROR lines
   server built    $(cat "$run_dir_a/build-commit.txt" 2>/dev/null || echo unknown)
   machine         $(nproc) CPUs, $(free -m | awk '/^Mem:/ { printf "%d MiB total, %d MiB available", $2, $7 }'); started $date_started
   other work      $others
raw output: $results (server-a.log, server-b.log, samples.txt, events.ndjson)
SUMMARY

if [ "${#failures[@]}" -gt 0 ]; then
  for f in "${failures[@]}"; do log "FAILED: $f"; done
  exit 1
fi
log "ok: b took over and finished the run"
